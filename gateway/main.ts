import { createLogger, safeError, startTracing, stopOnSignals } from '../subgraphs/platform';
import { loadGatewayConfig, type GatewayConfig } from './gateway.config';
import { readSupergraph, startGateway } from './gateway';

/** The gateway's one entry point: `node dist/gateway/main.js`. */
function main(): void {
  const logger = createLogger('gateway');
  let config: GatewayConfig;
  let supergraphSdl: string;
  try {
    config = loadGatewayConfig();
    supergraphSdl = readSupergraph(config.supergraphPath);
  } catch (error) {
    // Configuration errors name the variable, never its value.
    logger.fatal(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
  // Tracing first: the gateway's spans are made from the first request on.
  startTracing({ service: 'gateway' })
    .then(() => startGateway({ ...config, supergraphSdl }))
    .then(
      (server) => {
        server.telemetry.logger.info({ url: server.url }, 'serving');
        stopOnSignals(server.telemetry.logger, server, config.server.shutdownTimeoutMs);
      },
      (error) => {
        logger.fatal({ err: safeError(error) }, 'failed to start');
        process.exit(1);
      },
    );
}

if (require.main === module) main();
