import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloGateway } from '@apollo/gateway';
import type { Request } from 'express';
import { exportRoutes } from './export.routes';
import { WARM_UP_PRINCIPAL, warmUpExports } from './export-warm-up';
import { explorerRoutes, type ExplorerOptions } from './explorer';
import type { GraphQLFormattedError } from 'graphql';
import { GATEWAY_ERROR, SubgraphDataSource, type GatewayContext } from './subgraph-source';
import { retryablePolicy } from './retryable';
import { accessRules, guardGateway, supergraphForGateway } from './access';
import { Authenticator, type AuthConfig, type Caller } from './authentication';
import { TrustedDocuments, resolveDocumentIds, trustedDocumentsPlugin, type TrustedDocumentsConfig } from './trusted-documents';
import { DenialReporter } from './denials';
import { DEFAULT_COST_LIMITS, costLimitPlugin, type CostLimits } from './cost';
import { DEFAULT_LIMITS, preflight, protection, type OperationLimits } from './limits';
import { DEFAULT_RATE_LIMITS, RateLimiter, type RateLimits } from './rate-limit';
import {
  INTERNAL_MESSAGE,
  InternalSigner,
  basePlugins,
  createLogger,
  createTelemetry,
  formatClientError,
  listen,
  projectRoot,
  withDeadline,
  type Logger,
  type RunningServer,
  type ServiceMetrics,
  type Telemetry,
  type ServerConfig,
  type SubgraphName,
} from '../subgraphs/platform';

export type { GatewayContext } from './subgraph-source';

/** REQUEST_TIMEOUT_MS when not configured. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

let gatewayLogger: Logger | undefined;
function defaultLogger(): Logger {
  return (gatewayLogger ??= createLogger('gateway'));
}

// Set before the gateway loads anything: no telemetry leaves this machine.
process.env.APOLLO_TELEMETRY_DISABLED = '1';

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
export function formatGatewayError(formatted: GraphQLFormattedError, logger: Logger = defaultLogger()): GraphQLFormattedError {
  const extensions = formatted.extensions ?? {};
  const keep = Object.fromEntries(FORWARDED_EXTENSIONS.filter((k) => k in extensions).map((k) => [k, extensions[k]]));
  const safe = formatClientError({ ...formatted, extensions: keep }, (internal) => {
    // The message of an internal error may quote input: only where it happened and its code.
    logger.error({ path: internal.path?.join('.') ?? '(request)', code: internal.extensions?.code }, 'internal error');
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
  /** EXPLORER, EXPLORER_TOKENS_FILE: the self-hosted GraphiQL; default on outside production, no tokens. */
  explorer?: ExplorerOptions;
  /** EXPORT_PAGE_SIZE: rows per page a BI export reads through the graph; default DEFAULT_EXPORT_PAGE_SIZE (4000). */
  exportPageSize?: number;
  /** EXPORT_PAGES_IN_FLIGHT: pages of one BI export read at once; default 2 (export-pages.ts). */
  exportPagesInFlight?: number;
  /**
   * EXPORT_WARM_UP_PAGES: pages of the customers export read at start, before
   * /readyz answers ready (export-warm-up.ts); default 0 here, 2 from the environment.
   */
  exportWarmUpPages?: number;
  /** How long ready waits for the warm-up at most; default DEFAULT_EXPORT_WARM_UP_DEADLINE_MS (10 s). */
  exportWarmUpDeadlineMs?: number;
  /** Default: schema/trusted-documents.json, no role held to it (trusted-documents.ts). */
  trustedDocuments?: TrustedDocumentsConfig;
  /** SUBGRAPH_DEDUPE: identical subgraph reads under way at once share one call (subgraph-source.ts); default true. */
  dedupeReads?: boolean;
  /** The gateway's logger and metrics; default a new set (createTelemetry). Tests pass their own to read the log. */
  telemetry?: Telemetry;
}

/** A gateway on the static supergraph: no introspection of subgraphs at run time. */
export function buildGateway(
  options: Pick<GatewayOptions, 'supergraphSdl' | 'subgraphUrls' | 'subgraphTimeoutMs' | 'dedupeReads'> & {
    /** Where subgraph fetch durations and errors are counted; default nowhere. */
    metrics?: ServiceMetrics;
  },
): ApolloGateway {
  return new ApolloGateway({
    supergraphSdl: supergraphForGateway(options.supergraphSdl),
    buildService: ({ name, url }) =>
      new SubgraphDataSource(
        name,
        options.subgraphUrls[name as SubgraphName] ?? url ?? '',
        options.subgraphTimeoutMs,
        options.metrics,
        options.dedupeReads ?? true,
      ),
  });
}

