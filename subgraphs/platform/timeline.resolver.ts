import express, { type Express } from 'express';
import type { DataSource } from 'typeorm';
import { InternalSigner, PRINCIPAL_HEADER, SERVICE_ROLE } from './auth';
import type { SubgraphName } from './config';
import { badUserInput } from './errors';
import { safeError, type Logger } from './logger';
import type { ServiceMetrics } from './metrics';
import { findTimeline, TIMELINE_KINDS, type TimelineKind, type TimelineQuery, type TimelineSource } from './timeline';

/**
 * Where the customers subgraph reads a peer's timeline events: a plain JSON
 * route beside /graphql, for service principals only. Not a GraphQL field:
 * the timeline's first page waits for four of these reads, and on a small
 * machine a GraphQL request costs several milliseconds before the first SQL
 * statement (README, "Customer timeline").
 */
export const TIMELINE_ROUTE = '/internal/timeline';

/** Most events per customer one internal read may return: the largest page (100) plus one. */
export const MAX_TIMELINE_ROWS = 101;
/** Most customers one internal read may ask for: the largest page of customers. */
export const MAX_TIMELINE_CUSTOMERS = 1000;

const instant = (value: unknown): Date | undefined => (typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? new Date(value) : undefined);

/** The internal query, checked: nothing but the known keys, each of its type. */
export function readTimelineQuery(body: unknown): TimelineQuery {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badUserInput('query', 'query must be a JSON object');
  const raw = body as Record<string, unknown>;
  const ids = raw.customerIds;
  if (!Array.isArray(ids) || ids.length > MAX_TIMELINE_CUSTOMERS || !ids.every((id) => typeof id === 'string' && id.length <= 64)) {
    throw badUserInput('query', `customerIds must be up to ${MAX_TIMELINE_CUSTOMERS} ids`);
  }
  const limit = Number(raw.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_TIMELINE_ROWS) throw badUserInput('query', `limit must be 1 to ${MAX_TIMELINE_ROWS}`);
  let kinds: TimelineKind[] | undefined;
  if (raw.kinds !== undefined && raw.kinds !== null) {
    if (!Array.isArray(raw.kinds) || !raw.kinds.every((k) => (TIMELINE_KINDS as readonly unknown[]).includes(k))) {
      throw badUserInput('query', 'kinds must be timeline kinds');
    }
    kinds = raw.kinds as TimelineKind[];
  }
  const before = raw.before as { at?: unknown; key?: unknown; inclusive?: unknown } | undefined | null;
  const beforeAt = instant(before?.at);
  return {
    customerIds: ids as string[],
    kinds,
    from: instant(raw.from),
    to: instant(raw.to),
    before: beforeAt ? { at: beforeAt, key: typeof before?.key === 'string' ? before.key : undefined, inclusive: before?.inclusive === true } : undefined,
    limit,
  };
}

/** Registers TIMELINE_ROUTE: 401 without a signed service principal, 400 for a bad query, the events as JSON otherwise. */
export function timelineRoute(options: {
  service: SubgraphName;
  source: TimelineSource;
  dataSource: DataSource;
  internalAuthSecret: string;
  logger: Logger;
  metrics: ServiceMetrics;
}): (app: Express) => void {
  const signer = new InternalSigner(options.internalAuthSecret);
  const reads = options.metrics.counter('c360_timeline_reads_total', 'Timeline reads served to the customers subgraph', []);
  return (app) => {
    app.post(TIMELINE_ROUTE, express.json({ limit: '1mb' }), (req, res) => {
      void (async () => {
        const token = req.headers[PRINCIPAL_HEADER];
        const principal = await signer.verify(typeof token === 'string' ? token : undefined);
        if (!principal?.roles.includes(SERVICE_ROLE)) {
          res.status(401).json({ errors: [{ message: 'only a peer service may read this', extensions: { code: 'UNAUTHENTICATED' } }] });
          return;
        }
        let query: TimelineQuery;
        try {
          query = readTimelineQuery(req.body);
        } catch (error) {
          res.status(400).json({ errors: [{ message: (error as Error).message, extensions: { code: 'BAD_USER_INPUT' } }] });
          return;
        }
        reads.inc();
        try {
          res.json(await findTimeline(options.dataSource, options.service, options.source, query));
        } catch (error) {
          options.logger.error({ err: safeError(error) }, 'timeline read failed');
          res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
        }
      })();
    });
  };
}
