import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { unwrapResolverError } from '@apollo/server/errors';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type ErrorRequestHandler, type Express, type Request, type RequestHandler, type Response } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { PRIMARY_READS_HEADER, withRequestScope } from './deadline';
import { isStatementTimeout } from './datasource';
import { formatClientError, serviceUnavailable } from './errors';
import { textInputPlugin } from './input-text';
import { createLogger, httpLogger, safeError, type Logger } from './logger';
import { ServiceMetrics, metricsPlugin } from './metrics';
import { serverSpan } from './tracing';
import type { ServerConfig } from './config';

// Nothing may leave the machine: Apollo's anonymous telemetry is off in every process.
process.env.APOLLO_TELEMETRY_DISABLED = '1';

/** A service's logger and metrics, made once per server and shared by everything it runs. */
export interface Telemetry {
  logger: Logger;
  metrics: ServiceMetrics;
}

/** The logger and metrics of a new service `name`. */
export function createTelemetry(name: string): Telemetry {
  return { logger: createLogger(name), metrics: new ServiceMetrics(name) };
}

export interface HttpAppOptions<C extends BaseContext> {
  /** Label for logs, e.g. "customers" or "gateway". */
  name: string;
  apollo: ApolloServer<C>;
  config: ServerConfig;
  telemetry: Telemetry;
  context: (req: Request) => Promise<C>;
  /** Answers /readyz: resolves when the service can take traffic. */
  ready: () => Promise<void>;
  /**
   * The request's deadline (epoch ms), set for everything the request starts
   * (deadline.ts); default none. The gateway starts the clock, a subgraph
   * reads what its caller left (DEADLINE_HEADER).
   */
  deadline?: (req: Request) => number | undefined;
  /** Handlers between reading the body and Apollo, e.g. the gateway's trusted documents; default none. */
  beforeGraphQL?: RequestHandler[];
  /** Honour a caller's PRIMARY_READS_HEADER: subgraphs do (their callers are the gateway and peers); default false, as at the gateway. */
  peerHints?: boolean;
  /** More routes beside /graphql, e.g. the gateway's BI exports; default none. */
  routes?: (app: Express) => void;
}

/** Plugins every server of this project uses. */
export function basePlugins<C extends BaseContext>(httpServer: Server, production: boolean, metrics: ServiceMetrics): ApolloServerPlugin<C>[] {
  const plugins: ApolloServerPlugin<C>[] = [
    ApolloServerPluginDrainHttpServer({ httpServer }),
    metricsPlugin<C>(metrics),
    ApolloServerPluginUsageReportingDisabled(),
    ApolloServerPluginSchemaReportingDisabled(),
    // Nothing reads cache hints (no response cache, no CDN in front), and the plugin's per-field hook
    // makes Apollo wrap every resolver: a page of 1,000 entities paid for it on each field.
    ApolloServerPluginCacheControlDisabled(),
    textInputPlugin<C>(),
  ];
  if (production) plugins.push(ApolloServerPluginLandingPageDisabled());
  return plugins;
}

/**
 * `formatError` that masks internals and logs them server-side, variables
 * never included. A statement the database cancelled at the request's
 * deadline is this service's TIMEOUT, not an internal error: its transaction
 * was rolled back, so repeating the request is safe.
 */
export function formatErrorFor(name: string, logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    if (isStatementTimeout(unwrapResolverError(error))) {
      const timeout = serviceUnavailable(name, 'TIMEOUT', true);
      return formatClientError({ message: timeout.message, path: formatted.path, locations: formatted.locations, extensions: timeout.extensions });
    }
    return formatClientError(formatted, () => {
      logger.error({ err: safeError(unwrapResolverError(error)), path: formatted.path?.join('.') ?? '(request)' }, 'internal error');
    });
  };
}

function jsonError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

/**
 * The HTTP side shared by subgraphs and the gateway: POST/GET /graphql with a
 * body-size limit, /healthz (the process is up), /readyz (it can serve), and
 * JSON errors instead of Express's HTML pages for bad bodies.
 */
