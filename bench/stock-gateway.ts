import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { PRINCIPAL_HEADER } from '../subgraphs/platform/auth';
import { benchPrincipalSigner } from './auth-cost';
import { supergraphForGateway } from '../gateway/access';

// Baseline (a): @apollo/gateway as the public gateway benchmarks run it: the
// default fetcher, no tuning, startStandaloneServer. Only the subgraph URLs are
// set, the same ones our gateway uses, and the bench's principal signed once
// (the subgraphs answer signed requests only): no authentication of its own.
process.env.APOLLO_TELEMETRY_DISABLED = '1';

const principal = benchPrincipalSigner();

async function main(): Promise<void> {
  const [supergraphPath, port, urlsJson] = process.argv.slice(2);
  const urls = JSON.parse(urlsJson!) as Record<string, string>;
  const gateway = new ApolloGateway({
    // The same workaround as ours for the for: SECURITY link (gateway/access.ts); stock enforces no access rules.
    supergraphSdl: supergraphForGateway(readFileSync(supergraphPath!, 'utf8')),
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource({
        url: urls[name] ?? url,
        willSendRequest: async ({ request }) => {
          request.http?.headers.set(PRINCIPAL_HEADER, await principal());
        },
      }),
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { port: Number(port) } });
  console.log(`[stock-gateway] serving ${url}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
