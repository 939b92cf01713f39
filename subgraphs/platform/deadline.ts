import { AsyncLocalStorage } from 'node:async_hooks';
import { context, propagation } from '@opentelemetry/api';

/**
 * What is left of the client request's time, in milliseconds, as the caller
 * (gateway or peer subgraph) sends it. Relative, like gRPC's grpc-timeout,
 * so that no two clocks need agree. Not signed: a caller can only shorten
 * its own request with it, and each service caps it by its own limit.
 */
export const DEADLINE_HEADER = 'x-c360-timeout-ms';

/** The request id travels to subgraphs and peers in this header, and comes back in the response. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** What everything a request starts knows about it: its deadline and its id (for logs and peer calls). */
export interface RequestScope {
  /** Epoch ms. */
  deadlineAt?: number;
  requestId?: string;
  /** Reads must see the primary: the request writes, or a request that writes asked (read-replica.ts). */
  primary?: boolean;
}

/** Sent on peer calls of a request whose reads must see the primary (a mutation's lookups). */
export const PRIMARY_READS_HEADER = 'x-c360-read-primary';

const scopes = new AsyncLocalStorage<RequestScope>();

/** Runs `fn` with `scope` (merged over the current one) set for everything it starts, SQL statements and peer calls included. */
export function withRequestScope<T>(scope: RequestScope, fn: () => T): T {
  return scopes.run({ ...scopes.getStore(), ...scope }, fn);
}

/** Runs `fn` with the request's deadline (epoch ms) set for everything it starts. */
export function withDeadline<T>(deadlineAt: number, fn: () => T): T {
  return withRequestScope({ deadlineAt }, fn);
}

/** Milliseconds left of the current request, or undefined outside a request with a deadline. */
export function remainingMs(now = Date.now()): number | undefined {
  const at = scopes.getStore()?.deadlineAt;
  return at === undefined ? undefined : at - now;
}

/** From now on, the current request reads from the primary (it has written or is about to). */
export function markPrimaryReads(): void {
  const scope = scopes.getStore();
  if (scope) scope.primary = true;
}

/** Whether a read may go to a replica: only inside a request that does not need the primary. */
export function readsMayUseReplica(): boolean {
  const scope = scopes.getStore();
  return scope !== undefined && scope.requestId !== undefined && !scope.primary;
}

/** The id of the current request, or undefined outside one. */
export function currentRequestId(): string | undefined {
  return scopes.getStore()?.requestId;
}

/** Headers that carry the current request to another service: its id and its trace context (W3C traceparent, when tracing is on). */
export function requestHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const id = currentRequestId();
  if (id) headers[REQUEST_ID_HEADER] = id;
  if (scopes.getStore()?.primary) headers[PRIMARY_READS_HEADER] = '1';
  propagation.inject(context.active(), headers);
  return headers;
}

/** The deadline a request's header gives, or undefined when it carries none (or nonsense). */
export function deadlineFromHeader(value: string | string[] | undefined, now = Date.now()): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value)) return undefined;
  return now + Number(value);
}

/**
 * Headers and abort signal for a call to a peer service: at most
 * `timeoutMs`, never past the request's deadline, and carrying the request's
 * id and trace context.
 */
export function peerCallLimits(timeoutMs: number): { headers: Record<string, string>; signal: AbortSignal } {
  const left = remainingMs();
  const budget = Math.max(1, Math.min(timeoutMs, left ?? timeoutMs));
  const headers = requestHeaders();
  if (left !== undefined) headers[DEADLINE_HEADER] = String(budget);
  return { headers, signal: AbortSignal.timeout(budget) };
}

const CAPPED_MARIADB = /^\s*(SELECT|INSERT|UPDATE|DELETE|REPLACE|WITH)\b/i;
const CAPPED_MYSQL = /^(\s*SELECT\b)/i;

/**
 * Whether a statement needs a limit of its own, given the time left for its
 * request and the session's cap (SQL_STATEMENT_TIMEOUT_MS): only when what is
 * left is under 90 % of the cap. A request arrives with a little less than
 * the cap (the gateway's fetch budget is the same 10 s less a margin), so
 * without the slack nearly every statement of every request was sent as
 * `SET STATEMENT … FOR …`; with it, a statement may outlive its request's
 * deadline by at most a tenth of the cap, the gateway still answers the
 * client at the deadline, and the cap still ends the statement.
 */
export function statementNeedsDeadline(remaining: number | undefined, capMs: number): remaining is number {
  return remaining !== undefined && remaining < capMs * 0.9;
}

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