/** What the gateway's Apollo server checks beyond the schema; each part has its default. */
export interface GatewayChecks {
  denials?: DenialReporter;
  limits?: OperationLimits;
  /** The limits as Apollo options (limits.ts), when the caller built them already for its preflight; default built here. */
  protection?: ReturnType<typeof protection>;
  cost?: CostLimits;
  trusted?: { documents: TrustedDocuments; onlyRoles: readonly string[] };
  /** Logger and metrics; default a fresh set for "gateway". */
  telemetry?: Telemetry;
}

export function createGatewayApollo(
  gateway: ApolloGateway,
  httpServer: Server,
  production: boolean,
  supergraphSdl: string,
  checks: GatewayChecks = {},
): ApolloServer<GatewayContext> {
  const limits = checks.limits ?? DEFAULT_LIMITS;
  const limited = checks.protection ?? protection(limits, production);
  const trusted = checks.trusted ? [trustedDocumentsPlugin(checks.trusted.documents, checks.trusted.onlyRoles)] : [];
  const telemetry = checks.telemetry ?? createTelemetry('gateway');
  return new ApolloServer<GatewayContext>({
    gateway: guardGateway(gateway, accessRules(supergraphSdl), (principal, field) =>
      checks.denials?.report({ actor: principal?.sub ?? 'anonymous', actorKind: principal?.kind ?? 'user', entityType: field, outcome: 'FORBIDDEN' }),
    ),
    introspection: !production || limits.introspection,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted) => formatGatewayError(formatted, telemetry.logger),
    validationRules: limited.validationRules,
    allowBatchedHttpRequests: limited.allowBatchedHttpRequests,
    plugins: [
      ...basePlugins<GatewayContext>(httpServer, production, telemetry.metrics),
      refusalCounter(telemetry.metrics),
      ...trusted,
      ...limited.plugins,
      costLimitPlugin(supergraphSdl, checks.cost ?? DEFAULT_COST_LIMITS, telemetry.metrics),
      retryablePolicy(GATEWAY_ERROR),
    ],
  });
}

/** The counter of operations the gateway refused, by code: the rate limiter's, the checks' and the access rules' in one series. */
function refusals(metrics: ServiceMetrics) {
  return metrics.counter(
    'c360_gateway_refusals_total',
    'Operations refused by the gateway, by error code (authentication, rate limit, limits, cost, trusted documents, access)',
    ['code'],
  );
}

/** Codes an answer of Apollo's counts as a refusal (the others are refused before Apollo and counted there). */
const REFUSAL_CODES = new Set([
  'COST_ESTIMATED_TOO_EXPENSIVE',
  'PERSISTED_QUERY_NOT_IN_LIST',
  'PERSISTED_QUERY_NOT_FOUND',
  'GRAPHQL_VALIDATION_FAILED',
  'FORBIDDEN',
]);

function refusalCounter(metrics: ServiceMetrics): ApolloServerPlugin<GatewayContext> {
  const counter = refusals(metrics);
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const codes = new Set((response.body.singleResult.errors ?? []).map((e) => String(e.extensions?.code ?? '')));
          for (const code of codes) if (REFUSAL_CODES.has(code)) counter.inc({ code });
        },
      };
    },
  };
}

