import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import { EnvReader, loadSubgraphConfig, type DatabaseConfig, type ServerConfig, type SubgraphName } from './config';
import { GraphQLError } from 'graphql';
import { InternalSigner, PRINCIPAL_HEADER, serviceCredentials } from './auth';
import { recordAudit } from './audit';
import { identityOf, systemClock, type Clock, type RequestContext } from './context';
import { HttpCustomerDirectory, type CustomerDirectory } from './customer-directory';
import { capStatementTime, openMigrated, createDataSource, ensureDatabase, type DataSourceOptions, type SafeLogger } from './datasource';
import { DEADLINE_HEADER, deadlineFromHeader } from './deadline';
import { basePlugins, createTelemetry, formatErrorFor, listen, type RunningServer, type Telemetry } from './server';
import type { ServiceMetrics } from './metrics';
import { primaryReadsForMutations, routeReadsToReplica } from './read-replica';
import { observeStatements } from './sql-telemetry';
import { runService } from './main';
import type { Rollup } from './rollup';
import type { TimelineSource } from './timeline';
import { DEFAULT_TIMELINE_FEED_OPTIONS, TimelineFeed, type TimelineFeedOptions } from './timeline-feed';
import type { Express } from 'express';

export interface SubgraphServerOptions<L> {
  name: SubgraphName;
  schema: GraphQLSchema;
  dataSource: DataSource;
  config: ServerConfig;
  /** Fresh DataLoaders for one request: batching and caching never cross requests. */
  createLoaders: (dataSource: DataSource, clock: Clock) => L;
  /** Default: the system clock. */
  clock?: Clock;
  customerDirectory: CustomerDirectory;
  /** Close the data source on stop; default true. */
  closeDataSourceOnStop?: boolean;
  /** Registers the subgraph's own metrics (e.g. gauges read from its database at scrape time); default none. */
  metrics?: (metrics: ServiceMetrics) => void;
  /** The subgraph's customer-timeline events, sent to the customers subgraph's projection (timeline-feed.ts); default none. */
  timeline?: TimelineFeedSettings;
  /** More routes beside /graphql (the customers subgraph's timeline-slices route); default none. */
  routes?: (app: Express, telemetry: Telemetry) => void;
}

/** A peer's timeline source and where its feed sends the events. */
export interface TimelineFeedSettings {
  source: TimelineSource;
  /** The customers subgraph's /graphql URL. */
  customersUrl: string;
  /** Default DEFAULT_TIMELINE_FEED_OPTIONS. */
  options?: Partial<TimelineFeedOptions>;
}

/** The customers subgraph's /graphql URL of a subgraph's start options; default http://localhost:4001/graphql. */
function customersUrlOf(options: SubgraphStartOptions): string {
  return options.peerUrls?.customers ?? 'http://localhost:4001/graphql';
}

/** The feed settings of a peer: its source, the customers URL of its start options (customersUrlOf). */
export function timelineFeedFor(options: SubgraphStartOptions, source: TimelineSource): TimelineFeedSettings {
  return { source, customersUrl: customersUrlOf(options), options: options.timelineFeed };
}

