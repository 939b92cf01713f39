import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Q4, type VariableKind } from './scenarios';

export interface LoadRun {
  requests: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  errors: number;
}

/** A measurement: the medians of its runs (requests and errors: their sums). */
export interface LoadResult extends LoadRun {
  /** Each run, for the spread. */
  runs?: LoadRun[];
  /** CPU milliseconds per operation of the gateway under test, each subgraph and MariaDB, over all runs. */
  cpuMsPerOperation?: Record<string, number>;
  sqlPerOperation: number;
  subgraphRequestsPerOperation: number;
  peakRss: Record<string, number>;
}

export interface ExportResult {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  pages: number;
  errors: number;
  peakRss?: Record<string, number>;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Several runs of one measurement as one: the median of each figure, requests and errors summed, the runs kept for the spread. */
export function combineRuns(runs: LoadRun[]): LoadRun & { runs: LoadRun[] } {
  return {
    requests: runs.reduce((n, r) => n + r.requests, 0),
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p90: median(runs.map((r) => r.p90)),
    p99: median(runs.map((r) => r.p99)),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    runs,
  };
}

/** Runs bench/load.js in a process of its own and returns what it measured. */
export function runLoad(job: {
  url: string;
  query: string;
  variables: VariableKind;
  idsFile: string;
  today: string;
  connections: number;
  durationSec: number;
}): Promise<LoadRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'load.js'), JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as LoadRun) : reject(new Error(`load process exited with ${code}`)),
    );
  });
}

/** Q4: pages through every customer, 1,000 at a time, one request after the other. */
export async function runExport(url: string): Promise<ExportResult> {
  const started = Date.now();
  let after: string | null = null;
  let rows = 0;
  let pages = 0;
  let errors = 0;
  do {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(process.env.BENCH_AUTHORIZATION ? { authorization: process.env.BENCH_AUTHORIZATION } : {}) },
      body: JSON.stringify({ query: Q4, variables: { after } }),
    });
    const body = (await response.json()) as {
      data?: { customers: { nodes: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
      errors?: unknown[];
    };
    if (body.errors || !body.data) {
      errors++;
      break;
    }
    rows += body.data.customers.nodes.length;
    pages++;
    after = body.data.customers.pageInfo.hasNextPage ? body.data.customers.pageInfo.endCursor : null;
  } while (after);
  const seconds = (Date.now() - started) / 1000;
  return { rows, seconds, rowsPerSecond: rows / seconds, pages, errors };
}

/** The streamed BI export GET /export/customers.csv: rows, time to first byte and rows per second. */
export interface StreamedExportResult {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  firstByteMs: number;
  status: number;
  peakRss?: Record<string, number>;
  /** With runCsvExports: the first of the runs, right after the start (V8 still compiling the graph's hot paths). */
  first?: StreamedExportResult;
  /** With runCsvExports: how many runs after the first this is the median of. */
  runs?: number;
}

/** Pulls the whole customers export as CSV, counting lines as they stream in (never holding the file). */
export async function runCsvExport(baseUrl: string): Promise<StreamedExportResult> {
  const started = process.hrtime.bigint();
  const response = await fetch(`${baseUrl}/export/customers.csv`, {
    headers: process.env.BENCH_AUTHORIZATION ? { authorization: process.env.BENCH_AUTHORIZATION } : {},
  });
  let firstByteMs = 0;
  let lines = 0;
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (firstByteMs === 0) firstByteMs = Number(process.hrtime.bigint() - started) / 1e6;
    for (const byte of value) if (byte === 10) lines++;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // The header is one line; customer names hold no line breaks in the seed.
  const rows = Math.max(0, lines - 1);
  return { rows, seconds, rowsPerSecond: rows / seconds, firstByteMs, status: response.status };
}

/**
 * The customers export `1 + runs` times in a row: the first, then the run
 * with the median rows/s of the others (warm, as every other scenario is
 * measured after its warm-up), with the first kept beside it.
 */
export async function runCsvExports(baseUrl: string, runs: number): Promise<StreamedExportResult> {
  const first = await runCsvExport(baseUrl);
  const warm: StreamedExportResult[] = [];
  for (let i = 0; i < runs; i++) warm.push(await runCsvExport(baseUrl));
  if (warm.length === 0) return first;
  const sorted = [...warm].sort((a, b) => a.rowsPerSecond - b.rowsPerSecond);
  return { ...sorted[Math.floor((sorted.length - 1) / 2)]!, first, runs: warm.length };
}

/** One line of the streamed export's figures, for the console. */
export function describeCsvExport(x: StreamedExportResult, gatewayPeakRss: number): string {
  const run = (r: StreamedExportResult) => `${r.rowsPerSecond.toFixed(0)} rows/s, first byte ${r.firstByteMs.toFixed(0)} ms`;
  const warm = x.first ? `${x.runs === 1 ? 'the run' : `median of ${x.runs} runs`} after the first: ${run(x)}; first run: ${run(x.first)}` : run(x);
  return `customers.csv: ${x.rows} rows, ${warm}, gateway peak RSS ${(gatewayPeakRss / 1024 / 1024).toFixed(0)} MB`;
}
