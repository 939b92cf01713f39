import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { GraphQLError } from 'graphql';
import { Agent, request } from 'undici';
import { failedFetchResponse } from './partial-failure';
import type { BaseContext } from '@apollo/server';
import type { Caller } from './authentication';
import {
  DEADLINE_HEADER,
  ErrorCode,
  INTERNAL_MESSAGE,
  PRINCIPAL_HEADER,
  remainingMs,
  requestHeaders,
  serviceUnavailable,
  withoutInputValues,
  type ServiceMetrics,
} from '../subgraphs/platform';

/** What the gateway keeps per client request: the authenticated caller, and its principal signed for the subgraphs. */
export interface GatewayContext extends BaseContext {
  principal: Caller;
  /** The signed principal (one signature per client request, sent with every subgraph fetch). */
  signedPrincipal: string;
}

type GatewayGraphQLResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;

/** Marks errors the gateway itself wrote (a subgraph did not answer); never sent to clients. */
export const GATEWAY_ERROR = 'gatewayError';

/**
 * The gateway could not get an answer from a subgraph. Retryable for now;
 * `retryablePolicy` takes that back where the request was a mutation that
 * might have been applied before the answer was lost.
 */
function unavailable(serviceName: string, reason: 'UNAVAILABLE' | 'TIMEOUT'): GraphQLError {
  const error = serviceUnavailable(serviceName, reason, true);
  error.extensions[GATEWAY_ERROR] = true;
  return error;
}

/** The BAD_USER_INPUT a subgraph's 400 answer carries, rewritten so that no value is repeated; undefined for anything else. */
function badInputFrom(body: string, serviceName: string): GraphQLError | undefined {
  let parsed: { errors?: { message?: unknown; extensions?: { code?: unknown; field?: unknown } }[] };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return undefined;
  }
  const first = parsed.errors?.[0];
  // A literal the subgraph's scalar refuses arrives as a validation error of the fetch: bad input too.
  const code = first?.extensions?.code;
  if ((code !== ErrorCode.BAD_USER_INPUT && code !== 'GRAPHQL_VALIDATION_FAILED') || typeof first?.message !== 'string') return undefined;
  const clean = withoutInputValues(first.message);
  const field = typeof first.extensions?.field === 'string' ? first.extensions.field : clean.field;
  return new GraphQLError(clean.message, { extensions: { code: ErrorCode.BAD_USER_INPUT, ...(field ? { field } : {}), serviceName } });
}

/** A subgraph refused the gateway's request (4xx): not an outage, and repeating it changes nothing. */
function refused(serviceName: string, status: number): GraphQLError {
  if (status === 413) {
    return new GraphQLError(`The request is too large for the ${serviceName} service`, {
      extensions: { code: ErrorCode.BAD_USER_INPUT, serviceName, [GATEWAY_ERROR]: true },
    });
  }
  return new GraphQLError(INTERNAL_MESSAGE, {
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, serviceName, retryable: false, [GATEWAY_ERROR]: true },
  });
}

function isTimeout(error: unknown): boolean {
  const code = (error as { code?: string })?.code ?? '';
  // Not `instanceof Error`: an aborted signal's DOMException may come from another realm.
  const name = (error as { name?: unknown })?.name;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || name === 'TimeoutError' || name === 'AbortError';
}

/**
 * One connection pool for all subgraph requests: keep-alive sockets per
 * subgraph, reused across requests. Measured faster than the default fetcher
 * and than global fetch (bench/RESULTS.md), which wraps every response in web
 * streams.
 */
const subgraphAgent = new Agent({ keepAliveTimeout: 30_000, connections: 128 });

/**
 * undici's request() behind the Fetcher interface RemoteGraphQLDataSource
 * expects, with a deadline on every subgraph request: timeoutMs, or what is
 * left of the client request's REQUEST_TIMEOUT_MS if that is less, sent
 * along as DEADLINE_HEADER. A transport failure becomes one clear error that names
 * the service but not its host, port or the socket error.
 */
