import { Arg, Ctx, Directive, Query, Resolver } from 'type-graphql';
import { writeRule } from './access';
import type { SubgraphName } from './config';
import type { RequestContext } from './context';
import { badUserInput } from './errors';
import { findTimeline, TIMELINE_KINDS, type TimelineKind, type TimelineQuery, type TimelineSource } from './timeline';

/** The internal query through which the customers subgraph reads a peer's timeline events. */
export function timelineSourceField(service: SubgraphName): string {
  return `_timelineOf${service.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}`;
}

/** Most events per customer one internal read may return: the largest page (100) plus one. */
export const MAX_TIMELINE_ROWS = 101;
/** Most customers one internal read may ask for: the largest page of customers. */
export const MAX_TIMELINE_CUSTOMERS = 1000;

const instant = (value: unknown): Date | undefined => (typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? new Date(value) : undefined);

/** The JSON query of the internal field, checked: nothing but the known keys, each of its type. */
export function parseTimelineQuery(text: string): TimelineQuery {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw badUserInput('query', 'query must be JSON');
  }
  if (typeof raw !== 'object' || raw === null) throw badUserInput('query', 'query must be a JSON object');
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

/**
 * A subgraph's timeline events for the customers subgraph's Customer.timeline:
 * a service principal only, never in the public API (@inaccessible). Events
 * travel as JSON text, as the audit rows do.
 */
export function createTimelineSourceResolver(service: SubgraphName, source: TimelineSource) {
  @Resolver()
  class TimelineSourceResolver {
    @Directive('@inaccessible')
    @Directive(writeRule('service'))
    @Query(() => String, { name: timelineSourceField(service), description: "This subgraph's timeline events as JSON, newest first per customer." })
    async timeline(@Arg('query') query: string, @Ctx() ctx: RequestContext<unknown>): Promise<string> {
      return JSON.stringify(await findTimeline(ctx.dataSource, service, source, parseTimelineQuery(query)));
    }
  }
  return TimelineSourceResolver;
}
