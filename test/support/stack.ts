import { readFileSync } from 'node:fs';
import { createConnection } from 'mysql2/promise';
import { join } from 'node:path';
import { SUBGRAPHS } from '../../subgraphs';
import { envPrefix, projectRoot, type Clock, type RunningServer, type ServerConfig, type SubgraphModule, type SubgraphName } from '../../subgraphs/platform';
import { startGateway, type GatewayOptions } from '../../gateway/gateway';
import { testPort } from './ports';
import { counterTotal } from '../../scripts/metrics-scrape';
import { databaseUrl, dropDatabase, testDatabase } from './database';
import { bearer, testAuthConfig } from './auth';

export const serverConfig = (port: number): ServerConfig => ({
  port,
  host: '127.0.0.1',
  production: false,
  bodyLimitBytes: 16 * 1024 * 1024,
  shutdownTimeoutMs: 5000,
  internalAuthSecret: process.env.INTERNAL_AUTH_SECRET!,
  sqlStatementTimeoutMs: 10_000,
});

export interface GraphQLResponse {
  data?: any;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

/**
 * Every subgraph and the gateway, each on its own free port over real HTTP,
 * each subgraph on a fresh MariaDB database: the deployment in miniature.
 */
export class Stack {
  readonly subgraphs = new Map<SubgraphName, RunningServer>();
  private readonly ports = new Map<SubgraphName, number>();
  private readonly databases = new Map<SubgraphName, ReturnType<typeof testDatabase>>();
  gateway!: RunningServer;
  /** The gateway's authentication: the test JWT secret and a fresh API key file. */
  readonly auth = testAuthConfig();
  /** Sent by post/gql/data unless other headers are given: an admin's bearer token. */
  adminHeaders: Record<string, string> = {};

  constructor(private readonly clock?: Clock) {}

  url(name: SubgraphName): string {
    return `http://127.0.0.1:${this.ports.get(name)}/graphql`;
  }

  async start(): Promise<this> {
    for (const module of SUBGRAPHS) {
      this.ports.set(module.name, await testPort());
      this.databases.set(module.name, testDatabase(module.name));
    }
    await Promise.all(SUBGRAPHS.map((m) => this.startSubgraph(m.name)));
    this.gateway = await this.startGateway();
    this.adminHeaders = await bearer(['admin'], 'e2e-admin');
    return this;
  }

  /**
   * A gateway in front of this stack's subgraphs on a free port, with the
   * committed supergraph, the stack's authentication and a 5 s subgraph
   * deadline, unless `overrides` say otherwise (limits, rate limits, …).
   * The caller stops it.
   */
  startGateway(overrides: Partial<GatewayOptions> = {}): Promise<RunningServer> {
    return startGateway({
      server: serverConfig(0),
      supergraphSdl: readFileSync(join(projectRoot(), 'schema', 'supergraph.graphql'), 'utf8'),
      subgraphUrls: Object.fromEntries(SUBGRAPHS.map((m) => [m.name, this.url(m.name)])),
      subgraphTimeoutMs: 5000,
      auth: this.auth,
      ...overrides,
    });
  }

  /** `<SUBGRAPH>_DATABASE_URL` of each named subgraph's database, for tools that open it themselves (the seed). */
  databaseEnv(names: readonly SubgraphName[]): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { INTERNAL_AUTH_SECRET: process.env.INTERNAL_AUTH_SECRET };
    for (const name of names) env[`${envPrefix(name)}_DATABASE_URL`] = databaseUrl(this.database(name));
    return env;
  }

  /** Starts (or restarts) one subgraph on its port and database. */
  async startSubgraph(name: SubgraphName): Promise<RunningServer> {
    const module = SUBGRAPHS.find((m) => m.name === name) as SubgraphModule;
    const server = await module.start({
      server: serverConfig(this.ports.get(name)!),
      database: this.databases.get(name)!,
      migrate: true,
      clock: this.clock,
      peerUrls: Object.fromEntries(SUBGRAPHS.map((m) => [m.name, this.url(m.name)])),
    });
    this.subgraphs.set(name, server);
    return server;
  }

  /** GraphQL requests all subgraphs of this stack have served so far, from their /metrics. */
  async subgraphRequests(): Promise<number> {
    return this.counterTotal('c360_graphql_requests_total');
  }

  /** A counter of every subgraph of this stack, summed from their /metrics. */
  counterTotal(name: string): Promise<number> {
    return counterTotal(
      [...this.subgraphs.values()].map((s) => s.url),
      name,
    );
  }

  /** The database a subgraph of this stack runs on. */
  database(name: SubgraphName): ReturnType<typeof testDatabase> {
    return this.databases.get(name)!;
  }

  /** Runs one statement on a subgraph's own database, as a check reading the raw tables would (UTC instants). */
  async sql(name: SubgraphName, statement: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    const db = this.database(name);
    const connection = await createConnection({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.database, timezone: 'Z' });
    try {
      return (await connection.query(statement, params))[0] as Record<string, unknown>[];
    } finally {
      await connection.end();
    }
  }

  async stopSubgraph(name: SubgraphName): Promise<void> {
    await this.subgraphs.get(name)?.stop();
  }

  /** Cuts a subgraph off as a SIGKILL would (port closed, connections reset), then releases it. */
  async killSubgraph(name: SubgraphName): Promise<void> {
    const server = this.subgraphs.get(name);
    server?.kill();
    await server?.stop();
  }

  /** POST to `gateway` (default this stack's own), as an admin unless other headers are given. */
  async post(query: string, variables?: Record<string, unknown>, headers: Record<string, string> = this.adminHeaders, gateway: RunningServer = this.gateway) {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, text: await response.text() };
  }

  async gql(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>, gateway?: RunningServer): Promise<GraphQLResponse> {
    return JSON.parse((await this.post(query, variables, headers, gateway)).text) as GraphQLResponse;
  }

  /** Like gql, but fails the test on any error. */
  async data(query: string, variables?: Record<string, unknown>): Promise<any> {
    const result = await this.gql(query, variables);
    if (result.errors) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
    return result.data;
  }

  async stop(): Promise<void> {
    await this.gateway?.stop();
    await Promise.all([...this.subgraphs.values()].map((s) => s.stop()));
    await Promise.all([...this.databases.values()].map((db) => dropDatabase(db)));
  }
}
