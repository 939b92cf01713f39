import { resolve } from 'node:path';
import {
  EnvReader,
  GATEWAY_DEFAULT_PORT,
  SUBGRAPH_NAMES,
  projectRoot,
  readServerConfig,
  readSubgraphUrl,
  type ServerConfig,
  type SubgraphName,
} from '../subgraphs/platform';

/**
 * Node flags the gateway process is started with (launcher, docker-compose,
 * Dockerfile, benchmark): a 256 MB old-space limit makes V8 collect sooner
 * instead of growing the heap under load: peak RSS about 200 MB rather than
 * 310-370 MB at c=32, at the same throughput (bench/RESULTS.md).
 */
export const GATEWAY_NODE_FLAGS = ['--max-old-space-size=256'];

export interface GatewayConfig {
  server: ServerConfig;
  /** `<SUBGRAPH>_URL`; default http://localhost:<subgraph port>/graphql. */
  subgraphUrls: Record<SubgraphName, string>;
  /** SUBGRAPH_TIMEOUT_MS: how long one subgraph request may take; default 10,000 ms. */
  subgraphTimeoutMs: number;
  /** SUPERGRAPH_PATH: the composed supergraph; default schema/supergraph.graphql. */
  supergraphPath: string;
}

/** Reads and validates the gateway's environment once; throws ConfigError listing every problem. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const reader = new EnvReader(env);
  const subgraphUrls = {} as Record<SubgraphName, string>;
  for (const name of SUBGRAPH_NAMES) subgraphUrls[name] = readSubgraphUrl(reader, name);
  const config: GatewayConfig = {
    server: readServerConfig(reader, 'GATEWAY_PORT', GATEWAY_DEFAULT_PORT),
    subgraphUrls,
    subgraphTimeoutMs: reader.int('SUBGRAPH_TIMEOUT_MS', 10_000, 100, 600_000),
    supergraphPath: resolve(projectRoot(), reader.raw('SUPERGRAPH_PATH') ?? 'schema/supergraph.graphql'),
  };
  reader.done();
  return config;
}
