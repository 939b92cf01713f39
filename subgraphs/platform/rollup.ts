import type { DataSource, EntityManager } from 'typeorm';
import { EnvReader } from './config';
import { isMysql, retryConflicts } from './datasource';
import type { RunningServer } from './server';
import { placeholders, type Where } from './sql';
import { createLogger } from './logger';

/**
 * Figures aggregated ahead of a report (per segment, per day). Triggers written by the
 * subgraph's migration append signed deltas to an append-only journal
 * (`changes`, auto-increment id) whenever a row's contribution changes, and
 * this module folds the journal into the totals (`totals`, keyed by `keys`).
 * A report reads totals and journal in one statement, so it is exact
 * whether or not the compactor has run; the compactor only keeps the journal
 * short. Writers only append, so they never queue on a shared total.
 */
export interface Rollup {
  /** Folded totals, primary key `keys`. */
  totals: string;
  /** The journal: `id` plus `keys` and `measures`. */
  changes: string;
  /** Grouping columns: the totals' primary key. */
  keys: readonly string[];
  /** Summed columns. */
  measures: readonly string[];
  /**
   * INSERT INTO totals ... SELECT ... FROM the raw rows, per dialect: what
   * `rebuildRollups` refills the totals with (the same figures the
   * migration filled them with).
   */
  refill: { mysql: readonly string[]; sqlite: readonly string[] };
}

/**
 * The rows of a rollup's folded totals and of its journal not yet folded, as
 * one UNION ALL: a report that sums them in one statement reads one
 * consistent snapshot, whether or not the compactor has run. `select` and
 * `where` are the same for both parts; `params` are one part's (select's
 * placeholders, then where's) and are bound for each.
 */
export function totalsAndJournal(rollup: Rollup, select: string, where?: string, params: unknown[] = []): Where {
  const part = (table: string) => `SELECT ${select} FROM ${table}${where ? ` WHERE ${where}` : ''}`;
  return { sql: `${part(rollup.totals)} UNION ALL ${part(rollup.changes)}`, params: [...params, ...params] };
}

/** Journal rows folded per transaction; default of `compact`. */
export const COMPACT_BATCH = 20_000;

/**
 * One batch: up to `batch` of the oldest journal rows, folded into the totals
 * and deleted, in one transaction. On InnoDB the rows are taken with
 * `FOR UPDATE SKIP LOCKED` at READ COMMITTED: a row whose writer has not
 * committed yet is skipped (a later run folds it), no gap is locked, so the
 * compactor never makes a writer wait, and exactly the rows summed are the
 * rows deleted. Answers the number of rows folded (0 also when another
 * compactor holds the journal).
 */