export function subgraphFetcher(serviceName: string, timeoutMs: number, metrics?: ServiceMetrics): Fetcher {
  const durations = metrics?.histogram(
    'c360_subgraph_fetch_duration_seconds',
    'Gateway fetches from subgraphs, by subgraph and outcome (ok, error: no answer)',
    ['subgraph', 'outcome'],
  );
  const errors = metrics?.counter('c360_subgraph_fetch_errors_total', 'Gateway fetches that got no answer, by subgraph and reason (UNAVAILABLE, TIMEOUT)', [
    'subgraph',
    'reason',
  ]);
  return (async (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string }) => {
    // The client request's deadline bounds the fetch and travels with it; past it, the subgraph is not asked.
    const left = remainingMs();
    if (left !== undefined && left <= 0) {
      errors?.inc({ subgraph: serviceName, reason: 'TIMEOUT' });
      throw unavailable(serviceName, 'TIMEOUT');
    }
    const budget = Math.min(timeoutMs, left ?? timeoutMs);
    const stop = durations?.startTimer({ subgraph: serviceName });
    // The request id and trace context (traceparent) go along; the subgraph gets a little less time,
    // so that its own TIMEOUT answer arrives before this fetch gives up.
    const headers: Record<string, string> = { ...init?.headers, ...requestHeaders() };
    if (left !== undefined) headers[DEADLINE_HEADER] = String(Math.max(1, budget - Math.min(50, Math.floor(budget / 10))));
    try {
      const response = await request(url, {
        method: (init?.method ?? 'POST') as 'POST',
        headers,
        body: init?.body,
        dispatcher: subgraphAgent,
        headersTimeout: budget,
        bodyTimeout: budget,
        signal: left === undefined ? undefined : AbortSignal.timeout(budget),
      });
      stop?.({ outcome: 'ok' });
      const responseHeaders = new Headers();
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      // The body is read when the data source asks for it, and not kept as
      // text next to its parsed form for the rest of the operation.
      return {
        ok: response.statusCode >= 200 && response.statusCode < 300,
        status: response.statusCode,
        statusText: '',
        url,
        headers: responseHeaders,
        text: () => response.body.text(),
        json: () => response.body.json(),
      };
    } catch (error) {
      const reason = isTimeout(error) ? 'TIMEOUT' : 'UNAVAILABLE';
      stop?.({ outcome: 'error' });
      errors?.inc({ subgraph: serviceName, reason });
      throw unavailable(serviceName, reason);
    }
  }) as unknown as Fetcher;
}

interface SharedAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/** Who a signed principal is (sub, kind, roles), from its payload: the token itself differs per request. */
function principalKey(token: string | undefined): string | undefined {
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown; kind?: unknown; roles?: unknown };
    const roles = Array.isArray(claims.roles) ? [...claims.roles].map(String).sort() : [];
    return JSON.stringify([claims.sub, claims.kind, roles]);
  } catch {
    return undefined;
  }
}

/**
 * In-flight deduplication of subgraph reads: identical read-only requests
 * (same subgraph, query, variables and principal) that are under way at the
 * same time share one upstream call, and each caller parses its own copy of
 * the answer (the gateway merges answers into its own result, so none is
 * shared). Mutations are never shared: the body must start with a query.
 * A caller waits for the shared call no longer than its own deadline. The
 * entry is gone once the call is answered: nothing is cached.
 */
