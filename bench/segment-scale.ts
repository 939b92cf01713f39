import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createConnection, type Connection } from 'mysql2/promise';
import { SUBGRAPHS } from '../subgraphs';
import { SUBGRAPH_DEFAULT_PORTS, addDaysUtc, envPrefix, projectRoot, utcDate } from '../subgraphs/platform';
import { compactAll } from '../subgraphs/platform/rollup';
import { GATEWAY_NODE_FLAGS } from '../gateway/gateway.config';
import { SEGMENT_BALANCES } from '../subgraphs/billing/segment-report.repository';
import { SEGMENT_INTERACTION_DAYS } from '../subgraphs/contacts/segment-report.repository';
import { openSubgraph } from '../scripts/database';
import { startLocalServer } from '../scripts/mariadb';
import { Q5 } from './scenarios';
import { benchAuth } from './auth-cost';

/**
 * `npm run bench:segments [-- --customers 1000000]`: SegmentReport at a
 * scale the seed cannot reach in minutes. Fills each subgraph's own database
 * with synthetic rows in bulk SQL (customers, their replicas, 6 invoices, 10
 * interactions and about 1 complaint in 8 per customer), through the same
 * triggers that keep the segment figures, then times the report through the
 * gateway at c=1 and c=8 and records the bytes the gateway answered and its
 * peak RSS. Writes bench/results/segment-scale-<date>.json.
 */
const { values } = parseArgs({ options: { customers: { type: 'string', default: '1000000' }, requests: { type: 'string', default: '40' } } });
const N = Number(values.customers);
const REQUESTS = Number(values.requests);
const root = projectRoot();
const GATEWAY_PORT = 4050;
const CHUNK = 250_000;

const procs: ChildProcess[] = [];
/** The bench's bearer token, set in main(). */
let authorization = '';

async function waitFor(url: string, seconds = 180): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not come up`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Runs `sql` for row numbers 1..count in chunks: `{from}` and `{to}` are replaced, each chunk one statement (bounded undo). */
async function inChunks(db: Connection, count: number, sql: string): Promise<void> {
  for (let from = 1; from <= count; from += CHUNK) {
    const to = Math.min(count, from + CHUNK - 1);
    await db.query(sql.replaceAll('{from}', String(from)).replaceAll('{to}', String(to)));
  }
}

const ID = (n: string) => `CONCAT('00000000-0000-4000-8000-', LPAD(${n}, 12, '0'))`;
const SEGMENT = (n: string) => `ELT(1 + ${n} % 3, 'A', 'B', 'C')`;

async function fill(url: string, today: string): Promise<Record<string, number>> {
  // The sequence engine's seq_1_to_n tables need a current database.
  const db = await createConnection({ uri: `${url}/customer360_customers` });
  const started = Date.now();
  const timings: Record<string, number> = {};
  const step = async (name: string, run: () => Promise<void>) => {
    const t0 = Date.now();
    await run();
    timings[name] = (Date.now() - t0) / 1000;
    console.log(`[segments] ${name}: ${timings[name]!.toFixed(1)} s`);
  };
  await step('customers', () =>
    inChunks(
      db,
      N,
      `INSERT INTO customer360_customers.customers (id, number_seq, customer_number, kind, display_name, segment, status, customer_since, version, created_at, updated_at)
       SELECT ${ID('seq')}, seq, CONCAT('C', LPAD(seq, 9, '0')), IF(seq % 4 = 0, 'ORGANIZATION', 'PERSON'), CONCAT('Customer ', seq), ${SEGMENT('seq')},
              ELT(1 + seq % 10, 'ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'DORMANT', 'PROSPECT', 'CHURNED'),
              DATE('2020-01-01') + INTERVAL (seq % 2000) DAY, 1, NOW(3), NOW(3)
       FROM seq_{from}_to_{to}`,
    ),
  );
  for (const schema of ['billing', 'claims', 'contacts']) {
    await step(`${schema} replica`, () =>
      inChunks(
        db,
        N,
        `INSERT INTO customer360_${schema}.customer_segments (customer_id, segment, version, updated_at) SELECT ${ID('seq')}, ${SEGMENT('seq')}, 1, NOW(3) FROM seq_{from}_to_{to}`,
      ),
    );
  }
  // Six invoices per customer over two years; a ninth unpaid, some partly paid, some written off or cancelled.
  await step('invoices', () =>
    inChunks(
      db,
      N * 6,
      `INSERT INTO customer360_billing.invoices (id, invoice_number, number_seq, customer_id, issue_date, due_date, total_minor, paid_minor, currency, status, dunning_level, created_at)
       SELECT id, CONCAT('INV-', LPAD(seq, 10, '0')), seq, ${ID('1 + seq % ' + N)}, issued, issued + INTERVAL 14 DAY, total,
              CASE WHEN k < 8 THEN total WHEN k = 8 THEN total DIV 3 ELSE 0 END, 'EUR',
              CASE WHEN k < 8 THEN 'PAID' WHEN k = 8 THEN 'PARTIALLY_PAID' WHEN k = 9 THEN 'OPEN' WHEN k = 10 THEN 'IN_COLLECTION' WHEN k = 11 THEN 'WRITTEN_OFF' ELSE 'CANCELLED' END,
              0, NOW(3)
       FROM (SELECT seq, ${ID('seq')} AS id, DATE('${addDaysUtc(today, -730)}') + INTERVAL (seq % 730) DAY AS issued, 1000 + (seq * 7919) % 200000 AS total, seq % 13 AS k
             FROM seq_{from}_to_{to}) t`,
    ),
  );
  // Ten interactions per customer over two years: about 1.2 in the last 90 days.
  await step('interactions', () =>
    inChunks(
      db,
      N * 10,
      `INSERT INTO customer360_contacts.interactions (id, customer_id, channel, direction, service_area, occurred_at, subject, handled_by, competence_level, resolved_on_first_contact, created_at)
       SELECT ${ID('seq')}, ${ID('1 + seq % ' + N)}, 'PHONE', 'INBOUND', 'HELPDESK', TIMESTAMP('${today}') - INTERVAL ((seq * 104729) % (730 * 86400)) SECOND,
              'Question', 'agent', 'FIRST_LEVEL', 1, NOW(3)
       FROM seq_{from}_to_{to}`,
    ),
  );
  await step('complaints', () =>
    inChunks(
      db,
      Math.round(N / 8),
      `INSERT INTO customer360_claims.complaints (id, customer_id, channel, category, priority, status, competence_level, received_at, first_response_due_at, resolution_due_at, description, updated_at)
       SELECT ${ID('seq')}, ${ID('1 + (seq * 8) % ' + N)}, 'EMAIL', 'billing', 'NORMAL', ELT(1 + seq % 4, 'OPEN', 'IN_PROGRESS', 'ESCALATED', 'RESOLVED'), 'FIRST_LEVEL',
              NOW(3), NOW(3), NOW(3), 'synthetic', NOW(3)
       FROM seq_{from}_to_{to}`,
    ),
  );
  await db.end();
  timings.total = (Date.now() - started) / 1000;
  return timings;
}

async function timeReports(
  concurrency: number,
): Promise<{ concurrency: number; requests: number; p50Ms: number; p95Ms: number; maxMs: number; bytes: number; errors: number }> {
  const latencies: number[] = [];
  let bytes = 0;
  let errors = 0;
  let issued = 0;
  const worker = async () => {
    while (issued < REQUESTS) {
      issued++;
      const t0 = performance.now();
      const response = await fetch(`http://127.0.0.1:${GATEWAY_PORT}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ query: Q5 }),
      });
      const text = await response.text();
      latencies.push(performance.now() - t0);
      bytes = Math.max(bytes, Buffer.byteLength(text));
      if (!response.ok || (JSON.parse(text) as { errors?: unknown }).errors) errors++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!);
  return { concurrency, requests: latencies.length, p50Ms: at(0.5), p95Ms: at(0.95), maxMs: at(1), bytes, errors };
}

