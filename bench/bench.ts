import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpuByProcess, peaks, procs, resetPeaks, start, waitFor } from './processes';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createConnection, type Connection } from 'mysql2/promise';
import { SUBGRAPHS } from '../subgraphs';
import { SUBGRAPH_NODE_FLAGS, envPrefix, projectRoot, utcDate, type SubgraphName } from '../subgraphs/platform';
import { GATEWAY_NODE_FLAGS } from '../gateway/gateway.config';
import { seedAll } from '../scripts/database';
import { startLocalServer } from '../scripts/mariadb';
import { combineRuns, describeCsvExport, runCsvExports, runLoad, runExport, type LoadResult, type LoadRun } from './measure';
import { CONNECTIONS, LOAD_SCENARIOS, Q2_SMALL, SEGMENT_REPORT, type LoadScenario } from './scenarios';
import { summarizeProfiles } from './profile';
import { authCostMicros, benchAuth } from './auth-cost';
import { checksCostMicros } from './checks-cost';
import { refusalLatency } from './refusals';
import { counterTotal } from '../scripts/metrics-scrape';
import { slowSubgraphLatency } from './slow-subgraph';
import { feedCaughtUp, timelineLatency } from './timeline';
import { memorySoak } from './soak';
import { startHive } from './hive';
import { gatewayOnly } from './tier-a';
import { profileProcesses } from './profile-processes';
import { GATEWAY_PROCESS, writeReport, type BenchReport, type TargetResult } from './report';

/**
 * `npm run bench [-- --smoke]`: sets up MariaDB, the data, every subgraph and
 * the gateways under test, each in its own process with NODE_ENV=production,
 * drives load from a separate process and writes bench/results/<date>.json
 * and bench/RESULTS.md. --smoke: demo data, 2 s per run, and only Q1 at
 * the gateways other than ours, to keep the harness working in CI. --exports: the large data, our gateway only, and
 * only the streamed BI export (once right after the start, then RUNS more) and the refusals, printed (no report written).
 * --timeline: the large data, our gateway only, and only the first page of a
 * customer timeline with 200 events, printed.
 */
const smoke = process.argv.includes('--smoke');
const exportsOnly = process.argv.includes('--exports');
const timelineOnly = process.argv.includes('--timeline');
const root = projectRoot();
/** Seconds per run; each measurement is RUNS runs, reported as their median and spread. */
const DURATION = smoke ? 2 : 10;
const RUNS = smoke ? 1 : 3;
const WARMUP = smoke ? 1 : 5;
/** BENCH_PORT_BASE (default 4000): gateways at +0 (ours), +10 (stock), +20 (single process), +30 (Hive), +40 (profiled), +46 (slow subgraph; +45 is a port fetch refuses); subgraphs at +1 … +5; tier A at +50 … +59. */
const PORT_BASE = Number(process.env.BENCH_PORT_BASE ?? 4000);
if (!Number.isInteger(PORT_BASE) || PORT_BASE < 1024 || PORT_BASE > 65_000) throw new Error('BENCH_PORT_BASE must be a port number from 1024 to 65000');
const GATEWAY_PORTS = {
  ours: PORT_BASE,
  stock: PORT_BASE + 10,
  single: PORT_BASE + 20,
  hive: PORT_BASE + 30,
  profiled: PORT_BASE + 40,
  slow: PORT_BASE + 46,
} as const;
const SUBGRAPH_PORTS = Object.fromEntries(SUBGRAPHS.map((m, i) => [m.name, PORT_BASE + 1 + i])) as Record<SubgraphName, number>;

async function questions(db: Connection): Promise<number> {
  const [rows] = await db.query("SHOW GLOBAL STATUS LIKE 'Questions'");
  return Number((rows as { Value: string }[])[0]!.Value);
}

/**
 * Waits until MariaDB runs nothing but our own status query: a gateway that
 * gave up on slow requests (our 10 s subgraph deadline) leaves their SQL
 * running, and the next run must not start on a busy machine.
 */
