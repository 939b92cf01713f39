import { SpanStatusCode } from '@opentelemetry/api';
import type { DataSource } from 'typeorm';
import { isMysql, mysqlPools } from './datasource';
import type { ServiceMetrics } from './metrics';
import { sqlSpan, statementKind } from './tracing';

type Callback = (error: unknown, ...rest: unknown[]) => void;
type PooledConnection = { query(sql: unknown, ...rest: unknown[]): unknown };
interface Pool {
  on(event: 'acquire', listener: (c: PooledConnection) => void): void;
  config: { connectionLimit: number };
  _allConnections: { length: number };
  _freeConnections: { length: number };
  _connectionQueue: { length: number };
}

const observed = new WeakSet<PooledConnection>();

/**
 * Metrics and spans for the SQL of a serving data source on MySQL/MariaDB:
 * the duration of every statement by kind and outcome
 * (`c360_sql_statement_duration_seconds`), a span per statement when tracing
 * is on, and the pool's connections by state (`c360_sql_pool_connections`:
 * used, idle, waiting for one, limit). Wrapped as the pool hands a
 * connection out, like the statement deadline (datasource.ts). SQLite runs
 * in process and has no pool: nothing to observe.
 */
export function observeStatements(dataSource: DataSource, service: string, metrics: ServiceMetrics): void {
  if (!isMysql(dataSource)) return;
  const pools = mysqlPools<Pool>(dataSource);
  const sum = (f: (pool: Pool) => number) => pools.reduce((total, pool) => total + f(pool), 0);
  // With a read replica, the figures add up the primary's pool and the replica's.
  metrics.gauge('c360_sql_pool_connections', 'SQL pool connections by state: used, idle, waiting (requests queued for one), limit', ['state'], (gauge) => {
    const idle = sum((p) => p._freeConnections.length);
    gauge.set({ state: 'used' }, sum((p) => p._allConnections.length) - idle);
    gauge.set({ state: 'idle' }, idle);
    gauge.set(
      { state: 'waiting' },
      sum((p) => p._connectionQueue.length),
    );
    gauge.set(
      { state: 'limit' },
      sum((p) => p.config.connectionLimit),
    );
  });
  const durations = metrics.sqlDuration();
  for (const pool of pools)
    pool.on('acquire', (connection) => {
      if (observed.has(connection)) return;
      observed.add(connection);
      const query = connection.query.bind(connection);
      connection.query = (sql: unknown, ...rest: unknown[]) => {
        const last = rest.length - 1;
        const callback = rest[last];
        if (typeof callback !== 'function') return query(sql, ...rest);
        const text = typeof sql === 'string' ? sql : String((sql as { sql?: unknown })?.sql ?? '');
        const statement = statementKind(text);
        const stop = durations.startTimer({ statement });
        const span = sqlSpan(service, text);
        rest[last] = (error: unknown, ...results: unknown[]) => {
          stop({ outcome: error ? 'error' : 'ok' });
          if (span) {
            if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: String((error as { code?: unknown }).code ?? 'error') });
            span.end();
          }
          (callback as Callback)(error, ...results);
        };
        return query(sql, ...rest);
      };
    });
}
