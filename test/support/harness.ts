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

export async function subgraphHarness<L>(
  module: SubgraphModule,
  createLoaders: (dataSource: DataSource, clock: Clock) => L,
  now = new Date('2026-11-22T10:00:00.000Z'),
): Promise<SubgraphHarness> {
  const db = testDatabase(module.name);
  const queries = new QueryCounter();
  const clock = new FixedClock(now);
  const dataSource = await openMigrated(db, module.dataSourceOptions(queries.logger));
  const server = new ApolloServer<RequestContext<L>>({
    schema: await module.buildSchema(),
    formatError: formatErrorFor(module.name),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await server.start();
  const context = subgraphContext({ dataSource, createLoaders, clock });
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
      await dropDatabase(db);
    },
  };
}
