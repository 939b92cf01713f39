import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { ApolloGateway, LocalGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import type { GraphQLSchema } from 'graphql';
import { SUBGRAPHS } from '../subgraphs';
import { supergraphForGateway } from '../gateway/access';
import { benchPrincipalSigner } from './auth-cost';
import {
  HttpCustomerDirectory,
  PRINCIPAL_HEADER,
  SafeLogger,
  createDataSource,
  loadSubgraphConfig,
  serviceCredentials,
  subgraphContext,
  systemClock,
} from '../subgraphs/platform';

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
    // No HTTP to sign for, but the subgraph context still checks a principal: the bench's admin.
    return super.process({ ...options, context: (await this.context({ headers: { [PRINCIPAL_HEADER]: await benchPrincipal() } })) as never });
  }
}

const benchPrincipal = benchPrincipalSigner();

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
    const customerDirectory = new HttpCustomerDirectory(config.customersUrl, serviceCredentials(config.server.internalAuthSecret, module.name));
    const context = subgraphContext({
      name: module.name,
      dataSource,
      createLoaders,
      clock: systemClock,
      customerDirectory,
      internalAuthSecret: config.server.internalAuthSecret,
    });
    services.set(module.name, new InProcessSubgraph(await module.buildSchema(), context));
  }
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphForGateway(readFileSync(supergraphPath!, 'utf8')),
    buildService: ({ name }) => services.get(name)!,
  });
  const { url } = await startStandaloneServer(new ApolloServer({ gateway }), { listen: { port: Number(port) } });
  console.log(`[single-process] serving ${url}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