export function buildHttpApp<C extends BaseContext>(options: HttpAppOptions<C>): Express {
  const app = express();
  app.disable('x-powered-by');
  const { logger, metrics } = options.telemetry;
  // One JSON line per request, with its id (the caller's x-request-id or a new one).
  app.use(httpLogger(logger));
  app.use('/graphql', (_req, _res, next) => {
    metrics.graphqlRequests.inc();
    next();
  });
  // Prometheus text (prom-client): process figures, request durations, and each service's own.
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.text());
  });
  // Routes other than /graphql (exports, explorer) get the request's id and span here; /graphql once its body is read.
  const span = serverSpan(options.name);
  app.use((req, res, next) => {
    if (req.path === '/graphql') return next();
    withRequestScope({ requestId: String(req.id) }, () => span(req, res, next));
  });
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: options.name });
  });
  app.get('/readyz', (_req, res) => {
    options.ready().then(
      () => res.json({ status: 'ready', service: options.name }),
      () => res.status(503).json({ status: 'unavailable', service: options.name }),
    );
  });
  options.routes?.(app);
  app.use(
    '/graphql',
    express.json({ limit: options.config.bodyLimitBytes }),
    ...(options.beforeGraphQL ?? []),
    // After the body is read: its stream events would not carry the request's scope and span on.
    (req, res, next) =>
      withRequestScope(
        { deadlineAt: options.deadline?.(req), requestId: String(req.id), primary: options.peerHints === true && req.headers[PRIMARY_READS_HEADER] === '1' },
        () => span(req, res, next),
      ),
    expressMiddleware(options.apollo, { context: async ({ req }) => options.context(req) }),
  );
  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    const status = typeof error?.status === 'number' ? error.status : 500;
    if (status === 413) return jsonError(res, 413, 'BAD_REQUEST', 'Request body too large');
    if (status === 400) return jsonError(res, 400, 'BAD_REQUEST', 'Request body is not valid JSON');
    logger.error({ err: safeError(error) }, 'request failed');
    return jsonError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
  };
  app.use(onError);
  return app;
}

export interface RunningServer {
  url: string;
  port: number;
  telemetry: Telemetry;
  /** Stops taking requests, drains the ones in flight, then runs `onStop`. */
  stop(): Promise<void>;
  /**
   * What a SIGKILL looks like from the network: the port closes and every
   * open connection is cut, requests in flight included. For outage tests;
   * `stop()` afterwards releases the rest (Apollo, the database).
   */
  kill(): void;
}

export interface ListenOptions<C extends BaseContext> extends Omit<HttpAppOptions<C>, 'apollo'> {
  /** Builds the Apollo server once the HTTP server exists (the drain plugin needs it). */
  apollo: (httpServer: Server) => ApolloServer<C>;
  /** Runs after the HTTP server has closed, e.g. to close the database. */
  onStop?: () => Promise<void>;
}

/** Starts Apollo on an HTTP server and binds the configured port (0 = any free port). */
export async function listen<C extends BaseContext>(options: ListenOptions<C>): Promise<RunningServer> {
  const httpServer = createServer();
  const apollo = options.apollo(httpServer);
  await apollo.start();
  httpServer.on('request', buildHttpApp({ ...options, apollo }));
  // Keep-alive longer than the gateway's pooled sockets live, so they are not cut mid-request.
  httpServer.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.config.port, options.config.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const host = options.config.host === '0.0.0.0' ? 'localhost' : options.config.host;
  let stopping: Promise<void> | undefined;
  return {
    port,
    url: `http://${host}:${port}/graphql`,
    telemetry: options.telemetry,
    kill() {
      httpServer.close();
      httpServer.closeAllConnections();
    },
    stop() {
      stopping ??= (async () => {
        await apollo.stop();
        await options.onStop?.();
      })();
      return stopping;
    },
  };
}

/**
 * Runs a started server until SIGTERM or SIGINT, then shuts it down
 * gracefully; exits anyway after `timeoutMs`.
 */
export function stopOnSignals(logger: Logger, server: RunningServer, timeoutMs: number): void {
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown took too long, exiting');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    server.stop().then(
      () => {
        logger.flush();
        process.exit(0);
      },
      (error) => {
        logger.error({ err: safeError(error) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