/** Builds the per-request context of a subgraph. */
export function subgraphContext<L>(
  options: Pick<SubgraphServerOptions<L>, 'name' | 'dataSource' | 'createLoaders' | 'clock' | 'customerDirectory'> & {
    internalAuthSecret: string;
    /** Default: a fresh logger and metrics of the service (in-process tests). */
    telemetry?: Telemetry;
  },
) {
  const telemetry = options.telemetry ?? createTelemetry(options.name);
  const clock = options.clock ?? systemClock;
  const signer = new InternalSigner(options.internalAuthSecret);
  return async (req: { headers: Record<string, string | string[] | undefined> }): Promise<RequestContext<L>> => {
    const token = req.headers[PRINCIPAL_HEADER];
    const principal = await signer.verify(typeof token === 'string' ? token : undefined);
    // Before any execution: a request not signed by the gateway or a peer service is refused with 401.
    if (!principal)
      throw new GraphQLError('this service answers only signed requests from the gateway', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
    const identity = identityOf(principal);
    return {
      dataSource: options.dataSource,
      loaders: options.createLoaders(options.dataSource, clock),
      identity,
      clock,
      customerDirectory: options.customerDirectory,
      logger: telemetry.logger,
      metrics: telemetry.metrics,
      audit: (manager, event) => recordAudit(manager, options.name, identity, clock.now(), event),
      auditAlone: (event) => options.dataSource.transaction((manager) => recordAudit(manager, options.name, identity, clock.now(), event)),
    };
  };
}

/** Serves one subgraph over HTTP; binding the port is all it does beyond wiring. */
export async function startSubgraphServer<L>(options: SubgraphServerOptions<L>): Promise<RunningServer> {
  const telemetry = createTelemetry(options.name);
  observeStatements(options.dataSource, options.name, telemetry.metrics);
  options.metrics?.(telemetry.metrics);
  const feed = options.timeline
    ? new TimelineFeed(
        options.dataSource,
        options.name,
        options.timeline.source,
        { url: options.timeline.customersUrl, credentials: serviceCredentials(options.config.internalAuthSecret, options.name) },
        telemetry.logger,
        options.timeline.options,
      )
    : undefined;
  // The feed's lag, for alerts: customers whose newest events the projection does not have yet.
  if (feed)
    telemetry.metrics.gauge('c360_timeline_feed_pending', 'Customers whose timeline events are not yet in the projection', [], async (gauge) => {
      gauge.set(await feed.pending());
    });
  const server = await listen<RequestContext<L>>({
    name: options.name,
    config: options.config,
    telemetry,
    peerHints: true,
    apollo: (httpServer) =>
      new ApolloServer<RequestContext<L>>({
        schema: options.schema,
        // The gateway loads the static supergraph; nobody needs to introspect a subgraph in production.
        introspection: !options.config.production,
        includeStacktraceInErrorResponses: false,
        formatError: formatErrorFor(options.name, telemetry.logger),
        // Traces are for Apollo's usage reporting, which is off: no ftv1 work per request.
        plugins: [
          ...basePlugins<RequestContext<L>>(httpServer, options.config.production, telemetry.metrics),
          ApolloServerPluginInlineTraceDisabled(),
          primaryReadsForMutations(),
          ...(feed ? [feed.plugin<RequestContext<L>>()] : []),
        ],
      }),
    context: subgraphContext({ ...options, internalAuthSecret: options.config.internalAuthSecret, telemetry }),
    routes: options.routes ? (app) => options.routes!(app, telemetry) : undefined,
    // What the gateway (or a peer) left of the client request's time: SQL and peer calls end by then.
    deadline: (req) => deadlineFromHeader(req.headers[DEADLINE_HEADER]),
    ready: async () => {
      await options.dataSource.query('SELECT 1');
    },
    onStop: async () => {
      await feed?.stop();
      if (options.closeDataSourceOnStop !== false && options.dataSource.isInitialized) await options.dataSource.destroy();
    },
  });
  feed?.start();
  return server;
}

/** What a subgraph's start function needs. */
export interface SubgraphStartOptions {
  server: ServerConfig;
  database: DatabaseConfig;
  /** Apply pending migrations before serving; default false (production runs `npm run db:migrate`). */
  migrate?: boolean;
  clock?: Clock;
  /** Replaces the HTTP lookup, e.g. with a test double. */
  customerDirectory?: CustomerDirectory;
  /**
   * Other subgraphs' URLs, overriding <SUBGRAPH>_URL (tests start them on free
   * ports). `customers` is where customers are looked up; default
   * http://localhost:4001/graphql.
   */
  peerUrls?: Partial<Record<SubgraphName, string>>;
  /** The timeline feed's timing (peers); default DEFAULT_TIMELINE_FEED_OPTIONS, the interval from TIMELINE_FEED_INTERVAL_MS. */
  timelineFeed?: Partial<TimelineFeedOptions>;
}

/** The directory a subgraph uses: the one given, else HTTP to the customers subgraph, as the service `caller`. */
export function customerDirectoryFor(options: SubgraphStartOptions, caller: SubgraphName): CustomerDirectory {
  return options.customerDirectory ?? new HttpCustomerDirectory(customersUrlOf(options), serviceCredentials(options.server.internalAuthSecret, caller));
}

/** Connects to the subgraph's database, migrating it first when asked to. */
export async function openSubgraphDatabase(options: SubgraphStartOptions, dataSourceOptions: DataSourceOptions) {
  let dataSource: DataSource;
  if (options.migrate) dataSource = await openMigrated(options.database, dataSourceOptions);
  else {
    await ensureDatabase(options.database);
    dataSource = await createDataSource(options.database, dataSourceOptions).initialize();
  }
  // Serving: no statement outlives the gateway's deadline for its request.
  await capStatementTime(dataSource, options.server.sqlStatementTimeoutMs);
  // With <SUBGRAPH>_DATABASE_READ_URL: the reads of read-only requests go to the replica.
  routeReadsToReplica(dataSource);
  return dataSource;
}

/**
 * The body of every subgraph's main.ts: read and validate the environment
 * once, start, and stop gracefully on SIGTERM. MIGRATE_ON_START=true (default
 * false) applies migrations first.
 */
export function runSubgraphMain(name: SubgraphName, start: (options: SubgraphStartOptions) => Promise<RunningServer>): void {
  runService(
    name,
    () => {
      const config = loadSubgraphConfig(name);
      const reader = new EnvReader(process.env);
      const migrate = reader.oneOf('MIGRATE_ON_START', 'false', ['true', 'false']) === 'true';
      const intervalMs = reader.int('TIMELINE_FEED_INTERVAL_MS', DEFAULT_TIMELINE_FEED_OPTIONS.intervalMs, 100, 3_600_000);
      reader.done();
      const options: SubgraphStartOptions = {
        server: config.server,
        database: config.database,
        migrate,
        peerUrls: { customers: config.customersUrl },
        timelineFeed: { intervalMs },
      };
      return { shutdownTimeoutMs: config.server.shutdownTimeoutMs, options };
    },
    ({ options }) => start(options),
  );
}

/** The seed's shared picture of who the customers are, so that every subgraph's data fits. */
export interface SeedCustomer {
  id: string;
  kind: 'PERSON' | 'ORGANIZATION';
  segment: 'A' | 'B' | 'C';
  status: 'PROSPECT' | 'ACTIVE' | 'DORMANT' | 'CHURNED';
  customerSince: string;
}

export type SeedSize = 'demo' | 'large';

export interface SeedInput {
  size: SeedSize;
  /**
   * Facts one subgraph's seed hands to a later one, e.g. billing's overdue
   * invoices for claims' disputes: passed along by the seed command, so no
   * subgraph reads another's database.
   */
  shared: Record<string, unknown>;
  customers: SeedCustomer[];
  /** "Today" of the seed: figures such as overdue days are relative to it. */
  today: string;
}

/** One deployable subgraph, as composition, launcher, seed and tests see it. */
export interface SubgraphModule {
  name: SubgraphName;
  /** Pure: builds the schema without touching a database. */
  buildSchema: () => Promise<GraphQLSchema>;
  dataSourceOptions: (logger?: SafeLogger) => DataSourceOptions;
  start: (options: SubgraphStartOptions) => Promise<RunningServer>;
  /** Fills an empty, migrated database deterministically. */
  seed: (dataSource: DataSource, input: SeedInput) => Promise<number>;
  /**
   * The per-request loader factory, given the start options (peers, settings
   * from the environment): what a server or an in-process gateway needs to
   * build each request's context.
   */
  createLoaders: (options: SubgraphStartOptions) => (dataSource: DataSource, clock: Clock) => unknown;
  /** Subgraphs whose seed must run first (their `shared` facts are read); default none. */
  seedAfter?: SubgraphName[];
  /** Figures kept ahead by triggers (platform/rollup.ts), for `npm run db:rollups`; default none. */
  rollups?: readonly Rollup[];
}
