import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../subgraphs/platform';
import { startLocalServer } from './mariadb';

/**
 * `npm run db:mysql`: a MariaDB/MySQL from PATH for development, its data
 * kept in .data/mariadb (so it survives restarts), on port 3307 by default
 * (--port N). Prints the DATABASE_URL to use; Ctrl-C stops it.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '3307' } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error('--port must be a port number');
  const server = await startLocalServer({ dataDir: join(projectRoot(), '.data', 'mariadb'), port, keep: true, bufferPool: '1G' });
  console.log(`MariaDB is running. In another shell:\n\n  export DATABASE_URL=${server.url}\n  npm start\n\nCtrl-C stops it; data stays in .data/mariadb.`);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.process.once('exit', (code) => {
    console.error(`MariaDB exited with code ${code}; see .data/mariadb/server.log`);
    process.exit(1);
  });
}

main().catch((error) => {
  console.error(`[db:mysql] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