async function quiesce(db: Connection, seconds = 120): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    const [rows] = await db.query("SHOW GLOBAL STATUS LIKE 'Threads_running'");
    if (Number((rows as { Value: string }[])[0]!.Value) <= 1) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

function subgraphRequests(): Promise<number> {
  return counterTotal(
    SUBGRAPHS.map((m) => `http://127.0.0.1:${SUBGRAPH_PORTS[m.name]}/graphql`),
    'c360_graphql_requests_total',
  );
}

/** What a measurement reads besides the load: the statements and requests behind it, and CPU per process. */
interface MeasureContext {
  idsFile: string;
  today: string;
  /** The process name of the gateway under test (its CPU is reported with the subgraphs' and the database's). */
  gateway: string;
  mariadbPid: number | undefined;
}

async function measure(db: Connection, url: string, scenario: LoadScenario, connections: number, ctx: MeasureContext): Promise<LoadResult> {
  await quiesce(db);
  resetPeaks();
  const [q0, r0] = [await questions(db), await subgraphRequests()];
  const cpu0 = cpuByProcess({ mariadb: ctx.mariadbPid });
  const runs: LoadRun[] = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(
      await runLoad({ url, query: scenario.query, variables: scenario.variables, idsFile: ctx.idsFile, today: ctx.today, connections, durationSec: DURATION }),
    );
  }
  const cpu1 = cpuByProcess({ mariadb: ctx.mariadbPid });
  const [q1, r1] = [await questions(db), await subgraphRequests()];
  const combined = combineRuns(runs);
  const requests = Math.max(1, combined.requests);
  const measured = [ctx.gateway, ...SUBGRAPHS.map((m) => m.name), 'mariadb'];
  return {
    ...combined,
    // Our two readings of the counter are statements too.
    sqlPerOperation: (q1 - q0 - 2) / requests,
    subgraphRequestsPerOperation: (r1 - r0) / requests,
    cpuMsPerOperation: Object.fromEntries(measured.map((name) => [name, ((cpu1[name] ?? 0) - (cpu0[name] ?? 0)) / requests])),
    peakRss: peaks(),
  };
}

