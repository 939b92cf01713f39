import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import type { ChecksCost } from './checks-cost';
import type { RefusalLatency } from './refusals';
import type { SlowSubgraphLatency } from './slow-subgraph';
import type { TimelineLatency } from './timeline';
import type { SoakResult } from './soak';
import type { TierAReport } from './tier-a';
import type { ProcessProfiles } from './profile-processes';
import { join } from 'node:path';
import type { ExportResult, LoadResult, LoadRun, StreamedExportResult } from './measure';

export interface TargetResult {
  target: string;
  label: string;
  scenarios: { name: string; c1?: LoadResult; c8?: LoadResult; c32?: LoadResult | null; export?: ExportResult }[];
}

export interface BenchReport {
  date: string;
  smoke: boolean;
  machine: { cpus: number; cpuModel: string; memoryBytes: number; node: string };
  versions: Record<string, string>;
  seedSeconds: number;
  durationSec: number;
  /** Runs per measurement (median and spread reported). */
  runs?: number;
  hive: string;
  results: TargetResult[];
  /** Microseconds access control adds per request at the gateway (JWT check, principal signing, 3 subgraph verifications). */
  authMicrosPerRequest?: number;
  /** Microseconds the operation protections (cost, rate limit, trusted documents, deadline) add per request of Q1 at the gateway. */
  checks?: ChecksCost;
  /** How fast the gateway refuses a depth-50 query, 1,000 aliases and 100,000 tokens, in ms. */
  refusals?: RefusalLatency;
  /** The first page of Customer.timeline for a customer with 200 events, at our gateway. */
  timeline?: TimelineLatency;
  /** Seconds the peers' timeline feeds needed after the seed to bring every customer into the projection. */
  feedCatchUpSeconds?: number;
  /** Answers while claims is slower than the gateway's subgraph deadline. */
  slowSubgraph?: SlowSubgraphLatency;
  /** GET /export/customers.csv at our gateway. */
  streamedExport?: StreamedExportResult;
  /** Each process of the graph profiled under Q1 and Q2 at c=32. */
  processProfiles?: ProcessProfiles[];
  /** Tier A: each gateway alone on one core, against recorded subgraph answers. */
  tierA?: TierAReport;
  /** The memory soak at our gateway: Q1 rounds, heap after each. */
  soak?: SoakResult;
  /** Self time of our gateway by package while serving the slowest scenario. */
  profile?: { scenario: string; gateway: { bucket: string; share: number }[] };
}

const MB = 1024 * 1024;

/** The process that serves each target. */
export const GATEWAY_PROCESS: Record<string, string> = { ours: 'gateway', stock: 'stock-gateway', single: 'single-process', hive: 'hive-gateway' };

function gatewayRss(target: string, peakRss: Record<string, number> | undefined): number {
  return peakRss?.[GATEWAY_PROCESS[target] ?? ''] ?? 0;
}
const START = '<!-- generated: begin -->';
const END = '<!-- generated: end -->';

function fmt(n: number | undefined, digits = 1): string {
  return n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits);
}

/** The median with the spread of the runs behind it: `12.3 (11.9–12.8)`. */
function spread(r: LoadRun & { runs?: LoadRun[] }, key: 'rps' | 'p50' | 'p99', digits: number): string {
  const values = (r.runs ?? []).map((run) => run[key]);
  if (values.length < 2) return fmt(r[key], digits);
  return `${fmt(r[key], digits)} (${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)})`;
}

