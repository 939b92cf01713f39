import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What is left of the client request's time, in milliseconds, as the caller
 * (gateway or peer subgraph) sends it. Relative, like gRPC's grpc-timeout,
 * so that no two clocks need agree. Not signed: a caller can only shorten
 * its own request with it, and each service caps it by its own limit.
 */
export const DEADLINE_HEADER = 'x-c360-timeout-ms';

const deadlines = new AsyncLocalStorage<number>();

/** Runs `fn` with the request's deadline (epoch ms) set for everything it starts, SQL statements and peer calls included. */
export function withDeadline<T>(deadlineAt: number, fn: () => T): T {
  return deadlines.run(deadlineAt, fn);
}

/** Milliseconds left of the current request, or undefined outside a request with a deadline. */
export function remainingMs(now = Date.now()): number | undefined {
  const at = deadlines.getStore();
  return at === undefined ? undefined : at - now;
}

/** The deadline a request's header gives, or undefined when it carries none (or nonsense). */
export function deadlineFromHeader(value: string | string[] | undefined, now = Date.now()): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value)) return undefined;
  return now + Number(value);
}

/** Header and abort signal for a call to a peer service: at most `timeoutMs`, and never past the request's deadline. */
export function peerCallLimits(timeoutMs: number): { headers: Record<string, string>; signal: AbortSignal } {
  const left = remainingMs();
  const budget = Math.max(1, Math.min(timeoutMs, left ?? timeoutMs));
  return { headers: left === undefined ? {} : { [DEADLINE_HEADER]: String(budget) }, signal: AbortSignal.timeout(budget) };
}

const CAPPED_MARIADB = /^\s*(SELECT|INSERT|UPDATE|DELETE|REPLACE|WITH)\b/i;
const CAPPED_MYSQL = /^(\s*SELECT\b)/i;

/**
 * The statement with the request's remaining time as its server-side limit:
 * MariaDB's `SET STATEMENT max_statement_time = s FOR …` (any data
 * statement), MySQL's `MAX_EXECUTION_TIME(ms)` optimizer hint (SELECTs only:
 * MySQL caps nothing else). At least 1 ms: 0 would mean no limit.
 * Transaction control and DDL are left as they are.
 */
export function withStatementDeadline(sql: string, remaining: number, mariadb: boolean): string {
  const ms = Math.max(1, Math.floor(remaining));
  if (mariadb) return CAPPED_MARIADB.test(sql) ? `SET STATEMENT max_statement_time = ${(ms / 1000).toFixed(3)} FOR ${sql}` : sql;
  return sql.replace(CAPPED_MYSQL, `$1 /*+ MAX_EXECUTION_TIME(${ms}) */`);
}