async function main(): Promise<void> {
  const today = utcDate(new Date());
  const dataDir = join(tmpdir(), `c360-bench-${process.pid}`);
  const server = await startLocalServer({ dataDir, bufferPool: smoke ? '256M' : '6G' });
  stopDatabase = () => server.stop();
  const auth = await benchAuth();
  // The load generator and the export read the bearer token from here.
  process.env.BENCH_AUTHORIZATION = auth.authorization;
  // One principal sends every request: its rate limit is lifted (still counted per request) so that
  // throughput, not the limit, is measured.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...auth.env,
    DATABASE_URL: server.url,
    NODE_ENV: 'production',
    APOLLO_TELEMETRY_DISABLED: '1',
    TZ: 'UTC',
    RATE_LIMIT_PER_MINUTE: '10000000',
  };
  for (const m of SUBGRAPHS) delete env[`${envPrefix(m.name)}_DATABASE_URL`];
  const urls = Object.fromEntries(SUBGRAPHS.map((m) => [m.name, `http://127.0.0.1:${SUBGRAPH_PORTS[m.name]}/graphql`]));
  for (const m of SUBGRAPHS) {
    env[`${envPrefix(m.name)}_PORT`] = String(SUBGRAPH_PORTS[m.name]);
    env[`${envPrefix(m.name)}_URL`] = urls[m.name];
  }
  try {
    const seedStarted = Date.now();
    await seedAll({ size: smoke ? 'demo' : 'large', today, reset: false, log: (l) => console.log(l) }, env);
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    const db = await createConnection(server.url);
    const [idRows] = await db.query('SELECT id FROM customer360_customers.customers');
    const idsFile = join(dataDir, 'ids.json');
    writeFileSync(idsFile, JSON.stringify((idRows as { id: string }[]).map((r) => r.id)));

    for (const m of SUBGRAPHS) start(m.name, [...SUBGRAPH_NODE_FLAGS, join(root, 'dist', 'subgraphs', m.name, 'main.js')], env);
    await Promise.all(SUBGRAPHS.map((m) => waitFor(urls[m.name]!.replace('/graphql', '/readyz'))));
    // A seed leaves every customer pending for the peers' timeline feeds: no scenario runs while they catch up.
    const feedCatchUpSeconds = await feedCaughtUp(db);
    console.log(`[bench] timeline feeds caught up after the seed in ${feedCatchUpSeconds.toFixed(1)} s`);
    const supergraph = join(root, 'schema', 'supergraph.graphql');
    const targets: { name: keyof typeof GATEWAY_PORTS; label: string }[] = [
      { name: 'ours', label: 'Customer 360 gateway' },
      { name: 'stock', label: 'stock @apollo/gateway' },
      { name: 'single', label: 'single process (LocalGraphQLDataSource)' },
    ];
    start('gateway', [...GATEWAY_NODE_FLAGS, join(root, 'dist', 'gateway', 'main.js')], { ...env, GATEWAY_PORT: String(GATEWAY_PORTS.ours) });
    const profileDir = join(dataDir, 'profile');
    // Stock runs with our gateway's Node flags: the comparison is of the gateways, not of V8 settings.
    start(
      'stock-gateway',
      [...GATEWAY_NODE_FLAGS, join(root, 'dist', 'bench', 'stock-gateway.js'), supergraph, String(GATEWAY_PORTS.stock), JSON.stringify(urls)],
      env,
    );
    start('single-process', [join(root, 'dist', 'bench', 'single-process.js'), supergraph, String(GATEWAY_PORTS.single)], env);
    // Ours is ready once its export warm-up is through (/readyz), as the launcher waits for it.
    const ours = () => waitFor(`http://127.0.0.1:${GATEWAY_PORTS.ours}/readyz`);
    if (exportsOnly) {
      await ours();
      resetPeaks();
      const x = await runCsvExports(`http://127.0.0.1:${GATEWAY_PORTS.ours}`, RUNS);
      console.log(`[bench] ${describeCsvExport(x, peaks().gateway ?? 0)}`);
      const r = await refusalLatency(`http://127.0.0.1:${GATEWAY_PORTS.ours}/graphql`, auth.authorization);
      console.log(
        `[bench] refusals p50: depth 50 ${r.depth50.p50.toFixed(2)} ms, 1,000 aliases ${r.aliases1000.p50.toFixed(2)} ms, 100,000 tokens ${r.tokens100k.p50.toFixed(2)} ms`,
      );
      await db.end();
      return;
    }
    if (timelineOnly) {
      await ours();
      const t = await timelineLatency(`http://127.0.0.1:${GATEWAY_PORTS.ours}/graphql`, auth.authorization, db);
      console.log(
        `[bench] timeline first page (${t.first} of ${t.customerEvents} events): p50 ${t.p50.toFixed(2)} ms, p95 ${t.p95.toFixed(2)} ms, max ${t.max.toFixed(2)} ms`,
      );
      await db.end();
      return;
    }
    const hive = smoke ? null : ((await startHive(supergraph, env, GATEWAY_PORTS.hive))?.version ?? null);
    if (hive) targets.push({ name: 'hive', label: `Hive Gateway ${hive}` });
    await ours();
    for (const t of targets) await waitFor(`http://127.0.0.1:${GATEWAY_PORTS[t.name]}/graphql`);

    const results: TargetResult[] = [];
    for (const target of targets) {
      const url = `http://127.0.0.1:${GATEWAY_PORTS[target.name]}/graphql`;
      const scenarios: TargetResult['scenarios'] = [];
      // --smoke keeps the harness working in CI: every scenario at our gateway, only Q1 at the others (the code that measures them is the same).
      const all = [...LOAD_SCENARIOS, Q2_SMALL, SEGMENT_REPORT];
      for (const scenario of smoke && target.name !== 'ours' ? all.slice(0, 1) : all) {
        await runLoad({ url, query: scenario.query, variables: scenario.variables, idsFile, today, connections: 8, durationSec: WARMUP });
        const measured: TargetResult['scenarios'][number] = { name: scenario.name };
        for (const level of scenario.levels ?? (['c1', 'c32'] as const))
          measured[level] = await measure(db, url, scenario, CONNECTIONS[level], {
            idsFile,
            today,
            gateway: GATEWAY_PROCESS[target.name]!,
            mariadbPid: server.process.pid,
          });
        scenarios.push(measured);
        const levels = (['c1', 'c8', 'c32'] as const).filter((l) => measured[l]).map((l) => `c=${CONNECTIONS[l]} ${measured[l]!.rps.toFixed(1)} rps`);
        console.log(`[bench] ${target.name} ${scenario.name}: ${levels.join(', ')}`);
      }
      await quiesce(db);
      resetPeaks();
      const exported = await runExport(url);
      scenarios.push({ name: 'Q4 bulk export', export: { ...exported, peakRss: peaks() } });
      console.log(`[bench] ${target.name} Q4: ${exported.rowsPerSecond.toFixed(0)} rows/s`);
      results.push({ target: target.name, label: target.label, scenarios });
    }
    // The streamed BI export of every customer at our gateway (issue 14: first byte under 1 s, 20,000 rows/s, RSS under 250 MB).
    await quiesce(db);
    resetPeaks();
    const csvExport = await runCsvExports(`http://127.0.0.1:${GATEWAY_PORTS.ours}`, RUNS);
    const streamedExport = { ...csvExport, peakRss: peaks() };
    console.log(`[bench] ${describeCsvExport(csvExport, streamedExport.peakRss.gateway ?? 0)}`);
    // How fast the operation limits refuse abuse, at our gateway (issue 13: each under 5 ms).
    const refusals = await refusalLatency(`http://127.0.0.1:${GATEWAY_PORTS.ours}/graphql`, auth.authorization);
    console.log(
      `[bench] refusals p50: depth 50 ${refusals.depth50.p50.toFixed(2)} ms, 1,000 aliases ${refusals.aliases1000.p50.toFixed(2)} ms, 100,000 tokens ${refusals.tokens100k.p50.toFixed(2)} ms`,
    );
    // The first page of a customer timeline with 200 events (issue 17: p50 at most 20 ms).
    const timeline = await timelineLatency(`http://127.0.0.1:${GATEWAY_PORTS.ours}/graphql`, auth.authorization, db, 200, smoke ? 20 : 200);
    console.log(
      `[bench] timeline first page (${timeline.first} of ${timeline.customerEvents} events): p50 ${timeline.p50.toFixed(2)} ms, p95 ${timeline.p95.toFixed(2)} ms`,
    );
    // A page that needs a subgraph slower than the deadline: partial answers, each within the deadline plus 10 %.
    const slowSubgraph = await slowSubgraphLatency(env, urls.claims!, GATEWAY_PORTS.slow, auth.authorization, { seconds: smoke ? 2 : 10 });
    console.log(
      `[bench] slow subgraph (deadline ${slowSubgraph.deadlineMs} ms, c=${slowSubgraph.connections}): ${slowSubgraph.partial} of ${slowSubgraph.requests} partial, p50 ${slowSubgraph.p50.toFixed(0)} ms, max ${slowSubgraph.max.toFixed(0)} ms`,
    );
    // Five rounds of Q1 at c=8, the gateway's heap read after each (issue 15: no monotonic growth).
    const soak = await memorySoak(`http://127.0.0.1:${GATEWAY_PORTS.ours}/graphql`, { idsFile, today }, 5, smoke ? 1 : 30);
    console.log(
      `[bench] memory soak: heap after each round ${soak.heapAfterRound.map((b) => (b / 1024 / 1024).toFixed(0)).join(', ')} MB${soak.monotonicGrowth ? ' (grew every round)' : ''}`,
    );
    // Tier A: each gateway alone, pinned to one core, against recorded subgraph answers (issue 16).
    const tierA = await gatewayOnly(
      {
        env,
        subgraphUrls: urls,
        supergraph,
        portBase: PORT_BASE,
        customerId: (idRows as { id: string }[])[0]!.id,
        today,
        dir: dataDir,
        durationSec: DURATION,
        warmupSec: WARMUP,
        runs: RUNS,
        withHive: hive !== null,
      },
      () => readFileSync(supergraph, 'utf8'),
    );
    // Profile of the slowest scenario (Q2, page of 100) on a gateway and a subgraph started with --cpu-prof.
    const profile = smoke ? undefined : await profileQ2(profileDir, env, idsFile, today, urls);
    // Every process of the graph profiled under Q1 and Q2 at c=32 (issue 16); last, since it restarts the subgraphs.
    const processProfiles = smoke
      ? undefined
      : await profileProcesses(
          LOAD_SCENARIOS.filter((s) => s.name.startsWith('Q1') || s.name.startsWith('Q2')),
          { env, subgraphPorts: SUBGRAPH_PORTS, gatewayPort: GATEWAY_PORTS.profiled, dir: dataDir, idsFile, today, durationSec: DURATION },
        );
    await db.end();
    const report: BenchReport = {
      authMicrosPerRequest: await authCostMicros(auth.env, auth.authorization),
      checks: await checksCostMicros(),
      refusals,
      streamedExport,
      timeline,
      feedCatchUpSeconds,
      slowSubgraph,
      soak,
      tierA,
      profile,
      processProfiles,
      date: new Date().toISOString(),
      smoke,
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryBytes: totalmem(), node: process.version },
      versions: versions(),
      seedSeconds,
      durationSec: DURATION,
      runs: RUNS,
      hive: hive ?? (smoke ? 'not run in --smoke' : 'not installable from the registry here'),
      results,
    };
    writeReport(root, report);
  } finally {
    for (const p of procs.reverse()) p.child.kill('SIGTERM');
    await server.stop();
  }
}

