import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { seedAll } from '../../scripts/database';
import { FixedClock, SUBGRAPH_NAMES, projectRoot } from '../../subgraphs/platform';
import { Stack } from '../support/stack';

const run = promisify(execFile);
const TODAY = '2026-11-22';
const stack = new Stack(new FixedClock(new Date(`${TODAY}T10:00:00.000Z`)));
/** Every report served from the rollups, through the gateway. */
const REPORTS = `query { receivables { openTotal { amount } overdueTotal { amount } aging { label invoiceCount amount { amount } } byDunningLevel { level invoiceCount } daysSalesOutstanding }
  interactionStats(from: "2025-11-23", to: "${TODAY}", groupBy: MONTH) { key count firstContactResolutionRate averageSatisfaction }
  slaReport(from: "2025-11-23", to: "${TODAY}", groupBy: PRIORITY) { key complaintCount firstResponseComplianceRate resolutionComplianceRate averageResolutionHours }
  claimStats(from: "2025-11-23", to: "${TODAY}", groupBy: TYPE) { key count } }`;

async function sql(name: 'billing' | 'contacts' | 'claims', statement: string): Promise<unknown> {
  const db = stack.database(name);
  const connection = await createConnection({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.database });
  try {
    const [rows] = await connection.query(statement);
    return rows;
  } finally {
    await connection.end();
  }
}

/** `npm run db:rollups`, as built: the script a newcomer runs. */
const rollups = (...args: string[]) =>
  run(process.execPath, [join(projectRoot(), 'dist', 'scripts', 'rollups.js'), ...args], {
    env: { ...process.env, ...stack.databaseEnv(SUBGRAPH_NAMES), APOLLO_TELEMETRY_DISABLED: '1' },
  });

// The subgraphs' own compactors stay out of the way (an hour), so the journals hold what the test wrote.
const interval = process.env.SEGMENT_ROLLUP_INTERVAL_MS;

beforeAll(async () => {
  process.env.SEGMENT_ROLLUP_INTERVAL_MS = '3600000';
  await stack.start();
  await seedAll({ size: 'demo', today: TODAY, reset: false, log: () => undefined }, stack.databaseEnv(SUBGRAPH_NAMES));
}, 120_000);
afterAll(async () => {
  await stack.stop();
  if (interval === undefined) delete process.env.SEGMENT_ROLLUP_INTERVAL_MS;
  else process.env.SEGMENT_ROLLUP_INTERVAL_MS = interval;
});

describe('npm run db:rollups', () => {
  it('the seed fills the rollups: the journals are empty and the reports have figures', async () => {
    for (const [name, journal] of [
      ['billing', 'receivable_changes'],
      ['contacts', 'interaction_stat_changes'],
      ['claims', 'complaint_sla_changes'],
    ] as const) {
      expect(await sql(name, `SELECT COUNT(*) AS n FROM ${journal}`)).toEqual([{ n: 0 }]);
    }
    const reports = await stack.data(REPORTS);
    expect(reports.interactionStats.length).toBeGreaterThan(6);
    expect(reports.receivables.aging.reduce((n: number, b: { invoiceCount: number }) => n + b.invoiceCount, 0)).toBeGreaterThan(0);
    expect(reports.slaReport.length).toBe(4);
  });

  it('--rebuild recomputes totals that went wrong from the raw rows, and a plain run folds the journals', async () => {
    const before = await stack.data(REPORTS);
    // Rows written with the triggers bypassed, as a bulk load or a hand repair might.
    await sql('billing', 'UPDATE receivable_days SET invoices = invoices + 1, open_minor = open_minor + 100');
    await sql('contacts', 'DELETE FROM interaction_stat_days WHERE day >= DATE_SUB(CURRENT_DATE, INTERVAL 200 DAY)');
    await sql('claims', 'UPDATE complaint_sla_days SET complaints = complaints * 2');
    await sql('claims', 'UPDATE claim_stat_days SET claims = claims + 3');
    expect(await stack.data(REPORTS)).not.toEqual(before);

    const { stdout } = await rollups('--rebuild');
    expect(stdout).toMatch(/contacts: rebuilt .*interaction_stat_days/);
    expect(stdout).toMatch(/billing: rebuilt .*receivable_days/);
    expect(stdout).toMatch(/claims: rebuilt .*complaint_sla_days/);
    expect(await stack.data(REPORTS)).toEqual(before);

    // A write journals a delta; a plain run folds it, and the figures stay.
    await sql('claims', "UPDATE claims SET claimed_minor = COALESCE(claimed_minor, 0) + 1 WHERE type = 'DAMAGE' LIMIT 1");
    expect(await sql('claims', 'SELECT COUNT(*) AS n FROM claim_stat_changes')).toEqual([{ n: 4 }]);
    const folded = await rollups();
    expect(folded.stdout).toMatch(/claims: folded 4 journal rows/);
    expect(await sql('claims', 'SELECT COUNT(*) AS n FROM claim_stat_changes')).toEqual([{ n: 0 }]);
    expect(await stack.data(REPORTS)).toEqual(before);
  });
});
