import { setTimeout as sleep } from 'node:timers/promises';
import { EXPORTS } from './exports';
import type { Principal } from '../subgraphs/platform/auth';
import type { Logger } from '../subgraphs/platform/logger';

/**
 * EXPORT_WARM_UP_PAGES: pages of the `customers` export a started gateway
 * reads through the graph and throws away before it reports ready; default 2
 * from the environment (main.ts, `npm start`), 0 (none) for a gateway built in
 * code (tests), so that nothing runs behind a test's back.
 *
 * Why: the first export after a start paid for V8 compiling the export path in
 * the gateway and five subgraphs. On the large seed (SQLite, four starts each,
 * alternating) the first 100,000-row export took 4.9–6.3 s cold and 4.4–4.8 s
 * after two pages of 4000; later exports take 3.1–4.3 s. Two pages cost about
 * 1.5 s of CPU once per start and read only figures, no personal data.
 */
export const DEFAULT_EXPORT_WARM_UP_PAGES = 2;
/** How long the warm-up waits for the subgraphs to answer before the gateway reports ready without it; default 30 s. */
export const DEFAULT_EXPORT_WARM_UP_DEADLINE_MS = 30_000;
const RETRY_DELAY_MS = 1000;

/**
 * The gateway itself, with the least a reader of the export needs: an analyst
 * sees figures and no personal data. Its pages are not an export to anyone,
 * so the audit trail records none.
 */
export const WARM_UP_PRINCIPAL: Principal = { sub: 'service:gateway', roles: ['analyst'], kind: 'service' };

type Answer = { data?: Record<string, unknown> | null; errors?: readonly unknown[] };

export interface ExportWarmUpOptions {
  /** Pages to read; 0 reads none. */
  pages: number;
  /** Rows per page, as the export reads them (EXPORT_PAGE_SIZE). */
  pageSize: number;
  /** One operation through the gateway's pipeline as WARM_UP_PRINCIPAL. */
  execute: (query: string, variables: Record<string, unknown>) => Promise<Answer>;
  logger: Logger;
  /** Default DEFAULT_EXPORT_WARM_UP_DEADLINE_MS; a subgraph not up yet is asked again every second until then. */
  deadlineMs?: number;
  /** Default 1000 ms. */
  retryDelayMs?: number;
  /** Aborted when the gateway stops: no page is asked for after that. */
  signal?: AbortSignal;
}

export interface ExportWarmUpResult {
  /** Pages read. */
  pages: number;
  /** False when it gave up: the graph did not answer before the deadline, or the gateway stopped. */
  complete: boolean;
}

const failed = (answer: Answer | undefined) => !answer?.data || (answer.errors?.length ?? 0) > 0;

/** Reads the first pages of the `customers` export, and its cursor operation once. Never throws. */
export async function warmUpExports(options: ExportWarmUpOptions): Promise<ExportWarmUpResult> {
  const definition = EXPORTS.find((e) => e.name === 'customers')!;
  const started = Date.now();
  const deadline = started + (options.deadlineMs ?? DEFAULT_EXPORT_WARM_UP_DEADLINE_MS);
  const delay = options.retryDelayMs ?? RETRY_DELAY_MS;
  const variables = { ...definition.variables({}), first: options.pageSize };
  const ask = (query: string, after: string | null) => options.execute(query, { ...variables, after }).catch(() => undefined);
  let after: string | null = null;
  let pages = 0;
  while (pages < options.pages) {
    if (options.signal?.aborted) return { pages, complete: false };
    const answer = await ask(definition.query, after);
    if (failed(answer)) {
      if (Date.now() + delay > deadline) {
        options.logger.warn({ pages }, 'export warm-up given up: the graph did not answer; the first export will be slower');
        return { pages, complete: false };
      }
      await sleep(delay, undefined, { signal: options.signal }).catch(() => undefined);
      continue;
    }
    // The export reads the cursor of the page after next with this operation (export.routes.ts): planned and compiled here too.
    if (pages === 0 && definition.cursors) await ask(definition.cursors, after);
    pages++;
    after = definition.next!(answer!.data!);
    if (after === null) break;
  }
  options.logger.info({ pages, ms: Date.now() - started }, 'export warm-up done');
  return { pages, complete: true };
}