export async function compactOnce(dataSource: DataSource, rollup: Rollup, batch = COMPACT_BATCH): Promise<number> {
  const mysql = isMysql(dataSource);
  const columns = [...rollup.keys, ...rollup.measures];
  const fold = async (manager: EntityManager): Promise<number> => {
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT id, ${columns.join(', ')} FROM ${rollup.changes} ORDER BY id LIMIT ${Math.floor(batch)}${mysql ? ' FOR UPDATE SKIP LOCKED' : ''}`,
    );
    if (rows.length === 0) return 0;
    const sums = new Map<string, { keys: unknown[]; measures: number[] }>();
    for (const row of rows) {
      const keys = rollup.keys.map((k) => (row[k] instanceof Date ? (row[k] as Date).toISOString().slice(0, 10) : row[k]));
      const key = JSON.stringify(keys);
      const sum = sums.get(key) ?? { keys, measures: rollup.measures.map(() => 0) };
      rollup.measures.forEach((m, i) => (sum.measures[i]! += Number(row[m])));
      sums.set(key, sum);
    }
    // In key order, so that concurrent compactors lock the totals in one order and do not deadlock.
    const values = [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
    const add = mysql
      ? `ON DUPLICATE KEY UPDATE ${rollup.measures.map((m) => `${m} = ${m} + VALUES(${m})`).join(', ')}`
      : `ON CONFLICT (${rollup.keys.join(', ')}) DO UPDATE SET ${rollup.measures.map((m) => `${m} = ${m} + excluded.${m}`).join(', ')}`;
    for (let i = 0; i < values.length; i += 500) {
      const chunk = values.slice(i, i + 500);
      await manager.query(
        `INSERT INTO ${rollup.totals} (${columns.join(', ')}) VALUES ${chunk.map(() => `(${placeholders(columns.length)})`).join(', ')} ${add}`,
        chunk.flatMap((v) => [...v.keys, ...v.measures]),
      );
    }
    const ids = rows.map((r) => r.id);
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000);
      await manager.query(`DELETE FROM ${rollup.changes} WHERE id IN (${placeholders(chunk.length)})`, chunk);
    }
    return rows.length;
  };
  if (!mysql) return dataSource.transaction(fold);
  // An empty journal (the common case between writes) costs one indexed read, not a transaction and a lock.
  const [pending] = await dataSource.query(`SELECT id FROM ${rollup.changes} LIMIT 1`);
  if (pending === undefined) return 0;
  // One compactor at a time per journal, across processes: two would only
  // deadlock on the totals' keys (InnoDB's duplicate check locks gaps even at
  // READ COMMITTED). A compactor that finds the lock taken has nothing to do.
  const singleFlight = async (manager: EntityManager): Promise<number> => {
    const [got]: { locked: unknown }[] = await manager.query('SELECT GET_LOCK(?, 0) AS locked', [`c360:${rollup.changes}`]);
    if (Number(got?.locked) !== 1) return 0;
    try {
      return await fold(manager);
    } finally {
      await manager.query('SELECT RELEASE_LOCK(?)', [`c360:${rollup.changes}`]);
    }
  };
  return retryConflicts(() => dataSource.transaction('READ COMMITTED', singleFlight), 5);
}

/** Folds batches until the journal is empty (seed, tests, operators). Answers the rows folded. */
export async function compactAll(dataSource: DataSource, rollups: readonly Rollup[], batch = COMPACT_BATCH): Promise<number> {
  let folded = 0;
  for (const rollup of rollups) {
    for (;;) {
      const n = await compactOnce(dataSource, rollup, batch);
      folded += n;
      if (n < batch) break;
    }
  }
  return folded;
}

/**
 * Recomputes each rollup from its raw rows (`npm run db:rollups -- --rebuild`):
 * in one transaction per rollup, the totals are emptied, refilled from the
 * raw rows, and the journal is emptied. On InnoDB the refill's
 * INSERT ... SELECT takes shared next-key locks on every raw row it reads,
 * so a writer either committed before the refill read its row (and its
 * journal rows are deleted with the rest) or waits until the rebuild has
 * committed (and its journal rows stay): the result is exact under
 * concurrent writes, which only wait. The compactor's lock keeps compactors
 * out meanwhile. Answers the number of total rows written.
 */
export async function rebuildRollups(dataSource: DataSource, rollups: readonly Rollup[]): Promise<number> {
  const mysql = isMysql(dataSource);
  let rows = 0;
  for (const rollup of rollups) {
    const rebuild = async (manager: EntityManager): Promise<void> => {
      await manager.query(`DELETE FROM ${rollup.totals}`);
      for (const statement of mysql ? rollup.refill.mysql : rollup.refill.sqlite) await manager.query(statement);
      await manager.query(`DELETE FROM ${rollup.changes}`);
      const [count]: { n: unknown }[] = await manager.query(`SELECT COUNT(*) AS n FROM ${rollup.totals}`);
      rows += Number(count?.n ?? 0);
    };
    if (!mysql) {
      await dataSource.transaction(rebuild);
      continue;
    }
    await dataSource.transaction('REPEATABLE READ', async (manager) => {
      // Waits for a running compactor (up to 60 s) instead of skipping like one.
      const [got]: { locked: unknown }[] = await manager.query('SELECT GET_LOCK(?, 60) AS locked', [`c360:${rollup.changes}`]);
      if (Number(got?.locked) !== 1) throw new Error(`the compactor of ${rollup.totals} holds its lock`);
      try {
        await rebuild(manager);
      } finally {
        await manager.query('SELECT RELEASE_LOCK(?)', [`c360:${rollup.changes}`]);
      }
    });
  }
  return rows;
}

/** How often the compactor runs (SEGMENT_ROLLUP_INTERVAL_MS); default 2000. */
export const DEFAULT_ROLLUP_INTERVAL_MS = 2000;

/**
 * Runs compactAll every `intervalMs` until stopped; runs never overlap in a
 * process, and across processes one compactor runs at a time (compactOnce). A failed run is logged and retried by the next.
 */
export class RollupCompactor {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private busy = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly rollups: readonly Rollup[],
    private readonly intervalMs = DEFAULT_ROLLUP_INTERVAL_MS,
    private readonly log: (line: string) => void = (line) => createLogger('rollups').warn(line),
  ) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    // The timer alone must not keep a process alive that is otherwise done.
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private tick(): void {
    if (this.busy || !this.dataSource.isInitialized) return;
    this.busy = true;
    this.running = compactAll(this.dataSource, this.rollups)
      .catch((error) => this.log(`rollup compaction failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        this.busy = false;
      });
  }
}

/** SEGMENT_ROLLUP_INTERVAL_MS (100 ms to 1 h); default 2000. */
export function rollupIntervalFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const reader = new EnvReader(env);
  const intervalMs = reader.int('SEGMENT_ROLLUP_INTERVAL_MS', DEFAULT_ROLLUP_INTERVAL_MS, 100, 3_600_000);
  reader.done();
  return intervalMs;
}

/** Starts the compactor beside a running server; stopping the server stops it first, before the database closes. */
export function withRollupCompactor(server: RunningServer, compactor: RollupCompactor): RunningServer {
  compactor.start();
  return {
    ...server,
    async stop() {
      await compactor.stop();
      await server.stop();
    },
  };
}
