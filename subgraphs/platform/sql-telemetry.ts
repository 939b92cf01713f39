import { SpanStatusCode } from '@opentelemetry/api';
import type { DataSource } from 'typeorm';
import { isMysql, mysqlPools, wrapPooledQueries } from './datasource';
import type { ServiceMetrics } from './metrics';
import { sqlSpan, statementKind } from './tracing';

type Callback = (error: unknown, ...rest: unknown[]) => void;

/** Seconds: most statements take a millisecond or two. */
const SQL_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];
interface Pool {
  config: { connectionLimit: number };
  _allConnections: { length: number };
  _freeConnections: { length: number };
  _connectionQueue: { length: number };
}

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
  const durations = metrics.histogram(
    'c360_sql_statement_duration_seconds',
    'SQL statements, by kind (select, insert, update, delete, other) and outcome',
    ['statement', 'outcome'],
    SQL_BUCKETS,
  );
  wrapPooledQueries(dataSource, (query) => (sql, ...rest) => {
    const last = rest.length - 1;
    const callback = rest[last];
    if (typeof callback !== 'function') return query(sql, ...rest);
    const text = typeof sql === 'string' ? sql : String((sql as { sql?: unknown })?.sql ?? '');
    const stop = durations.startTimer({ statement: statementKind(text) });
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
  });
}
