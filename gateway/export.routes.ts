import type { Express, Request, Response } from 'express';
import { GraphQLError, coerceInputValue, isListType, isNonNullType, parseType, typeFromAST, type GraphQLInputType, type GraphQLSchema } from 'graphql';
import { readPages } from './export-pages';
import { CONTENT_TYPES, EXPORT_FORMATS, rowWriter, type ExportFormat } from './export-writers';
import { EXPORTS, type ExportDefinition } from './exports';
import { createLogger, type Logger } from '../subgraphs/platform/logger';
import { MAX_PAGE_SIZE } from '../subgraphs/platform/pagination';

/**
 * EXPORT_PAGE_SIZE: rows a paged export reads through the graph per
 * operation, at most its connection's largest page (ExportDefinition.maxPageSize);
 * default 4000: `customers` reads pages of 4000 as columns (on the large seed, with pages read as id ranges, 4000 measured 12 % faster than 2000
 * and 3000, and 5000 no faster with more memory), the others pages of their connection's largest, 1000.
 */
export const DEFAULT_EXPORT_PAGE_SIZE = 4000;
/** Rows per operation of a paged export: `pageSize` (default DEFAULT_EXPORT_PAGE_SIZE), at most its connection's largest page. */
export function exportPageSize(definition: ExportDefinition, pageSize?: number): number {
  return Math.min(pageSize ?? DEFAULT_EXPORT_PAGE_SIZE, definition.maxPageSize ?? MAX_PAGE_SIZE);
}

/** The first page of a paged export: small, so that its first bytes are sent soon. */
const FIRST_PAGE_SIZE = 100;

type Result = { data?: Record<string, unknown> | null; errors?: readonly { message: string; extensions?: Record<string, unknown> }[] };

export interface ExportRoutesOptions<C> {
  /** The gateway's API schema, once loaded. */
  schema: () => GraphQLSchema | undefined;
  /** The caller, as for /graphql: authenticated, rate-limited; throws UNAUTHENTICATED or RATE_LIMITED. */
  authenticate: (req: Request) => Promise<C>;
  /** Runs one operation through the gateway's GraphQL pipeline as the caller, within one request deadline. */
  execute: (query: string, variables: Record<string, unknown>, context: C) => Promise<Result>;
  /** Called once an export was served completely: the audit trail's record. */
  onExported: (context: C, file: string) => void;
  /** Default DEFAULT_EXPORT_PAGE_SIZE. */
  pageSize?: number;
  /** Pages of one export read at once (export-pages.ts); default DEFAULT_PAGES_IN_FLIGHT. */
  pagesInFlight?: number;
  /** Delays before a failed page is read again; default PAGE_RETRY_DELAYS_MS. */
  retryDelaysMs?: readonly number[];
  /** Where a failed export is logged; default the gateway's logger. */
  logger?: Logger;
}

function sendError(res: Response, status: number, code: string, message: string, field?: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code, ...(field ? { field } : {}) } }] });
}

