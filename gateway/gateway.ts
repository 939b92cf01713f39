import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { Agent, request } from 'undici';
import { failedFetchResponse } from './partial-failure';
import { retryablePolicy } from './retryable';
import { accessRules, guardGateway, supergraphForGateway } from './access';
import { Authenticator, type AuthConfig, type Caller } from './authentication';
import { TrustedDocuments, resolveDocumentIds, trustedDocumentsPlugin, type TrustedDocumentsConfig } from './trusted-documents';
import { DenialReporter } from './denials';
import { DEFAULT_COST_LIMITS, costLimitPlugin, type CostLimits } from './cost';
import { DEFAULT_LIMITS, preflight, protection, type OperationLimits } from './limits';
import { DEFAULT_RATE_LIMITS, RateLimiter, type RateLimits } from './rate-limit';
import {
  DEADLINE_HEADER,
  ErrorCode,
  INTERNAL_MESSAGE,
  InternalSigner,
  PRINCIPAL_HEADER,
  basePlugins,
  formatClientError,
  listen,
  projectRoot,
  remainingMs,
  serviceUnavailable,
  withoutInputValues,
  type RunningServer,
  type ServerConfig,
  type SubgraphName,
} from '../subgraphs/platform';

// Set before the gateway loads anything: no telemetry leaves this machine.
process.env.APOLLO_TELEMETRY_DISABLED = '1';

/** What the gateway keeps per client request: the authenticated caller, and its principal signed for the subgraphs. */
export interface GatewayContext extends BaseContext {
  principal: Caller;
  /** The signed principal (one signature per client request, sent with every subgraph fetch). */
  signedPrincipal: string;
}

type GatewayGraphQLResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;

/** REQUEST_TIMEOUT_MS when not configured. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

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
export function subgraphFetcher(serviceName: string, timeoutMs: number): Fetcher {
  return (async (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string }) => {
    // The client request's deadline bounds the fetch and travels with it; past it, the subgraph is not asked.
    const left = remainingMs();
    if (left !== undefined && left <= 0) throw unavailable(serviceName, 'TIMEOUT');
    const budget = Math.min(timeoutMs, left ?? timeoutMs);
    try {
      const response = await request(url, {
        method: (init?.method ?? 'POST') as 'POST',
        // The subgraph gets a little less, so that its own TIMEOUT answer arrives before this fetch gives up.
        headers:
          left === undefined ? init?.headers : { ...init?.headers, [DEADLINE_HEADER]: String(Math.max(1, budget - Math.min(50, Math.floor(budget / 10)))) },
        body: init?.body,
        dispatcher: subgraphAgent,
        headersTimeout: budget,
        bodyTimeout: budget,
        signal: left === undefined ? undefined : AbortSignal.timeout(budget),
      });
      const headers = new Headers();
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      // The body is read when the data source asks for it, and not kept as
      // text next to its parsed form for the rest of the operation.
      return {
        ok: response.statusCode >= 200 && response.statusCode < 300,
        status: response.statusCode,
        statusText: '',
        url,
        headers,
        text: () => response.body.text(),
        json: () => response.body.json(),
      };
    } catch (error) {
      throw unavailable(serviceName, isTimeout(error) ? 'TIMEOUT' : 'UNAVAILABLE');
    }
  }) as unknown as Fetcher;
}

/** A subgraph as the gateway talks to it: forwards the caller's identity, times out, hides internals. */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly serviceName: string,
    url: string,
    timeoutMs: number,
  ) {
    super({ url, fetcher: subgraphFetcher(serviceName, timeoutMs) });
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

const FORWARDED_EXTENSIONS = [
  'code',
  'field',
  'serviceName',
  'unavailableService',
  'reason',
  'retryable',
  'expectedVersion',
  'actualVersion',
  'retryAfterSeconds',
  'cost',
];

/**
 * Client-facing errors of the gateway: contract codes from subgraphs pass
 * with their message; unavailability errors (the gateway's own and those of
 * subgraphs about their peers) keep service, reason and retryable; everything
 * else is a bare INTERNAL_SERVER_ERROR.
 */
export function formatGatewayError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const extensions = formatted.extensions ?? {};
  const keep = Object.fromEntries(FORWARDED_EXTENSIONS.filter((k) => k in extensions).map((k) => [k, extensions[k]]));
  const safe = formatClientError({ ...formatted, extensions: keep }, (internal) => {
    console.error(`[gateway] internal error at ${internal.path?.join('.') ?? '(request)'}: ${internal.message.slice(0, 300)}`);
  });
  // Only subgraph → gateway needs it: the gateway overwrites serviceName with the subgraph that answered.
  if (safe.extensions) delete safe.extensions.unavailableService;
  if (safe.message === INTERNAL_MESSAGE && typeof extensions.serviceName === 'string') {
    return { ...safe, extensions: { ...safe.extensions, serviceName: extensions.serviceName } };
  }
  return safe;
}

