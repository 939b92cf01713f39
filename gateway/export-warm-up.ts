import { exportPageSize } from './export.routes';
import { EXPORTS } from './exports';
import type { Principal } from '../subgraphs/platform/auth';
import type { Logger } from '../subgraphs/platform/logger';

/**
 * EXPORT_WARM_UP_PAGES: pages of the `customers` export a started gateway
 * reads through the graph and throws away before it reports ready; default 2
 * from the environment (main.ts, `npm start`), 0 (none) for a gateway built in
 * code (tests), so that nothing runs behind a test's back.
 *
 * Why: the first export after a start paid for its processes warming up: V8
 * compiling the export path in six processes, and (on a VM that hands freed
 * memory back to its host) memory touched for the first time. On the large
 * seed (SQLite, alternating starts) the first 100,000-row export took a median
 * of 5.5 s without and 4.55 s after two pages of 4000; later exports 3.1–4.3 s.
 * The two pages take 1.2–1.7 s once per start and read figures only.
 */
export const DEFAULT_EXPORT_WARM_UP_PAGES = 2;
/**
 * How long ready may wait for the warm-up; default 10 s. A page of 4000
 * takes under a second; a subgraph that accepts but does not answer must not hold
 * the gateway back for its whole timeout.
 */
export const DEFAULT_EXPORT_WARM_UP_DEADLINE_MS = 10_000;

/**
 * The gateway itself, with the least a reader of the export needs: an analyst
 * sees figures and no personal data. Its pages are not an export to anyone:
 * the gateway records none (the customers subgraph records its slices as any).
 */
export const WARM_UP_PRINCIPAL: Principal = { sub: 'service:gateway', roles: ['analyst'], kind: 'service' };

type Answer = { data?: Record<string, unknown> | null; errors?: readonly unknown[] };

export interface ExportWarmUpOptions {
  /** Pages to read; 0 reads none. */
  pages: number;
  /** EXPORT_PAGE_SIZE, as the export reads its pages (exportPageSize); default DEFAULT_EXPORT_PAGE_SIZE. */
  pageSize?: number;
  /** One operation through the gateway's pipeline as WARM_UP_PRINCIPAL. */
  execute: (query: string, variables: Record<string, unknown>) => Promise<Answer>;
  logger: Logger;
  /** Default DEFAULT_EXPORT_WARM_UP_DEADLINE_MS. */
  deadlineMs?: number;
  /** Aborted when the gateway stops: no page is asked for after that. */
  signal?: AbortSignal;
}

export interface ExportWarmUpResult {
  /** Pages read. */
  pages: number;
  /** False when it stopped early: no answer, the deadline, or the gateway stopping. */
  complete: boolean;
}

/**
 * Reads the first pages of the `customers` export, and its cursor operation
 * once; never throws. A page some subgraphs answered counts (what answered is
 * warm); a page without data ends the warm-up at once: the gateway does not
 * wait for an outage, which is reported per request like any other.
 */
export async function warmUpExports(options: ExportWarmUpOptions): Promise<ExportWarmUpResult> {
  const started = Date.now();
  // One signal ends it: the deadline, or the gateway stopping. Either also ends the wait for a page in flight.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), options.deadlineMs ?? DEFAULT_EXPORT_WARM_UP_DEADLINE_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal;
  const ended = new Promise<'deadline' | 'stopped'>((resolve) =>
    signal.addEventListener('abort', () => resolve(deadline.signal.aborted ? 'deadline' : 'stopped'), { once: true }),
  );
  const progress = { pages: 0 };
  const outcome = await Promise.race([readPages(options, signal, progress), ended]);
  clearTimeout(timer);
  const ms = Date.now() - started;
  if (outcome === 'complete') {
    options.logger.info({ pages: progress.pages, ms }, 'export warm-up done');
    return { pages: progress.pages, complete: true };
  }
  if (outcome !== 'stopped') options.logger.warn({ pages: progress.pages, ms, reason: outcome }, 'export warm-up given up; the first export will be slower');
  return { pages: progress.pages, complete: false };
}

async function readPages(options: ExportWarmUpOptions, signal: AbortSignal, progress: { pages: number }): Promise<'complete' | 'no answer' | 'stopped'> {
  const definition = EXPORTS.find((e) => e.name === 'customers')!;
  const variables = { ...definition.variables({}), first: exportPageSize(definition, options.pageSize) };
  const ask = (query: string, after: string | null) => options.execute(query, { ...variables, after }).catch(() => undefined);
  let after: string | null = null;
  while (progress.pages < options.pages) {
    if (signal.aborted) return 'stopped';
    const answer = await ask(definition.query, after);
    // Ended while this page was under way: its answer is not waited for, and nothing more is asked.
    if (signal.aborted) return 'stopped';
    if (!answer?.data) return 'no answer';
    // The export reads the cursor of the page after next with this operation (export.routes.ts): planned and compiled here too.
    if (progress.pages === 0 && definition.cursors) await ask(definition.cursors, after);
    progress.pages++;
    try {
      after = definition.next!(answer.data);
    } catch {
      return 'no answer';
    }
    if (after === null) break;
  }
  return 'complete';
}
