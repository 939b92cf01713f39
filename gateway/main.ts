import { runService } from '../subgraphs/platform';
import { loadGatewayConfig } from './gateway.config';
import { readSupergraph, startGateway } from './gateway';

/** The gateway's one entry point: `node dist/gateway/main.js`. */
if (require.main === module) {
  runService(
    'gateway',
    () => {
      const config = loadGatewayConfig();
      return { shutdownTimeoutMs: config.server.shutdownTimeoutMs, config, supergraphSdl: readSupergraph(config.supergraphPath) };
    },
    ({ config, supergraphSdl }) => startGateway({ ...config, supergraphSdl }),
  );
}
