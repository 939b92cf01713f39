import { rmSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { DataSource } from 'typeorm';
import {
  FixedClock,
  InternalSigner,
  PRINCIPAL_HEADER,
  QueryCounter,
  createLogger,
  createTelemetry,
  formatErrorFor,
  openMigrated,
  subgraphContext,
  type Clock,
  type CustomerDirectory,
  type DatabaseConfig,
  type CustomerInfo,
  type Principal,
  type RequestContext,
  type SubgraphModule,
  type Telemetry,
} from '../../subgraphs/platform';
import { dropDatabase, testDatabase } from './database';

export interface GraphQLResult<T = Record<string, any>> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown>; path?: readonly (string | number)[] }[];
}

/**
 * One subgraph's schema on a fresh, migrated MariaDB database, executed in
 * process (no HTTP), with a statement counter and a settable clock.
 */
export interface SubgraphHarness {
  dataSource: DataSource;
  queries: QueryCounter;
  clock: FixedClock;
  /** The logger and metrics the requests' context carries. */
  telemetry: Telemetry;
  /** As `user` (default test-admin) with the admin role. */
  execute<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, user?: string): Promise<GraphQLResult<T>>;
  /** As the given principal, signed the way the gateway signs it. */
  executeAs<T = Record<string, any>>(principal: Principal, query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>>;
  close(): Promise<void>;
}

/** A stand-in for the customers subgraph: the customers it was given exist. */
export class FakeCustomerDirectory implements CustomerDirectory {
  readonly customers = new Map<string, CustomerInfo>();
  calls = 0;

  add(id: string, kind: CustomerInfo['kind']): this {
    this.customers.set(id, { id, kind });
    return this;
  }

  async find(ids: string[]): Promise<Map<string, CustomerInfo>> {
    this.calls++;
    return new Map(ids.filter((id) => this.customers.has(id)).map((id) => [id, this.customers.get(id)!]));
  }
}

export async function subgraphHarness<L>(
  module: SubgraphModule,
  createLoaders: (dataSource: DataSource, clock: Clock) => L,
  options: { now?: Date; customerDirectory?: CustomerDirectory; database?: DatabaseConfig } = {},
): Promise<SubgraphHarness> {
  const now = options.now ?? new Date('2026-11-22T10:00:00.000Z');
  const customerDirectory = options.customerDirectory ?? new FakeCustomerDirectory();
  const db = options.database ?? testDatabase(module.name);
  const queries = new QueryCounter();
  const clock = new FixedClock(now);
  const dataSource = await openMigrated(db, module.dataSourceOptions(queries.logger));
  const server = new ApolloServer<RequestContext<L>>({
    schema: await module.buildSchema(),
    formatError: formatErrorFor(module.name, createLogger(module.name)),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await server.start();
  const internalAuthSecret = process.env.INTERNAL_AUTH_SECRET!;
  const signer = new InternalSigner(internalAuthSecret);
  const telemetry = createTelemetry(module.name);
  const context = subgraphContext({ name: module.name, dataSource, createLoaders, clock, customerDirectory, internalAuthSecret, telemetry });
  const executeAs = async <T>(principal: Principal, query: string, variables?: Record<string, unknown>) => {
    const contextValue = await context({ headers: { [PRINCIPAL_HEADER]: await signer.sign(principal) } });
    const response = await server.executeOperation({ query, variables }, { contextValue });
    if (response.body.kind !== 'single') throw new Error('incremental delivery is not expected');
    return response.body.singleResult as GraphQLResult<T>;
  };
  return {
    dataSource,
    queries,
    clock,
    telemetry,
    executeAs,
    execute<T>(query: string, variables?: Record<string, unknown>, user?: string) {
      return executeAs<T>({ sub: user ?? 'test-admin', roles: ['admin'], kind: 'user' }, query, variables);
    },
    async close() {
      await server.stop();
      await dataSource.destroy();
      if (db.type === 'mysql') await dropDatabase(db);
      else for (const suffix of ['', '-wal', '-shm']) rmSync(`${db.path}${suffix}`, { force: true });
    },
  };
}
