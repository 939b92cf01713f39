import { rmSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { DataSource } from 'typeorm';
import {
  FixedClock,
  IDENTITY_HEADERS,
  QueryCounter,
  formatErrorFor,
  openMigrated,
  subgraphContext,
  type Clock,
  type CustomerDirectory,
  type DatabaseConfig,
  type CustomerInfo,
  type RequestContext,
  type SubgraphModule,
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
  execute<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, user?: string): Promise<GraphQLResult<T>>;
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
    formatError: formatErrorFor(module.name),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await server.start();
  const context = subgraphContext({ dataSource, createLoaders, clock, customerDirectory });
  return {
    dataSource,
    queries,
    clock,
    async execute<T>(query: string, variables?: Record<string, unknown>, user?: string) {
      const contextValue = await context({ headers: user ? { [IDENTITY_HEADERS.user]: user } : {} });
      const response = await server.executeOperation({ query, variables }, { contextValue });
      if (response.body.kind !== 'single') throw new Error('incremental delivery is not expected');
      return response.body.singleResult as GraphQLResult<T>;
    },
    async close() {
      await server.stop();
      await dataSource.destroy();
      if (db.type === 'mysql') await dropDatabase(db);
      else for (const suffix of ['', '-wal', '-shm']) rmSync(`${db.path}${suffix}`, { force: true });
    },
  };
}