export interface GatewayOptions {
  server: ServerConfig;
  /** The composed supergraph SDL (schema/supergraph.graphql). */
  supergraphSdl: string;
  subgraphUrls: Partial<Record<SubgraphName, string>>;
  subgraphTimeoutMs: number;
  /** How long one client request may take, all its subgraph fetches together; default DEFAULT_REQUEST_TIMEOUT_MS. */
  requestTimeoutMs?: number;
  auth: AuthConfig;
  /** Default DEFAULT_LIMITS (limits.ts); from the environment in main.ts. */
  limits?: OperationLimits;
  /** Default DEFAULT_RATE_LIMITS (rate-limit.ts). */
  rateLimits?: RateLimits;
  /** Default DEFAULT_COST_LIMITS (cost.ts). */
  cost?: CostLimits;
  /** Default: schema/trusted-documents.json, no role held to it (trusted-documents.ts). */
  trustedDocuments?: TrustedDocumentsConfig;
}

/** A gateway on the static supergraph: no introspection of subgraphs at run time. */
export function buildGateway(options: Pick<GatewayOptions, 'supergraphSdl' | 'subgraphUrls' | 'subgraphTimeoutMs'>): ApolloGateway {
  return new ApolloGateway({
    supergraphSdl: supergraphForGateway(options.supergraphSdl),
    buildService: ({ name, url }) => new SubgraphDataSource(name, options.subgraphUrls[name as SubgraphName] ?? url ?? '', options.subgraphTimeoutMs),
  });
}

/** What the gateway's Apollo server checks beyond the schema; each part has its default. */
export interface GatewayChecks {
  denials?: DenialReporter;
  limits?: OperationLimits;
  cost?: CostLimits;
  trusted?: { documents: TrustedDocuments; onlyRoles: readonly string[] };
}

export function createGatewayApollo(
  gateway: ApolloGateway,
  httpServer: Server,
  production: boolean,
  supergraphSdl: string,
  checks: GatewayChecks = {},
): ApolloServer<GatewayContext> {
  const limits = checks.limits ?? DEFAULT_LIMITS;
  const limited = protection(limits, production);
  const trusted = checks.trusted ? [trustedDocumentsPlugin(checks.trusted.documents, checks.trusted.onlyRoles)] : [];
  return new ApolloServer<GatewayContext>({
    gateway: guardGateway(gateway, accessRules(supergraphSdl), (principal, field) =>
      checks.denials?.report({ actor: principal?.sub ?? 'anonymous', actorKind: principal?.kind ?? 'user', entityType: field, outcome: 'FORBIDDEN' }),
    ),
    introspection: !production || limits.introspection,
    includeStacktraceInErrorResponses: false,
    formatError: formatGatewayError,
    validationRules: limited.validationRules,
    allowBatchedHttpRequests: limited.allowBatchedHttpRequests,
    plugins: [
      ...basePlugins<GatewayContext>(httpServer, production),
      ...trusted,
      ...limited.plugins,
      costLimitPlugin(supergraphSdl, checks.cost ?? DEFAULT_COST_LIMITS),
      retryablePolicy(GATEWAY_ERROR),
    ],
  });
}

/** Starts the gateway and binds its port (0 = any free port). */
export async function startGateway(options: GatewayOptions): Promise<RunningServer> {
  const gateway = buildGateway(options);
  const authenticator = new Authenticator(options.auth);
  const signer = new InternalSigner(options.server.internalAuthSecret);
  const documents = TrustedDocuments.fromFile(options.trustedDocuments?.file ?? join(projectRoot(), 'schema', 'trusted-documents.json'));
  const rateLimiter = new RateLimiter(options.rateLimits ?? DEFAULT_RATE_LIMITS);
  await rateLimiter.ready();
  const denials = new DenialReporter(options.subgraphUrls.customers ?? 'http://localhost:4001/graphql', signer);
  const server = await listen<GatewayContext>({
    name: 'gateway',
    config: options.server,
    apollo: (httpServer) =>
      createGatewayApollo(gateway, httpServer, options.server.production, options.supergraphSdl, {
        denials,
        limits: options.limits,
        cost: options.cost,
        trusted: { documents, onlyRoles: options.trustedDocuments?.onlyRoles ?? [] },
      }),
    // documentId and APQ hashes of registered operations become their documents before Apollo reads the request.
    // Then the operation limits, alone and at once (limits.ts: Apollo's one validation pass is slower to refuse).
    beforeGraphQL: [
      resolveDocumentIds(documents),
      preflight(
        options.limits ?? DEFAULT_LIMITS,
        protection(options.limits ?? DEFAULT_LIMITS, options.server.production).validationRules,
        () => gateway.schema,
      ),
    ],
    // Before parsing and planning: a request without valid credentials is answered 401 and asks no subgraph.
    context: async (req) => {
      let principal: Caller;
      try {
        principal = await authenticator.authenticate(req.headers);
      } catch (error) {
        denials.report({ actor: 'anonymous', actorKind: 'user', entityType: 'Request', outcome: 'UNAUTHENTICATED' });
        // The peer address, never a header a client could set: too many failures from it are 429.
        await rateLimiter.failed(req.socket.remoteAddress ?? 'unknown');
        throw error;
      }
      await rateLimiter.take(principal);
      return { principal, signedPrincipal: await signer.sign(principal) };
    },
    deadline: () => Date.now() + (options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS),
    // Started means the supergraph is loaded; subgraph outages are reported per request.
    ready: async () => undefined,
  });
  return {
    ...server,
    async stop() {
      await server.stop();
      await denials.stop();
      await rateLimiter.stop();
    },
  };
}

export function readSupergraph(path: string): string {
  return readFileSync(path, 'utf8');
}
