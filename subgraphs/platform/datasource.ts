import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DataSource, type DataSourceOptions as TypeOrmOptions, type EntityManager, type EntitySchema, type Logger, type MixedList } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import type { DatabaseConfig, MysqlServer } from './config';
import { remainingMs, statementNeedsDeadline, withStatementDeadline } from './deadline';
import { createLogger, type Logger as ServiceLogger } from './logger';

type EntityList = MixedList<Function | string | EntitySchema>;

/**
 * TypeORM logger that never prints query parameters: they hold names, e-mail
 * addresses and IBANs. `onQuery` (default none) sees every statement, which is
 * how tests count SQL round trips.
 */
export class SafeLogger implements Logger {
  constructor(
    private readonly onQuery?: (sql: string) => void,
    private readonly logger: ServiceLogger = createLogger('db'),
  ) {}

  logQuery(query: string): void {
    this.onQuery?.(query);
  }

  /** The driver's code and the statement with its placeholders: the driver's message may quote values ("Duplicate entry 'jane@…'"). */
  logQueryError(error: string | Error, query: string): void {
    const code = typeof error === 'string' ? undefined : (error as { code?: unknown }).code;
    this.logger.error({ code: code ?? 'unknown', statement: query.slice(0, 200) }, 'query failed');
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ ms: time, statement: query.slice(0, 200) }, 'slow query');
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    if (process.env.NODE_ENV !== 'test') this.logger.info(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message).slice(0, 300));
  }
}

/** A counter of SQL statements, for tests and benchmarks. */
export class QueryCounter {
  count = 0;
  readonly statements: string[] = [];
  readonly logger = new SafeLogger((sql) => {
    this.count++;
    this.statements.push(sql);
  });

  reset(): void {
    this.count = 0;
    this.statements.length = 0;
  }
}

export interface DataSourceOptions {
  entities: EntityList;
  migrations: Function[];
  /** Defaults to a SafeLogger that counts nothing. */
  logger?: SafeLogger;
  /** MySQL connection pool size; default 10. */
  poolSize?: number;
}