/** Starts the gateway and binds its port (0 = any free port). */
export async function startGateway(options: GatewayOptions): Promise<RunningServer> {
  const telemetry = options.telemetry ?? createTelemetry('gateway');
  const gateway = buildGateway({ ...options, metrics: telemetry.metrics });
  const refused = refusals(telemetry.metrics);
  const authenticator = new Authenticator(options.auth);
  const signer = new InternalSigner(options.server.internalAuthSecret);
  const documents = TrustedDocuments.fromFile(options.trustedDocuments?.file ?? join(projectRoot(), 'schema', 'trusted-documents.json'));
  const rateLimiter = new RateLimiter(options.rateLimits ?? DEFAULT_RATE_LIMITS);
  await rateLimiter.ready();
  const denials = new DenialReporter(options.subgraphUrls.customers ?? 'http://localhost:4001/graphql', signer);
  // Before parsing and planning: a request without valid credentials is answered 401 and asks no subgraph.
  const authenticate = async (req: Request): Promise<GatewayContext> => {
    let principal: Caller;
    try {
      principal = await authenticator.authenticate(req.headers);
    } catch (error) {
      refused.inc({ code: 'UNAUTHENTICATED' });
      denials.report({ actor: 'anonymous', actorKind: 'user', entityType: 'Request', outcome: 'UNAUTHENTICATED' });
      // The peer address, never a header a client could set: too many failures from it are 429.
      await rateLimiter.failed(req.socket.remoteAddress ?? 'unknown');
      throw error;
    }
    await rateLimiter.take(principal).catch((error: unknown) => {
      refused.inc({ code: 'RATE_LIMITED' });
      throw error;
    });
    return { principal, signedPrincipal: await signer.sign(principal) };
  };
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  let apollo: ApolloServer<GatewayContext> | undefined;
  // One set of limit rules: the preflight and Apollo's own validation check the same.
  const limits = options.limits ?? DEFAULT_LIMITS;
  const limited = protection(limits, options.server.production);
  // One operation through the whole pipeline (plugins, access rules, cost) as `principal`, within one request deadline.
  const execute = (query: string, variables: Record<string, unknown>, principal: Caller) =>
    withDeadline(Date.now() + requestTimeoutMs, async () => {
      // Signed afresh per page: a long export outlives the 60 s a signed principal is valid.
      const contextValue = { principal, signedPrincipal: await signer.sign(principal) };
      const response = await apollo!.executeOperation({ query, variables }, { contextValue });
      return response.body.kind === 'single' ? response.body.singleResult : { errors: [{ message: 'unexpected incremental answer' }] };
    });
  const biExports = exportRoutes<GatewayContext>({
    schema: () => gateway.schema,
    pageSize: options.exportPageSize,
    pagesInFlight: options.exportPagesInFlight,
    authenticate,
    execute: (query, variables, context) => execute(query, variables, context.principal),
    logger: telemetry.logger,
    onExported: (context, file) =>
      denials.report({ actor: context.principal.sub, actorKind: context.principal.kind, entityType: 'Export', outcome: 'OK', exported: file }),
  });
  // Until the export warm-up is through (at once without one), /readyz answers 503.
  let warm = (options.exportWarmUpPages ?? 0) === 0;
  const server = await listen<GatewayContext>({
    name: 'gateway',
    config: options.server,
    telemetry,
    apollo: (httpServer) =>
      (apollo = createGatewayApollo(gateway, httpServer, options.server.production, options.supergraphSdl, {
        denials,
        limits,
        protection: limited,
        cost: options.cost,
        trusted: { documents, onlyRoles: options.trustedDocuments?.onlyRoles ?? [] },
        telemetry,
      })),
    // documentId and APQ hashes of registered operations become their documents before Apollo reads the request.
    // Then the operation limits, alone and at once (limits.ts: Apollo's one validation pass is slower to refuse).
    beforeGraphQL: [
      resolveDocumentIds(documents),
      preflight(
        limits,
        limited.validationRules,
        () => gateway.schema,
        (code) => refused.inc({ code }),
      ),
    ],
    context: authenticate,
    routes: (app) => {
      // GET /explorer (and /graphql from a browser): the self-hosted GraphiQL, outside production by default.
      explorerRoutes(options.explorer ?? { enabled: !options.server.production, tokens: [] })(app);
      // GET /export: the BI exports, each page one operation through the same pipeline as /graphql.
      biExports(app);
    },
    deadline: () => Date.now() + requestTimeoutMs,
    // Started means the supergraph is loaded (subgraph outages are reported per request) and the export path warmed up.
    ready: async () => {
      if (!warm) throw new Error('warming up');
    },
  });
  const stopWarmUp = new AbortController();
  const warmingUp = warm
    ? Promise.resolve()
    : warmUpExports({
        pages: options.exportWarmUpPages!,
        pageSize: options.exportPageSize,
        execute: (query, variables) => execute(query, variables, WARM_UP_PRINCIPAL),
        logger: telemetry.logger,
        deadlineMs: options.exportWarmUpDeadlineMs,
        signal: stopWarmUp.signal,
      }).then(() => {
        warm = true;
      });
  return {
    ...server,
    async stop() {
      stopWarmUp.abort();
      await warmingUp;
      await server.stop();
      await denials.stop();
      await rateLimiter.stop();
    },
  };
}

export function readSupergraph(path: string): string {
  return readFileSync(path, 'utf8');
}
