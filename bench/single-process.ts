import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { ApolloGateway, LocalGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import type { GraphQLSchema } from 'graphql';
import { SUBGRAPHS } from '../subgraphs';
import { HttpCustomerDirectory, SafeLogger, createDataSource, loadSubgraphConfig, subgraphContext, systemClock } from '../subgraphs/platform';

// Baseline (b): the same subgraph schemas and databases, executed in this one
// process through LocalGraphQLDataSource: the gateway's planning and joining
// without any HTTP between gateway and subgraphs.
process.env.APOLLO_TELEMETRY_DISABLED = '1';

/** Builds each request's subgraph context, as the subgraph's own server would. */
class InProcessSubgraph extends LocalGraphQLDataSource {
  constructor(
    schema: GraphQLSchema,
    private readonly context: (req: { headers: Record<string, string> }) => Promise<unknown>,
  ) {
    super(schema);
  }

  override async process(options: Parameters<LocalGraphQLDataSource['process']>[0]) {
    return super.process({ ...options, context: (await this.context({ headers: {} })) as never });
  }
}

async function main(): Promise<void> {
  const [supergraphPath, port] = process.argv.slice(2);
  const services = new Map<string, InProcessSubgraph>();
  for (const module of SUBGRAPHS) {
    const config = loadSubgraphConfig(module.name);
    const dataSource = await createDataSource(config.database, module.dataSourceOptions(new SafeLogger())).initialize();
    const createLoaders = module.createLoaders({ server: config.server, database: config.database }) as (
      ds: typeof dataSource,
      clock: typeof systemClock,
    ) => unknown;
    const context = subgraphContext({ dataSource, createLoaders, clock: systemClock, customerDirectory: new HttpCustomerDirectory(config.customersUrl) });
    services.set(module.name, new InProcessSubgraph(await module.buildSchema(), context));
  }
  const gateway = new ApolloGateway({ supergraphSdl: readFileSync(supergraphPath!, 'utf8'), buildService: ({ name }) => services.get(name)! });
  const { url } = await startStandaloneServer(new ApolloServer({ gateway }), { listen: { port: Number(port) } });
  console.log(`[single-process] serving ${url}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