/** Creates the subgraph's database on a MySQL server when it is missing. */
export async function ensureDatabase(db: DatabaseConfig): Promise<void> {
  if (db.type === 'sqlite') {
    mkdirSync(dirname(db.path), { recursive: true });
    return;
  }
  const connection = await createConnection({ host: db.host, port: db.port, user: db.user, password: db.password });
  try {
    // A subgraph's own user may read and write its database but not create one (docker-compose): only create what is missing.
    const [rows] = await connection.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = ?', [db.database]);
    if ((rows as unknown[]).length > 0) return;
    await connection.query(`CREATE DATABASE IF NOT EXISTS \`${db.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await connection.end();
  }
}

/**
 * The embedded SQLite data source. TypeORM's SQLite driver has one
 * connection, and every transaction runs on it: two requests that each await
 * inside a transaction collide ("cannot start a transaction within a
 * transaction"), and a plain read or write of a third request would land
 * inside the open transaction, see its uncommitted rows, and be rolled back
 * with it. So transactions run on a second connection of their own, one at a
 * time in arrival order (a writer queue), while everything outside a
 * transaction reads through the first; in WAL mode those reads see committed
 * data only and never wait for the writer. Every write of a subgraph
 * therefore goes through `transaction()`, even a single statement.
 */
export class EmbeddedDataSource extends DataSource {
  private writer: DataSource | undefined;
  /** The end of the writer queue; never rejects. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(options: TypeOrmOptions) {
    super(options);
  }

  override async initialize(): Promise<this> {
    await super.initialize();
    try {
      this.writer = await new DataSource(this.options).initialize();
    } catch (error) {
      await super.destroy();
      throw error;
    }
    return this;
  }

  override async destroy(): Promise<void> {
    // Let queued transactions finish before the writer goes away.
    await this.tail;
    await this.writer?.destroy();
    this.writer = undefined;
    await super.destroy();
  }

  override transaction<T>(runInTransaction: (entityManager: EntityManager) => Promise<T>): Promise<T>;
  override transaction<T>(isolationLevel: IsolationLevel, runInTransaction: (entityManager: EntityManager) => Promise<T>): Promise<T>;
  override transaction<T>(
    first: IsolationLevel | ((entityManager: EntityManager) => Promise<T>),
    second?: (entityManager: EntityManager) => Promise<T>,
  ): Promise<T> {
    // SQLite transactions here are serialised, which is stronger than any isolation level asked for.
    const work = typeof first === 'function' ? first : second!;
    const run = (): Promise<T> => {
      if (!this.writer) throw new Error('the data source is not initialized');
      return this.writer.transaction(work);
    };
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/**
 * A TypeORM data source for one subgraph: MySQL/MariaDB through mysql2, or an
 * embedded SQLite file (better-sqlite3) when no DATABASE_URL is set. Never
 * `synchronize`: the schema comes from migrations only.
 */
export function createDataSource(db: DatabaseConfig, options: DataSourceOptions): DataSource {
  const common = {
    entities: options.entities,
    migrations: options.migrations,
    synchronize: false,
    migrationsRun: false,
    logger: options.logger ?? new SafeLogger(),
    // 'query' only reaches the logger so that a QueryCounter can count; SafeLogger prints none.
    logging: options.logger ? (['query', 'error', 'warn', 'migration'] as const) : (['error', 'warn', 'migration'] as const),
  };
  if (db.type === 'sqlite') {
    return new EmbeddedDataSource({
      ...common,
      logging: [...common.logging],
      type: 'better-sqlite3',
      database: db.path,
      enableWAL: true,
      // Several processes (subgraph, seed, migrate) may touch a file at once.
      timeout: 10_000,
    });
  }
  const server = (s: MysqlServer) => ({ host: s.host, port: s.port, username: s.user, password: s.password, database: s.database });
  return new DataSource({
    ...common,
    logging: [...common.logging],
    type: 'mysql',
    // With a read replica: TypeORM replication, reads routed by read-replica.ts.
    ...(db.readReplica ? { replication: { master: server(db), slaves: [server(db.readReplica)] } } : server(db)),
    charset: 'utf8mb4_unicode_ci',
    // Instants are stored in UTC; DATE columns come back as 'YYYY-MM-DD' untouched.
    timezone: 'Z',
    dateStrings: ['DATE'],
    // DECIMAL and BIGINT come back as strings: money must never pass through a float.
    supportBigNumbers: true,
    bigNumberStrings: true,
    poolSize: options.poolSize ?? 10,
  });
}

/** Creates the database if needed, connects, and applies pending migrations. */
export async function openMigrated(db: DatabaseConfig, options: DataSourceOptions): Promise<DataSource> {
  await ensureDatabase(db);
  const dataSource = createDataSource(db, options);
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

/** True when the data source runs on MySQL/MariaDB rather than SQLite. */
export function isMysql(dataSource: DataSource): boolean {
  return dataSource.options.type === 'mysql' || dataSource.options.type === 'mariadb';
}

/** True for a unique-key violation on MySQL/MariaDB or SQLite. */
export function isUniqueViolation(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: string; errno?: number } })?.driverError ?? error;
  const code = (driverError as { code?: string })?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** True when InnoDB (or SQLite's busy lock) rolled this transaction back to break a deadlock. */
export function isDeadlock(error: unknown): boolean {
  const code = (error as { driverError?: { code?: string } })?.driverError?.code ?? (error as { code?: string })?.code;
  return code === 'ER_LOCK_DEADLOCK' || code === 'SQLITE_BUSY';
}

/**
 * True when a transaction lost a race and may simply be run again: a unique
 * key taken meanwhile, or a deadlock InnoDB broke by rolling this one back.
 */
export function isRetryableConflict(error: unknown): boolean {
  return isUniqueViolation(error) || isDeadlock(error);
}

/**
 * Runs `work` (one whole transaction) again while it fails with an error
 * `retryIf` accepts, up to `attempts` times in all, with a short random pause
 * that grows per attempt so that the racers do not collide again in step.
 * Only for work whose outcome does not depend on which racer goes first.
 */
export async function retryConflicts<T>(work: () => Promise<T>, attempts: number, retryIf: (error: unknown) => boolean = isRetryableConflict): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!retryIf(error) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}

/** Escapes LIKE wildcards for use with `ESCAPE '!'`. */
export function likeContains(term: string): string {
  return `%${term.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

type PooledConnection = { query(sql: unknown, ...rest: unknown[]): unknown };

/** The mysql2 pools of a data source: one, or with a read replica one per server (TypeORM's pool cluster). */
export function mysqlPools<P>(dataSource: DataSource): P[] {
  const driver = dataSource.driver as unknown as { pool?: P; poolCluster?: { _nodes: Record<string, { pool: P }> } };
  if (driver.pool) return [driver.pool];
  return Object.values(driver.poolCluster?._nodes ?? {}).map((node) => node.pool);
}

export type PooledQuery = (sql: unknown, ...rest: unknown[]) => unknown;

/**
 * Replaces `query` of every pooled connection of a MySQL/MariaDB data source
 * with `wrap(query)`, once per connection, as the pool hands it out (the
 * statement deadline below, the SQL metrics and spans of sql-telemetry.ts).
 */
export function wrapPooledQueries(dataSource: DataSource, wrap: (query: PooledQuery) => PooledQuery): void {
  const wrapped = new WeakSet<PooledConnection>();
  for (const pool of mysqlPools<{ on(event: 'acquire', listener: (c: PooledConnection) => void): void }>(dataSource)) {
    pool.on('acquire', (connection) => {
      if (wrapped.has(connection)) return;
      wrapped.add(connection);
      connection.query = wrap(connection.query.bind(connection));
    });
  }
}

/**
 * MariaDB (10.3+) rewrites an IN list of 1,000 values or more into a derived
 * table it materializes, sorts and joins. Every such list here is a batch of
 * keys on an indexed column (a DataLoader's page of customers), where
 * looking each value up in the index is the better plan: measured on the
 * large seed, the figures of 1,000 customers took 26 ms that way against
 * 40 ms rewritten. Set on each serving connection with its statement cap.
 */
export const MARIADB_IN_LISTS_AS_RANGES = 'in_predicate_conversion_threshold = 0';

/**
 * Caps every SQL statement of a serving data source at `timeoutMs`
 * (SQL_STATEMENT_TIMEOUT_MS, default 10,000, the gateway's subgraph deadline):
 * a statement still running when the gateway has given up on its request is
 * cancelled by the server (MariaDB `max_statement_time`, MySQL
 * `max_execution_time`, which covers SELECTs only). Set on every pooled
 * connection as it is made, so migrations, which open their own data source,
 * are not capped.
 *
 * Within a request that carries a deadline (deadline.ts), each statement is
 * sent with what is left of it as its own, shorter limit, so no query
 * outlives its request. The statement text is rewritten as the pool hands a
 * connection out: no extra round trip.
 *
 * Nothing to do on SQLite, whose statements run in process and cannot be
 * interrupted (better-sqlite3 is synchronous).
 */
export async function capStatementTime(dataSource: DataSource, timeoutMs: number): Promise<void> {
  if (!isMysql(dataSource)) return;
  const [row]: { v: string }[] = await dataSource.query('SELECT VERSION() AS v');
  const mariadb = /mariadb/i.test(row?.v ?? '');
  const statement = mariadb
    ? `SET SESSION max_statement_time = ${(timeoutMs / 1000).toFixed(3)}, ${MARIADB_IN_LISTS_AS_RANGES}`
    : `SET SESSION max_execution_time = ${Math.round(timeoutMs)}`;
  for (const pool of mysqlPools<{ on(event: 'connection', listener: (c: PooledConnection) => void): void }>(dataSource)) {
    pool.on('connection', (connection) => connection.query(statement));
  }
  wrapPooledQueries(dataSource, (query) => (sql, ...rest) => {
    const left = remainingMs();
    if (!statementNeedsDeadline(left, timeoutMs)) return query(sql, ...rest);
    if (typeof sql === 'string') return query(withStatementDeadline(sql, left, mariadb), ...rest);
    if (sql && typeof (sql as { sql?: unknown }).sql === 'string') {
      return query({ ...(sql as object), sql: withStatementDeadline((sql as { sql: string }).sql, left, mariadb) }, ...rest);
    }
    return query(sql, ...rest);
  });
  // Connections the pool already holds (initialize made one) get it now.
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query(statement);
  } finally {
    await runner.release();
  }
}

/** The MariaDB/MySQL error of a statement the server cancelled for running too long. */
export function isStatementTimeout(error: unknown): boolean {
  const errno = (error as { driverError?: { errno?: number }; errno?: number })?.driverError?.errno ?? (error as { errno?: number })?.errno;
  // MariaDB's ER_STATEMENT_TIMEOUT (mysql2 has no name for it), MySQL's ER_QUERY_TIMEOUT.
  return errno === 1969 || errno === 3024;
}
