import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { SUBGRAPHS } from '../subgraphs';
import { compactAll, rebuildRollups } from '../subgraphs/platform/rollup';
import { openSubgraph } from './database';

/**
 * `npm run db:rollups`: folds every rollup journal now (what the running
 * subgraphs' compactors do every SEGMENT_ROLLUP_INTERVAL_MS).
 * `-- --rebuild`: recomputes every rollup from its raw rows instead, e.g.
 * after rows were loaded with the triggers off or a table was truncated.
 * Safe while the services run: writers wait for the rebuild and stay exact.
 */
async function main(): Promise<void> {
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  const { values } = parseArgs({ options: { rebuild: { type: 'boolean', default: false } } });
  for (const module of SUBGRAPHS) {
    if (!module.rollups?.length) continue;
    const dataSource = await openSubgraph(module);
    try {
      const started = Date.now();
      const names = module.rollups.map((r) => r.totals).join(', ');
      if (values.rebuild) {
        const rows = await rebuildRollups(dataSource, module.rollups);
        console.log(`[rollups] ${module.name}: rebuilt ${names} from the raw rows (${rows} rows, ${Date.now() - started} ms)`);
      } else {
        const folded = await compactAll(dataSource, module.rollups);
        console.log(`[rollups] ${module.name}: folded ${folded} journal rows into ${names} (${Date.now() - started} ms)`);
      }
    } finally {
      await dataSource.destroy();
    }
  }
}

main().catch((error) => {
  console.error(`[rollups] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
