import { stopOnSignals } from '../subgraphs/platform';
import { loadGatewayConfig, type GatewayConfig } from './gateway.config';
import { readSupergraph, startGateway } from './gateway';

/** The gateway's one entry point: `node dist/gateway/main.js`. */
function main(): void {
  let config: GatewayConfig;
  let supergraphSdl: string;
  try {
    config = loadGatewayConfig();
    supergraphSdl = readSupergraph(config.supergraphPath);
  } catch (error) {
    console.error(`[gateway] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  startGateway({ ...config, supergraphSdl }).then(
    (server) => {
      console.log(`[gateway] serving ${server.url}`);
      stopOnSignals('gateway', server, config.server.shutdownTimeoutMs);
    },
    (error) => {
      console.error(`[gateway] failed to start: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}

if (require.main === module) main();