export function dedupeReads(fetcher: Fetcher, serviceName: string, metrics?: ServiceMetrics): Fetcher {
  const inFlight = new Map<string, Promise<SharedAnswer>>();
  const shared = metrics?.counter('c360_subgraph_fetch_deduplicated_total', 'Subgraph reads answered by an identical read already under way, by subgraph', [
    'subgraph',
  ]);
  return (async (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string }) => {
    const body = init?.body ?? '';
    const who = principalKey(init?.headers?.[PRINCIPAL_HEADER]);
    if (!who || !(body.startsWith('{"query":"query') || body.startsWith('{"query":"{'))) return fetcher(url, init as never);
    const key = `${url}\n${who}\n${body}`;
    let answer = inFlight.get(key);
    if (answer) {
      shared?.inc({ subgraph: serviceName });
      return answerOf(url, await withinDeadline(answer, serviceName));
    }
    answer = (async () => {
      const response = await fetcher(url, init as never);
      try {
        return { status: response.status, headers: response.headers as unknown as Headers, text: await response.text() };
      } catch (error) {
        throw unavailable(serviceName, isTimeout(error) ? 'TIMEOUT' : 'UNAVAILABLE');
      }
    })();
    inFlight.set(key, answer);
    const forget = () => inFlight.delete(key);
    answer.then(forget, forget);
    return answerOf(url, await answer);
  }) as unknown as Fetcher;
}

/** The shared answer, or TIMEOUT once this caller's own deadline has passed. */
async function withinDeadline(answer: Promise<SharedAnswer>, serviceName: string): Promise<SharedAnswer> {
  const left = remainingMs();
  if (left === undefined) return answer;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(unavailable(serviceName, 'TIMEOUT')), Math.max(0, left));
  });
  try {
    return await Promise.race([answer, late]);
  } finally {
    clearTimeout(timer);
  }
}

function answerOf(url: string, shared: SharedAnswer) {
  return {
    ok: shared.status >= 200 && shared.status < 300,
    status: shared.status,
    statusText: '',
    url,
    headers: shared.headers,
    text: async () => shared.text,
    json: async () => JSON.parse(shared.text) as unknown,
  };
}

/** A subgraph as the gateway talks to it: forwards the caller's identity, times out, hides internals. */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly serviceName: string,
    url: string,
    timeoutMs: number,
    metrics?: ServiceMetrics,
    /** Share identical reads under way at the same time (dedupeReads); default true. */
    dedupe = true,
  ) {
    const fetcher = subgraphFetcher(serviceName, timeoutMs, metrics);
    super({ url, fetcher: dedupe ? dedupeReads(fetcher, serviceName, metrics) : fetcher });
  }

  /**
   * A subgraph that could not answer (down, too slow, 5xx) costs only its own
   * fields: the fetch is answered with null for each of them and an error at
   * each one's path (partial-failure.ts). Refusals (4xx) and anything else
   * still fail the fetch as a whole.
   */
  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    try {
      return await super.process(options);
    } catch (error) {
      const reason = error instanceof GraphQLError ? error.extensions.reason : undefined;
      if (!(error instanceof GraphQLError) || (reason !== 'UNAVAILABLE' && reason !== 'TIMEOUT') || !options.request.query) throw error;
      const partial = failedFetchResponse(options.request.query, options.request.variables, error);
      if (!partial) throw error;
      return partial as GatewayGraphQLResponse;
    }
  }

  /** Only the signed principal: nothing the client sent about itself (no x-c360-* header) reaches a subgraph. */
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const signed = (context as Partial<GatewayContext>).signedPrincipal;
    if (signed) request.http?.headers.set(PRINCIPAL_HEADER, signed);
  }

  override async parseBody(...args: Parameters<RemoteGraphQLDataSource<GatewayContext>['parseBody']>): Promise<object | string> {
    try {
      return await super.parseBody(...args);
    } catch (error) {
      // The body streams in here: the deadline can strike, or it is not JSON.
      throw unavailable(this.serviceName, isTimeout(error) ? 'TIMEOUT' : 'UNAVAILABLE');
    }
  }

  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]): Promise<GraphQLError> {
    // A non-2xx answer: its body may hold internals, so it is not passed on
    // (only read to the end so that the pooled connection can be reused),
    // except a 400 that refuses the client's input, such as a variable the
    // subgraph's scalar rejects: that one error's code, field and value-free
    // message reach the client.
    const text = await response.text().catch(() => '');
    if (response.status === 400) {
      const input = badInputFrom(text, this.serviceName);
      if (input) return input;
    }
    if (response.status >= 400 && response.status < 500) return refused(this.serviceName, response.status);
    return unavailable(this.serviceName, 'UNAVAILABLE');
  }
}