/** HTTP status of a GraphQL error code, as a client expects it on a plain GET. */
function statusOf(code: unknown): number {
  if (code === 'BAD_USER_INPUT' || code === 'COST_ESTIMATED_TOO_EXPENSIVE' || code === 'PERSISTED_QUERY_NOT_IN_LIST') return 400;
  if (code === 'UNAUTHENTICATED') return 401;
  if (code === 'FORBIDDEN') return 403;
  if (code === 'RATE_LIMITED') return 429;
  return 503;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Query parameters → the export's parameters, each checked against its
 * GraphQL input type (lists comma-separated). Messages name the parameter
 * and its type, never the value sent.
 */
export function readParameters(definition: ExportDefinition, query: Request['query'], schema: GraphQLSchema): Record<string, unknown> {
  const known = new Set(definition.parameters.map((p) => p.name));
  for (const name of Object.keys(query)) if (!known.has(name)) throw new ExportInputError(name, `${definition.name} takes no parameter of this name`);
  const values: Record<string, unknown> = {};
  for (const parameter of definition.parameters) {
    const type = typeFromAST(schema, parseType(parameter.type)) as GraphQLInputType | undefined;
    if (!type) throw new Error(`export ${definition.name}: unknown type ${parameter.type}`);
    const raw = query[parameter.name];
    if (raw === undefined || raw === '') {
      if (isNonNullType(type)) throw new ExportInputError(parameter.name, `${parameter.name} is required (${parameter.type})`);
      continue;
    }
    if (typeof raw !== 'string') throw new ExportInputError(parameter.name, `${parameter.name} must be given once`);
    const inner = isNonNullType(type) ? type.ofType : type;
    const named = isListType(inner) ? (isNonNullType(inner.ofType) ? inner.ofType.ofType : inner.ofType) : inner;
    const texts = isListType(inner) ? raw.split(',').map((s) => s.trim()) : [raw];
    for (const text of texts) {
      // The gateway's schema knows custom scalars by name only: dates are checked here.
      if (named.toString() === 'Date') {
        const m = DATE.exec(text);
        const day = m ? new Date(`${text}T00:00:00Z`) : undefined;
        if (!m || !day || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== text) {
          throw new ExportInputError(parameter.name, `${parameter.name} must be a date, YYYY-MM-DD`);
        }
      }
    }
    let problem = false;
    const value = coerceInputValue(isListType(inner) ? texts : texts[0], type, () => (problem = true));
    if (problem)
      throw new ExportInputError(parameter.name, `${parameter.name} must be ${isListType(inner) ? 'a comma-separated list of ' : ''}${named.toString()}`);
    values[parameter.name] = value;
  }
  return values;
}

export class ExportInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Delays before the retries of a page that failed with retryable errors only: a page is a read, so repeating it is safe. */
export const PAGE_RETRY_DELAYS_MS: readonly number[] = [200, 1000];

/** True when the answer failed, and every error promises that the same read may simply be sent again. */
export function retryableFailure(result: Result): boolean {
  const errors = result.errors ?? [];
  return errors.length > 0 && errors.every((e) => e.extensions?.retryable === true);
}

/** Where a failed answer came from, for the log: the service and why, never a value. */
export function failedAt(result: Result): { code: string; serviceName?: string; reason?: string } {
  const extensions = result.errors?.[0]?.extensions ?? {};
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return { code: text(extensions.code) ?? 'INTERNAL_SERVER_ERROR', serviceName: text(extensions.serviceName), reason: text(extensions.reason) };
}

/**
 * One page, read again after each delay while it fails retryably (a subgraph
 * timed out or was briefly away) and the client still waits for it: one slow
 * page must not cut off an export of 100,000 rows that a BI tool would have
 * to start again. Errors that are not retryable (bad input, refusal) are
 * answered at once.
 */
export async function readPage(
  read: () => Promise<Result>,
  delaysMs: readonly number[] = PAGE_RETRY_DELAYS_MS,
  onRetry: (attempt: number, cause: ReturnType<typeof failedAt>) => void = () => undefined,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  wanted: () => boolean = () => true,
): Promise<Result> {
  let result = await read();
  for (let attempt = 0; attempt < delaysMs.length && retryableFailure(result) && wanted(); attempt++) {
    onRetry(attempt + 1, failedAt(result));
    await sleep(delaysMs[attempt]!);
    if (!wanted()) break;
    result = await read();
  }
  return result;
}

/** The first error of an answer, or undefined when it has none and its data. */
function failure(result: Result): { status: number; code: string; message: string; field?: string } | undefined {
  const error = result.errors?.[0];
  if (!error && result.data) return undefined;
  const { code } = failedAt(result);
  const field = typeof error?.extensions?.field === 'string' ? error.extensions.field : undefined;
  return { status: statusOf(code), code, message: error?.message ?? 'The export failed', field };
}

async function write(res: Response, chunk: string): Promise<void> {
  // A client that is gone emits no 'close' again: waiting for one would hold the page for ever.
  if (res.destroyed) throw new Error('client went away');
  if (chunk.length === 0 || res.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const drained = () => {
      res.off('close', closed);
      resolve();
    };
    const closed = () => {
      res.off('drain', drained);
      reject(new Error('client went away'));
    };
    res.once('drain', drained);
    res.once('close', closed);
  });
}

/** The self-documenting index at GET /export. */
export function exportIndex(baseUrl: string) {
  return {
    exports: EXPORTS.map((e) => ({
      name: e.name,
      description: e.description,
      urls: EXPORT_FORMATS.map((f) => `${baseUrl}/export/${e.name}.${f}`),
      parameters: e.parameters,
      columns: e.columns.map(({ name, type, description }) => ({ name, type, description })),
    })),
    formats: {
      csv: 'RFC 4180, UTF-8, header row, CRLF; decimals with a dot, dates ISO 8601; a text cell starting with = + - @ (a plain decimal in a decimal column excepted) is prefixed with an apostrophe',
      json: 'one JSON array of row objects',
      ndjson: 'one JSON object per line',
    },
    credentials: 'x-api-key: <key> or Authorization: Bearer <token>',
  };
}

/**
 * GET /export (the index) and GET /export/<name>.<csv|json|ndjson>. A paged
 * export reads one page of the graph at a time and writes it out before it
 * asks for the next, so it never holds more than a page; nothing is sent
 * before the first page has arrived, so an error before it is a proper HTTP
 * error, and one after it cuts the transfer rather than ending a file that
 * looks complete.
 */