/** CPU per operation per process at c=32: where the cost of each scenario goes. */
function cpuTable(report: BenchReport): string[] {
  const rows = report.results.flatMap((t) => t.scenarios.filter((s) => s.c32?.cpuMsPerOperation).map((s) => ({ t, s, cpu: s.c32!.cpuMsPerOperation! })));
  if (rows.length === 0) return [];
  const names = Object.keys(rows[0]!.cpu).slice(1);
  const lines = ['### CPU ms per operation at c=32, per process', ''];
  lines.push(`| target | scenario | gateway | ${names.join(' | ')} | total |`);
  lines.push(`|---|---|${names.map(() => '---|').join('')}---|---|`);
  for (const { t, s, cpu } of rows) {
    const values = Object.values(cpu);
    lines.push(
      `| ${t.label} | ${s.name} | ${values.map((v) => fmt(v, 2)).join(' | ')} | ${fmt(
        values.reduce((a, b) => a + b, 0),
        2,
      )} |`,
    );
  }
  lines.push('');
  return lines;
}

/** Tier A's tables: per scenario, each gateway's throughput per core, latency and memory; then our gateway's profile. */
function tierATables(tierA: TierAReport | undefined): string[] {
  if (!tierA) return [];
  const lines = ['', '### Tier A: the gateway alone (one core, recorded subgraph answers)', ''];
  lines.push('| target | scenario | c=1 p50 ms | c=32 rps | c=32 p99 ms | CPU ms/request | rps per core | per core vs stock | peak RSS MB | replay misses |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|');
  const stock = tierA.results.find((r) => r.target === 'stock');
  for (const t of tierA.results) {
    for (const s of t.scenarios) {
      const base = stock?.scenarios.find((b) => b.name === s.name);
      lines.push(
        `| ${t.label} | ${s.name} | ${s.c1.p50} | ${spread(s.c32, 'rps', 0)} | ${s.c32.p99} | ${fmt(s.cpuMsPerRequest, 2)} | ${fmt(s.rpsPerCore, 0)} | ${ratio(s.rpsPerCore, base?.rpsPerCore)} | ${fmt(s.peakRssMb, 0)} | ${s.replayMisses} |`,
      );
    }
  }
  lines.push('', '| where our gateway spends its time (tier A, Q2 at c=32) | share |', '|---|---|');
  for (const b of tierA.profile) lines.push(`| ${b.bucket} | ${(b.share * 100).toFixed(1)} % |`);
  return lines;
}

function ratio(a: number | undefined, b: number | undefined): string {
  return a && b ? `${(a / b).toFixed(2)}×` : '-';
}

