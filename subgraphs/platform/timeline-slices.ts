import { badUserInput } from './errors';
import { TIMELINE_KINDS, type TimelineKind } from './timeline';

/**
 * Where a peer's timeline feed sends its customers' events: a JSON route of
 * the customers subgraph beside /graphql, for service principals only, each
 * writing the slices of its own source. Not a GraphQL mutation: it is no
 * part of the graph, and a slice of a busy customer is a large body.
 */
export const TIMELINE_SLICES_ROUTE = '/internal/timeline-slices';

/** Most slices (customers) one delivery may carry. */
export const MAX_SLICES_PER_DELIVERY = 1000;
/** Most events one delivery may carry (about 4 MB of JSON); a larger slice travels alone, up to MAX_SLICE_EVENTS. */
export const MAX_DELIVERY_EVENTS = 20_000;
/** Most events one customer's slice may hold. */
export const MAX_SLICE_EVENTS = 200_000;
/** The body limit of the route: the largest slice, about 250 bytes an event. */
export const SLICES_BODY_LIMIT = '64mb';

/** One event as the projection stores it. */
export interface SliceEvent {
  at: Date;
  key: string;
  kind: TimelineKind;
  entityType: string;
  entityId: string;
  summary: string;
}

/** Every event of one customer in one source, as of the source's `version` of that customer. */
export interface TimelineSlice {
  customerId: string;
  version: number;
  events: SliceEvent[];
}

const text = (value: unknown, max: number): value is string => typeof value === 'string' && value.length > 0 && value.length <= max;

/** A delivery's slices, checked: nothing but the known keys, each of its type and size. */
export function readTimelineSlices(body: unknown): TimelineSlice[] {
  const slices = (body as { slices?: unknown } | null)?.slices;
  if (!Array.isArray(slices) || slices.length > MAX_SLICES_PER_DELIVERY)
    throw badUserInput('slices', `slices must be a list of up to ${MAX_SLICES_PER_DELIVERY}`);
  return slices.map((raw: unknown, i) => {
    const slice = (raw ?? {}) as Record<string, unknown>;
    if (!text(slice.customerId, 36)) throw badUserInput(`slices[${i}].customerId`, 'customerId must be 1-36 characters');
    if (!Number.isSafeInteger(slice.version) || (slice.version as number) < 1) throw badUserInput(`slices[${i}].version`, 'version must be a positive integer');
    if (!Array.isArray(slice.events) || slice.events.length > MAX_SLICE_EVENTS) throw badUserInput(`slices[${i}].events`, 'events must be a list');
    const events = slice.events.map((e: unknown) => {
      const event = (e ?? {}) as Record<string, unknown>;
      const at = typeof event.at === 'string' ? new Date(event.at) : undefined;
      if (
        !at ||
        Number.isNaN(at.getTime()) ||
        !text(event.key, 80) ||
        !(TIMELINE_KINDS as readonly unknown[]).includes(event.kind) ||
        !text(event.entityType, 32) ||
        !text(event.entityId, 36) ||
        typeof event.summary !== 'string' ||
        event.summary.length > 500
      ) {
        throw badUserInput(`slices[${i}].events`, 'each event needs at, key, kind, entityType, entityId and summary');
      }
      return { at, key: event.key, kind: event.kind as TimelineKind, entityType: event.entityType, entityId: event.entityId, summary: event.summary };
    });
    return { customerId: slice.customerId, version: slice.version as number, events };
  });
}
