import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

// Baseline (a): @apollo/gateway as the public gateway benchmarks run it: the
// default fetcher, no tuning, startStandaloneServer. Only the subgraph URLs are
// set, the same ones our gateway uses.
process.env.APOLLO_TELEMETRY_DISABLED = '1';

async function main(): Promise<void> {
  const [supergraphPath, port, urlsJson] = process.argv.slice(2);
  const urls = JSON.parse(urlsJson!) as Record<string, string>;
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(supergraphPath!, 'utf8'),
    buildService: ({ name, url }) => new RemoteGraphQLDataSource({ url: urls[name] ?? url }),
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { port: Number(port) } });
  console.log(`[stock-gateway] serving ${url}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