/** The generated part of RESULTS.md: machine, versions, and one table per concurrency. */
export function renderTables(report: BenchReport): string {
  const lines: string[] = [];
  lines.push(
    `Run ${report.date}${report.smoke ? ' (--smoke: demo data, not comparable)' : ''}: ${report.runs ?? 1} run(s) of ${report.durationSec} s per measurement after a warm-up.`,
  );
  lines.push('');
  lines.push(
    `Machine: ${report.machine.cpus} × ${report.machine.cpuModel}, ${(report.machine.memoryBytes / 1024 ** 3).toFixed(0)} GiB, Node ${report.machine.node}. Seed: ${fmt(report.seedSeconds)} s. Hive Gateway: ${report.hive}. Authentication on (bearer JWT, HS256); it adds ${report.authMicrosPerRequest?.toFixed(0) ?? '?'} µs per request at the gateway (in-process measurement).`,
  );
  if (report.checks) {
    const c = report.checks;
    lines.push('');
    lines.push(
      `Operation protections add ${fmt(c.total)} µs per Q1 request at the gateway (target: under 200): cost estimate ${fmt(c.costEstimate)}, rate limit ${fmt(c.rateLimit)}, trusted-document check ${fmt(c.trustedDocument)}, deadline ${fmt(c.deadline)}; the extra validation rules cost ${fmt(c.validationRulesPerNewDocument)} µs once per new operation text (Apollo caches validated documents).`,
    );
  }
  if (report.refusals) {
    const r = report.refusals;
    lines.push('');
    lines.push(
      `Refused over HTTP, whole answer received (median / worst of 50; target: under 5 ms): a depth-50 query ${fmt(r.depth50.p50, 2)} / ${fmt(r.depth50.max, 2)} ms, 1,000 aliases ${fmt(r.aliases1000.p50, 2)} / ${fmt(r.aliases1000.max, 2)} ms, 100,000 tokens ${fmt(r.tokens100k.p50, 2)} / ${fmt(r.tokens100k.max, 2)} ms.`,
    );
  }
  lines.push('');
  lines.push(
    `Versions: ${Object.entries(report.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
  );
  lines.push('');
  const ours = report.results.find((r) => r.target === 'ours');
  const TITLES = { c1: 'c=1 (latency floor)', c8: 'c=8', c32: 'c=32' } as const;
  for (const level of ['c1', 'c8', 'c32'] as const) {
    if (!report.results.some((t) => t.scenarios.some((s) => s[level]))) continue;
    lines.push(`### ${TITLES[level]}`);
    lines.push('');
    lines.push('Medians of the runs, with their range in brackets.');
    lines.push('');
    lines.push('| target | scenario | rps | p50 ms | p90 ms | p99 ms | errors | SQL/op | subgraph req/op | gateway peak RSS MB | rps vs ours |');
    lines.push('|---|---|---|---|---|---|---|---|---|---|---|');
    for (const target of report.results) {
      for (const s of target.scenarios) {
        const r = s[level];
        if (!r) continue;
        const mine = ours?.scenarios.find((o) => o.name === s.name)?.[level];
        lines.push(
          `| ${target.label} | ${s.name} | ${spread(r, 'rps', 1)} | ${spread(r, 'p50', 0)} | ${r.p90} | ${spread(r, 'p99', 0)} | ${r.errors} | ${fmt(r.sqlPerOperation)} | ${fmt(r.subgraphRequestsPerOperation)} | ${fmt(gatewayRss(target.target, r.peakRss) / MB, 0)} | ${ratio(r.rps, mine?.rps)} |`,
        );
      }
    }
    lines.push('');
  }
  lines.push(...cpuTable(report));
  lines.push('### Q4 bulk export (1,000 customers a page)');
  lines.push('');
  lines.push('| target | rows | seconds | rows/s | errors | gateway peak RSS MB |');
  lines.push('|---|---|---|---|---|---|');
  for (const target of report.results) {
    const e = target.scenarios.find((s) => s.export)?.export;
    if (!e) continue;
    lines.push(
      `| ${target.label} | ${e.rows} | ${fmt(e.seconds)} | ${fmt(e.rowsPerSecond, 0)} | ${e.errors} | ${fmt(gatewayRss(target.target, e.peakRss) / MB, 0)} |`,
    );
  }
  lines.push('');
  if (report.timeline) {
    const t = report.timeline;
    lines.push('', '### Customer timeline, first page at our gateway (issue 17: p50 at most 20 ms)', '');
    lines.push('| events of the customer | page | p50 | p95 | max |', '|---|---|---|---|---|');
    lines.push(`| ${t.customerEvents} | ${t.first} | ${t.p50.toFixed(2)} ms | ${t.p95.toFixed(2)} ms | ${t.max.toFixed(2)} ms |`);
    if (report.feedCatchUpSeconds !== undefined)
      lines.push('', `After the seed, the peers' timeline feeds brought every customer into the projection in ${report.feedCatchUpSeconds.toFixed(1)} s.`);
  }
  if (report.slowSubgraph) {
    const w = report.slowSubgraph;
    lines.push(
      '',
      `### A subgraph slower than the deadline (claims delayed ${w.delayMs} ms, deadline ${w.deadlineMs} ms; target: every answer within the deadline plus 10 %)`,
      '',
    );
    lines.push('| connections | answers | partial | p50 | p95 | max |', '|---|---|---|---|---|---|');
    lines.push(`| ${w.connections} | ${w.requests} | ${w.partial} | ${w.p50.toFixed(0)} ms | ${w.p95.toFixed(0)} ms | ${w.max.toFixed(0)} ms |`);
    lines.push('');
  }
  if (report.streamedExport) {
    const x = report.streamedExport;
    lines.push(
      `BI export \`GET /export/customers.csv\` (streamed, pages of 4,000 through the graph): ${x.rows} rows in ${fmt(x.seconds)} s, ${fmt(x.rowsPerSecond, 0)} rows/s, first byte after ${fmt(x.firstByteMs, 0)} ms${x.first ? ` (the median of ${x.runs} runs after a first one of ${fmt(x.first.rowsPerSecond, 0)} rows/s, first byte after ${fmt(x.first.firstByteMs, 0)} ms)` : ''}, gateway peak RSS ${fmt((x.peakRss?.gateway ?? 0) / MB, 0)} MB (targets: 20,000 rows/s, under 1 s, under 250 MB).`,
    );
    lines.push('');
  }
  if (report.soak) {
    const k = report.soak;
    lines.push(
      `Memory soak: ${k.rounds} rounds of ${k.secondsPerRound} s of Q1 at c=8 (${k.requests} requests, ${k.errors} errors); our gateway's heap after each round: ${k.heapAfterRound.map((b) => fmt(b / MB, 0)).join(', ')} MB: ${k.monotonicGrowth ? '**it grew after every round**' : 'no monotonic growth'}.`,
    );
    lines.push('');
  }
  if (ours) {
    const peakAll = Math.max(
      ...ours.scenarios.flatMap((s) => [s.c1?.peakRss.gateway ?? 0, s.c8?.peakRss.gateway ?? 0, s.c32?.peakRss.gateway ?? 0, s.export?.peakRss?.gateway ?? 0]),
    );
    lines.push(
      `Peak RSS per process of the Customer 360 run (MB): ${Object.entries(ours.scenarios[0]?.c32?.peakRss ?? {})
        .map(([k, v]) => `${k} ${fmt(v / MB, 0)}`)
        .join(', ')}; our gateway's highest: ${fmt(peakAll / MB, 0)} MB.`,
    );
  }
  lines.push(...tierATables(report.tierA));
  for (const p of report.processProfiles ?? []) {
    lines.push('', `### Where each process spends its CPU: ${p.scenario} at c=32 (self time by package, top 6)`, '');
    lines.push('| process | top buckets |', '|---|---|');
    for (const [name, buckets] of Object.entries(p.processes)) {
      lines.push(`| ${name} | ${buckets.map((b) => `${b.bucket} ${(b.share * 100).toFixed(1)} %`).join(', ')} |`);
    }
  }
  if (report.profile) {
    lines.push('');
    lines.push(`### Gateway CPU profile, ${report.profile.scenario} at c=1 (self time by package)`);
    lines.push('');
    lines.push('| where | share of gateway CPU |');
    lines.push('|---|---|');
    for (const b of report.profile.gateway) lines.push(`| ${b.bucket} | ${(b.share * 100).toFixed(1)} % |`);
  }
  return lines.join('\n');
}

/** Writes bench/results/<date>.json and the generated part of bench/RESULTS.md (the rest is kept). */
export function writeReport(root: string, report: BenchReport): void {
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${report.date.slice(0, 10)}${report.smoke ? '-smoke' : ''}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`[bench] wrote ${file}`);
  if (report.smoke) return; // a smoke run keeps RESULTS.md as the last full run left it
  const path = join(root, 'bench', 'RESULTS.md');
  const current = existsSync(path) ? readFileSync(path, 'utf8') : `# Benchmark results\n\n${START}\n${END}\n`;
  const [before, rest] = current.includes(START) ? current.split(START) : [current, `\n${END}`];
  const after = rest!.split(END)[1] ?? '';
  writeFileSync(path, `${before}${START}\n${renderTables(report)}\n${END}${after}`);
  console.log(`[bench] updated ${path}`);
}
