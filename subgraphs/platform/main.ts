import { createLogger, safeError } from './logger';
import { stopOnSignals, type RunningServer } from './server';
import { startTracing } from './tracing';

/**
 * The body of every deployable's main.ts (gateway and subgraphs): read the
 * configuration once (a bad value ends the process with a message that names
 * the variable, never its value), turn tracing on, start, and stop
 * gracefully on SIGTERM within the configured shutdown timeout.
 */
export function runService<C extends { shutdownTimeoutMs: number }>(service: string, configure: () => C, start: (config: C) => Promise<RunningServer>): void {
  const logger = createLogger(service);
  let config: C;
  try {
    config = configure();
  } catch (error) {
    logger.fatal(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
  // Tracing first: spans are made from the first request on.
  startTracing({ service })
    .then(() => start(config))
    .then(
      (server) => {
        server.telemetry.logger.info({ url: server.url }, 'serving');
        stopOnSignals(server.telemetry.logger, server, config.shutdownTimeoutMs);
      },
      (error) => {
        // The driver's code is enough; its message, stack and connection details stay out of the log.
        logger.fatal({ err: safeError(error) }, 'failed to start');
        process.exit(1);
      },
    );
}