/** Peak RSS from /proc (Linux); 0 where it cannot be read, so that a run's timings are never lost to it. */
function peakRss(child: ChildProcess): number {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  const today = utcDate(new Date());
  const server = await startLocalServer({ dataDir: join(tmpdir(), `c360-segments-${process.pid}`), bufferPool: '8G' });
  const auth = await benchAuth();
  authorization = auth.authorization;
  const env: NodeJS.ProcessEnv = { ...process.env, ...auth.env, DATABASE_URL: server.url, NODE_ENV: 'production', APOLLO_TELEMETRY_DISABLED: '1', TZ: 'UTC' };
  for (const m of SUBGRAPHS) delete env[`${envPrefix(m.name)}_DATABASE_URL`];
  try {
    for (const m of SUBGRAPHS) await (await openSubgraph(m, env)).destroy();
    const fillSeconds = await fill(server.url, today);
    // The journal the triggers wrote, folded as the subgraphs' compactors would.
    const t0 = Date.now();
    for (const [name, rollup] of [
      ['billing', SEGMENT_BALANCES],
      ['contacts', SEGMENT_INTERACTION_DAYS],
    ] as const) {
      const dataSource = await openSubgraph(
        SUBGRAPHS.find((m) => m.name === name)!,
        env,
      );
      await compactAll(dataSource, [rollup], 100_000);
      await dataSource.destroy();
    }
    const compactSeconds = (Date.now() - t0) / 1000;
    console.log(`[segments] compaction: ${compactSeconds.toFixed(1)} s`);

    for (const m of SUBGRAPHS)
      procs.push(spawn(process.execPath, [join(root, 'dist', 'subgraphs', m.name, 'main.js')], { env, stdio: ['ignore', 'ignore', 'inherit'] }));
    await Promise.all(SUBGRAPHS.map((m) => waitFor(`http://127.0.0.1:${SUBGRAPH_DEFAULT_PORTS[m.name]}/readyz`)));
    const gateway = spawn(process.execPath, [...GATEWAY_NODE_FLAGS, join(root, 'dist', 'gateway', 'main.js')], {
      env: { ...env, GATEWAY_PORT: String(GATEWAY_PORT) },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    procs.push(gateway);
    await waitFor(`http://127.0.0.1:${GATEWAY_PORT}/readyz`);
    await timeReports(2); // warm-up
    const runs = [await timeReports(1), await timeReports(8)];
    for (const r of runs)
      console.log(`[segments] c=${r.concurrency}: p50 ${r.p50Ms} ms, p95 ${r.p95Ms} ms, max ${r.maxMs} ms, ${r.bytes} bytes, ${r.errors} errors`);
    const result = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryBytes: totalmem(), node: process.version },
      customers: N,
      rows: { invoices: N * 6, interactions: N * 10, complaints: Math.round(N / 8) },
      fillSeconds,
      compactSeconds,
      runs,
      gatewayPeakRssBytes: peakRss(gateway),
    };
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    writeFileSync(join(root, 'bench', 'results', `segment-scale-${today}.json`), `${JSON.stringify(result, null, 2)}\n`);
    console.log(`[segments] gateway peak RSS ${(result.gatewayPeakRssBytes / 1048576).toFixed(0)} MB`);
  } finally {
    for (const p of procs) p.kill('SIGTERM');
    await server.stop();
  }
}

main().catch((error) => {
  console.error(`[segments] ${error instanceof Error ? error.stack : String(error)}`);
  for (const p of procs) p.kill('SIGTERM');
  process.exit(1);
});