export function exportRoutes<C>(options: ExportRoutesOptions<C>): (app: Express) => void {
  return (app) => {
    app.get('/export', async (req, res) => {
      try {
        await options.authenticate(req);
      } catch (error) {
        return refuseCaller(res, error);
      }
      res.json(exportIndex(`${req.protocol}://${req.get('host') ?? 'localhost'}`));
    });
    app.get('/export/:file', async (req, res) => {
      const match = /^([a-z-]+)\.([a-z]+)$/.exec(req.params.file ?? '');
      const definition = match ? EXPORTS.find((e) => e.name === match[1]) : undefined;
      const format = match?.[2] as ExportFormat | undefined;
      if (!definition || !format || !EXPORT_FORMATS.includes(format)) return sendError(res, 404, 'NOT_FOUND', 'No such export; GET /export lists them');
      let context: C;
      try {
        context = await options.authenticate(req);
      } catch (error) {
        return refuseCaller(res, error);
      }
      const schema = options.schema();
      if (!schema) return sendError(res, 503, 'INTERNAL_SERVER_ERROR', 'The gateway is starting; try again');
      let params: Record<string, unknown>;
      try {
        params = readParameters(definition, req.query, schema);
      } catch (error) {
        if (error instanceof ExportInputError) return sendError(res, 400, 'BAD_USER_INPUT', error.message, error.field);
        throw error;
      }
      await stream(res, definition, format, params, context, options, req.params.file!);
    });
  };
}

function refuseCaller(res: Response, error: unknown): void {
  const extensions = error instanceof GraphQLError ? error.extensions : {};
  const retryAfter = extensions.retryAfterSeconds;
  if (typeof retryAfter === 'number') res.setHeader('retry-after', String(retryAfter));
  const code = String(extensions.code ?? 'UNAUTHENTICATED');
  sendError(res, statusOf(code), code, error instanceof Error ? error.message : 'authentication required');
}

async function stream<C>(
  res: Response,
  definition: ExportDefinition,
  format: ExportFormat,
  params: Record<string, unknown>,
  context: C,
  options: ExportRoutesOptions<C>,
  file: string,
): Promise<void> {
  const variables = definition.variables(params);
  const paged = definition.next !== undefined;
  const size = exportPageSize(definition, options.pageSize);
  const logger = options.logger ?? createLogger('gateway');
  const delays = options.retryDelaysMs ?? PAGE_RETRY_DELAYS_MS;
  const page = (after: string | null, first = size, retries = delays) =>
    readPage(
      () => options.execute(definition.query, paged ? { ...variables, first, after } : variables, context),
      retries,
      (attempt, cause) => logger.warn({ export: definition.name, attempt, ...cause }, 'export page retried'),
      undefined,
      () => !res.destroyed,
    );
  // A short first page: the first bytes go out after one small operation, not a full page. One retry
  // only: until it has an answer the client has nothing, and a proper error soon beats a late file.
  const result = await page(null, Math.min(size, FIRST_PAGE_SIZE), delays.slice(0, 1));
  const refused = failure(result);
  if (refused) {
    if (refused.status >= 500) logger.error({ export: definition.name, ...failedAt(result) }, 'export refused');
    return sendError(res, refused.status, refused.code, refused.message, refused.field);
  }
  const writer = rowWriter(format, definition.columns);
  res.status(200).setHeader('content-type', CONTENT_TYPES[format]);
  res.setHeader('content-disposition', `inline; filename="${file}"`);
  res.setHeader('cache-control', 'no-store');
  // Where the page after `after` ends, from the rows-free operation of the same connection; null when unknown.
  const peek = definition.cursors
    ? async (after: string) => {
        const answer = await options.execute(definition.cursors!, { ...variables, first: size, after }, context);
        return failure(answer) ? null : definition.next!(answer.data!);
      }
    : undefined;
  const pages = readPages<Result>({
    first: result,
    next: (answer) => (paged ? definition.next!(answer.data!) : null),
    read: (after) => page(after),
    peek,
    inFlight: options.pagesInFlight,
    active: () => !res.destroyed,
  });
  try {
    await write(res, writer.head());
    let index = 0;
    for await (const answer of pages) {
      const failed = failure(answer);
      if (failed) {
        // Which service and why, never a value: the operator's clue to what cut the export.
        const { code, serviceName, reason } = failedAt(answer);
        throw new Error(`export ${definition.name} failed after ${index} rows: ${[code, serviceName, reason].filter(Boolean).join(' ')}`);
      }
      let chunk = '';
      for (const row of definition.rows(answer.data!)) chunk += writer.row(row, index++);
      await write(res, chunk);
    }
    await write(res, writer.tail());
    res.end();
    options.onExported(context, file);
  } catch (error) {
    logger.error({ export: definition.name, reason: error instanceof Error ? error.message.slice(0, 200) : 'failed' }, 'export cut off');
    // Mid-stream: the status is sent; cutting the connection tells the client the file is incomplete.
    res.destroy();
  }
}
