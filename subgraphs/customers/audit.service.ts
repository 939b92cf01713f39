import { badUserInput, findAuditEvents, readInstant, type StoredAuditEvent } from '../platform';
import { auditSourceField } from '../platform/audit.resolver';
import type { CustomersContext } from './customer.service';
import { PEER_SUBGRAPHS, type PeerSubgraph, type PeerSources } from './peer-sources';
import { readPeerJson } from './peer-read';

export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  actor?: string;
  from?: Date;
  to?: Date;
}

interface Cursor {
  at: string;
  source: string;
  id: number;
}

const encode = (c: Cursor) => Buffer.from(JSON.stringify(['audit', c.at, c.source, c.id])).toString('base64url');
function decode(after: string): Cursor {
  try {
    const [tag, at, source, id] = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as unknown[];
    if (tag === 'audit' && typeof at === 'string' && !Number.isNaN(Date.parse(at)) && typeof source === 'string' && Number.isInteger(id)) {
      return { at, source, id: id as number };
    }
  } catch {
    // fall through
  }
  throw badUserInput('after', 'after is not a cursor of this list');
}

/** Newest first; at the same instant by source subgraph, then newest row: one order across all subgraphs. */
function compare(a: StoredAuditEvent, b: StoredAuditEvent): number {
  return b.at.getTime() - a.at.getTime() || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0) || b.id - a.id;
}

/**
 * What a source must return to continue after `cursor` in the merged order:
 * rows strictly older, and at the cursor's instant those the order puts after it.
 */
function beforeFor(source: string, cursor: Cursor | undefined): { at: Date; id: number } | undefined {
  if (!cursor) return undefined;
  const at = new Date(cursor.at);
  if (source === cursor.source) return { at, id: cursor.id };
  return { at, id: source < cursor.source ? 0 : Number.MAX_SAFE_INTEGER };
}

/**
 * auditTrail and auditEvents: every subgraph keeps the audit rows of its own
 * writes, so a page is merged from all five. Each is asked for first + 1 rows
 * after the cursor (the peers through their internal, service-only field, in
 * parallel, outside any transaction), the lists merged in one order, and the
 * page cut. A peer that cannot answer fails the read with its retryable
 * error rather than showing a trail with a hole in it.
 */
export class AuditService {
  constructor(private readonly ctx: CustomersContext) {}

  async page(filter: AuditFilter, first: number | null | undefined, after: string | null | undefined) {
    const size = first ?? 50;
    if (!Number.isInteger(size) || size < 0 || size > 1000) throw badUserInput('first', 'first must be 0 to 1000');
    const cursor = after ? decode(after) : undefined;
    const sources = this.ctx.loaders.peerSources;
    const query = (service: string) => ({ ...filter, before: beforeFor(service, cursor), limit: size + 1 });
    const lists = await Promise.all([
      findAuditEvents(this.ctx.dataSource, 'customers', query('customers')),
      ...PEER_SUBGRAPHS.map((peer) => (sources ? this.fromPeer(sources, peer, query(peer)) : Promise.resolve([]))),
    ]);
    const merged = lists.flat().sort(compare);
    const nodes = merged.slice(0, size);
    const last = nodes[nodes.length - 1];
    return {
      nodes,
      pageInfo: { hasNextPage: merged.length > size, endCursor: last ? encode({ at: last.at.toISOString(), source: last.source, id: last.id }) : null },
    };
  }

  private async fromPeer(sources: PeerSources, peer: PeerSubgraph, query: object): Promise<StoredAuditEvent[]> {
    const rows = await readPeerJson<(Omit<StoredAuditEvent, 'at'> & { at: string })[]>(sources, peer, auditSourceField(peer), query, 'audit rows');
    return rows.map((row) => ({ ...row, at: readInstant(row.at) }));
  }
}
