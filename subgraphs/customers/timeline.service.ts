import type { DataSource } from 'typeorm';
import { badUserInput, encodeCursor, pageRequest, type Page } from '../platform';
import { findTimeline, type TimelineKind, type TimelineQuery, type TimelineRow, type TimelineSource } from '../platform/timeline';
import { findProjected } from './timeline-projection.repository';

const CURSOR_TAG = 'timeline';
/** The largest page of a timeline. */
export const MAX_TIMELINE_PAGE = 100;

/** A position in the merged order: the last event's instant, source and key. */
type TimelineCursor = [at: string, source: string, key: string];
const isCursor = (value: unknown): value is TimelineCursor =>
  Array.isArray(value) && value.length === 3 && value.every((v) => typeof v === 'string') && !Number.isNaN(Date.parse(value[0] as string));

export interface TimelineArgs {
  first: number;
  after?: TimelineCursor;
  kinds?: TimelineKind[];
  from?: Date;
  to?: Date;
}

/** Checks the public arguments once, before any read; BAD_USER_INPUT names the argument. */
export function timelineArgs(
  first: number | null | undefined,
  after: string | null | undefined,
  kinds: TimelineKind[] | null | undefined,
  from: Date | null | undefined,
  to: Date | null | undefined,
): TimelineArgs {
  const page = pageRequest(CURSOR_TAG, first, after, isCursor);
  if (page.first > MAX_TIMELINE_PAGE) throw badUserInput('first', `first must be at most ${MAX_TIMELINE_PAGE}`);
  if (from && to && from >= to) throw badUserInput('to', 'to must be after from');
  return { first: page.first, after: page.after, kinds: kinds && kinds.length > 0 ? kinds : undefined, from: from ?? undefined, to: to ?? undefined };
}

/** Newest first; at the same instant by source, then by key, descending: one order over all five sources. */
export function compareTimeline(a: TimelineRow, b: TimelineRow): number {
  return b.at.getTime() - a.at.getTime() || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0) || (a.key < b.key ? 1 : a.key > b.key ? -1 : 0);
}

/** What a source must return to continue after the cursor in the merged order. */
export function timelineBefore(source: string, after: TimelineCursor | undefined): TimelineQuery['before'] {
  if (!after) return undefined;
  const [at, cursorSource, key] = after;
  const instant = new Date(at);
  if (source === cursorSource) return { at: instant, key };
  // A source ordered before the cursor's has given all its events at that instant; one after it has given none.
  return { at: instant, inclusive: source > cursorSource };
}

/**
 * Customer.timeline for many customers at once (a list of customers costs
 * two statements, not two per customer): this subgraph's own events, derived
 * from its tables, and the peers' events from the projection their feeds
 * keep (timeline-feed.ts), each the newest first + 1 per customer after the
 * cursor; per customer the two lists are merged in one order and the page
 * cut. Every event of the page is thus among the newest of its list, so the
 * page is the newest over all domains.
 */
export async function timelinePages(dataSource: DataSource, own: TimelineSource, customerIds: string[], args: TimelineArgs): Promise<Page<TimelineRow>[]> {
  if (args.first === 0) return customerIds.map(() => ({ nodes: [], pageInfo: { hasNextPage: false, endCursor: null } }));
  const ownQuery: TimelineQuery = {
    customerIds,
    kinds: args.kinds,
    from: args.from,
    to: args.to,
    before: timelineBefore('customers', args.after),
    limit: args.first + 1,
  };
  const after = args.after ? ([new Date(args.after[0]), args.after[1], args.after[2]] as [Date, string, string]) : undefined;
  const lists = await Promise.all([
    findTimeline(dataSource, 'customers', own, ownQuery),
    findProjected(dataSource, { customerIds, kinds: args.kinds, from: args.from, to: args.to, after, limit: args.first + 1 }),
  ]);
  const byCustomer = new Map<string, TimelineRow[]>(customerIds.map((id) => [id, []]));
  for (const row of lists.flat()) byCustomer.get(row.customerId)?.push(row);
  return customerIds.map((id) => {
    const merged = byCustomer.get(id)!.sort(compareTimeline);
    const nodes = merged.slice(0, args.first);
    const last = nodes[nodes.length - 1];
    return {
      nodes,
      pageInfo: {
        hasNextPage: merged.length > args.first,
        endCursor: last ? encodeCursor(CURSOR_TAG, [last.at.toISOString(), last.source, last.key]) : null,
      },
    };
  });
}
