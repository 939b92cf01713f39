import type { DataSource } from 'typeorm';
import { SUBGRAPHS } from '../subgraphs';
import { SafeLogger, isMysql, loadSubgraphConfig, openMigrated, seedUniverse, type SeedSize, type SubgraphModule } from '../subgraphs/platform';
import { withTimelineTriggersOff } from '../subgraphs/platform/timeline-feed.migration';

/** Opens one subgraph's database from the environment and applies pending migrations. */
export async function openSubgraph(module: SubgraphModule, env: NodeJS.ProcessEnv = process.env): Promise<DataSource> {
  const { database } = loadSubgraphConfig(module.name, env);
  return openMigrated(database, module.dataSourceOptions(new SafeLogger()));
}

/** True when none of the subgraph's tables holds a row. */
export async function isEmpty(dataSource: DataSource): Promise<boolean> {
  for (const entity of dataSource.entityMetadatas) {
    const rows: unknown[] = await dataSource.query(`SELECT 1 FROM ${dataSource.driver.escape(entity.tableName)} LIMIT 1`);
    if (rows.length > 0) return false;
  }
  return true;
}

// Tables without an entity: the timeline feed's versions (peers) and the projection (customers), and the number sequences.
const TABLES_WITHOUT_ENTITY = ['timeline_versions', 'timeline_events', 'timeline_slices', 'customer_number_seq', 'invoice_number_seq', 'claim_number_seq'];

/** Removes every row of the subgraph's tables (for `db:seed -- --reset`). */
export async function clearTables(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  const mysql = isMysql(dataSource);
  try {
    await runner.query(mysql ? 'SET FOREIGN_KEY_CHECKS = 0' : 'PRAGMA foreign_keys = OFF');
    for (const entity of dataSource.entityMetadatas) {
      const table = dataSource.driver.escape(entity.tableName);
      await runner.query(mysql ? `TRUNCATE TABLE ${table}` : `DELETE FROM ${table}`);
    }
    // TRUNCATE fires no trigger. A sequence starts again: every number it gave is gone with the rows, and the seed numbers from 1.
    for (const table of TABLES_WITHOUT_ENTITY) if (await runner.hasTable(table)) await runner.query(mysql ? `TRUNCATE TABLE ${table}` : `DELETE FROM ${table}`);
    await runner.query(mysql ? 'SET FOREIGN_KEY_CHECKS = 1' : 'PRAGMA foreign_keys = ON');
  } finally {
    await runner.release();
  }
}

export interface SeedOptions {
  size: SeedSize;
  /** The seed's "today" (YYYY-MM-DD); default the real date in UTC. */
  today: string;
  /** Clear the tables first; default false (a subgraph with data is left alone). */
  reset: boolean;
  /** Only seed subgraphs that are empty; default false (non-empty ones are an error). */
  onlyEmpty?: boolean;
  log?: (line: string) => void;
}

/**
 * Migrates and seeds every subgraph from one shared picture of the customers,
 * so that the data of all subgraphs fits together. Deterministic for a given
 * size and today.
 */
export async function seedAll(options: SeedOptions, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const log = options.log ?? console.log;
  const customers = seedUniverse(options.size, options.today);
  const shared: Record<string, unknown> = {};
  const seedOne = async (module: SubgraphModule) => {
    const dataSource = await openSubgraph(module, env);
    try {
      if (options.reset) await clearTables(dataSource);
      if (!(await isEmpty(dataSource))) {
        if (options.onlyEmpty) return;
        throw new Error(`${module.name} already holds data; run npm run db:seed -- --reset to replace it`);
      }
      const started = Date.now();
      // The peers' timeline triggers are off for the load; every customer is marked pending once after it.
      const rows = await withTimelineTriggersOff(dataSource, () => module.seed(dataSource, { size: options.size, customers, today: options.today, shared }));
      log(`[seed] ${module.name}: ${rows} records in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      await dataSource.destroy();
    }
  };
  // One subgraph after the other: measured faster than in parallel on 2 cores, where the
  // bulk inserts of two databases fight over the same buffer pool. seedAfter orders them.
  const done = new Set<string>();
  while (done.size < SUBGRAPHS.length) {
    const next = SUBGRAPHS.find((m) => !done.has(m.name) && (m.seedAfter ?? []).every((n) => done.has(n)));
    if (!next) throw new Error('seedAfter forms a cycle');
    await seedOne(next);
    done.add(next.name);
  }
}