/** Runs Q2 at c=1 against a second gateway and customers subgraph with --cpu-prof; returns self time by package. */
async function profileQ2(dir: string, env: NodeJS.ProcessEnv, idsFile: string, today: string, urls: Record<string, string>) {
  const gatewayDir = join(dir, 'gateway');
  const gateway = spawn(process.execPath, [...GATEWAY_NODE_FLAGS, `--cpu-prof`, `--cpu-prof-dir=${gatewayDir}`, join(root, 'dist', 'gateway', 'main.js')], {
    env: {
      ...env,
      GATEWAY_PORT: String(GATEWAY_PORTS.profiled),
      ...Object.fromEntries(Object.entries(urls).map(([n, u]) => [`${envPrefix(n as never)}_URL`, u])),
    },
    stdio: 'ignore',
  });
  await waitFor(`http://127.0.0.1:${GATEWAY_PORTS.profiled}/graphql`);
  const scenario = LOAD_SCENARIOS.find((s) => s.name.startsWith('Q2'))!;
  await runLoad({
    url: `http://127.0.0.1:${GATEWAY_PORTS.profiled}/graphql`,
    query: scenario.query,
    variables: scenario.variables,
    idsFile,
    today,
    connections: 1,
    durationSec: 15,
  });
  await new Promise<void>((resolve) => {
    gateway.once('exit', () => resolve());
    gateway.kill('SIGTERM');
  });
  return { scenario: scenario.name, gateway: summarizeProfiles(gatewayDir) };
}

function versions(): Record<string, string> {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
  const names = ['@apollo/gateway', '@apollo/server', '@apollo/subgraph', 'graphql', 'type-graphql', 'typeorm', 'mysql2', 'autocannon'];
  return Object.fromEntries(names.map((n) => [n, lock.packages[`node_modules/${n}`]?.version ?? 'unknown']));
}

// Ctrl-C or a CI timeout: stop every process this run started, the database included.
let stopDatabase: (() => Promise<void>) | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const p of procs) p.child.kill('SIGTERM');
    void (stopDatabase?.() ?? Promise.resolve()).then(() => process.exit(130));
  });
}

main().catch((error) => {
  console.error(`[bench] ${error instanceof Error ? error.stack : String(error)}`);
  for (const p of procs) p.child.kill('SIGTERM');
  process.exit(1);
});
