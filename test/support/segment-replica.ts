import { replicationMutation, type CustomerSegmentRow, type SegmentReplicaPeer } from '../../subgraphs/platform/segment-replica';
import type { SubgraphHarness } from './harness';
import { SERVICE_ROLE, type Principal } from '../../subgraphs/platform';

/** The customers subgraph's outbox, as the peers see it. */
const SERVICE: Principal = { sub: 'service:customers', roles: [SERVICE_ROLE], kind: 'service' };

/** Delivers rows through the peer's replication mutation, as the customers outbox does; fails the test on errors. */
export async function replicate(h: SubgraphHarness, peer: SegmentReplicaPeer, rows: CustomerSegmentRow[]): Promise<number> {
  const field = replicationMutation(peer);
  const result = await h.executeAs<Record<string, number>>(SERVICE, `mutation($rows: [CustomerSegmentInput!]!) { ${field}(rows: $rows) }`, { rows });
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data![field]!;
}

/** The replica as stored. */
export async function replicaRows(h: SubgraphHarness): Promise<Map<string, { segment: string; version: number }>> {
  const rows: { customer_id: string; segment: string; version: unknown }[] = await h.dataSource.query(
    'SELECT customer_id, segment, version FROM customer_segments',
  );
  return new Map(rows.map((r) => [r.customer_id, { segment: r.segment, version: Number(r.version) }]));
}

/** A deterministic shuffle (mulberry32), so that a failing order can be replayed from its seed. */
export function shuffled<T>(list: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const SEGMENTS = ['A', 'B', 'C'];

/** The same tests for every peer: its mutation writes its own table through the shared, version-guarded upsert. */
export function versionGuardTests(peer: SegmentReplicaPeer, harness: () => SubgraphHarness): void {
  describe(`${replicationMutation(peer)}: the version guard`, () => {
    it('inserts, lets a newer version overwrite, and never lets an older or equal one', async () => {
      const h = harness();
      expect(await replicate(h, peer, [{ customerId: 'vg-1', segment: 'B', version: 3 }])).toBe(1);
      await replicate(h, peer, [{ customerId: 'vg-1', segment: 'C', version: 2 }]);
      await replicate(h, peer, [{ customerId: 'vg-1', segment: 'A', version: 3 }]);
      expect((await replicaRows(h)).get('vg-1')).toEqual({ segment: 'B', version: 3 });
      await replicate(h, peer, [{ customerId: 'vg-1', segment: 'A', version: 4 }]);
      expect((await replicaRows(h)).get('vg-1')).toEqual({ segment: 'A', version: 4 });
    });

    it('takes the newest of several versions of a customer within one delivery, whatever their order', async () => {
      const h = harness();
      const rows = [5, 9, 7].map((version) => ({ customerId: 'vg-2', segment: SEGMENTS[version % 3]!, version }));
      expect(await replicate(h, peer, rows)).toBe(3);
      expect((await replicaRows(h)).get('vg-2')).toEqual({ segment: SEGMENTS[9 % 3], version: 9 });
    });

    it('ends with version 10 after parallel deliveries of versions 1..10 in random order', async () => {
      const h = harness();
      for (const seed of [1, 2, 3]) {
        // Three customers, ten versions each, each version on a segment of its own pattern: 30 concurrent deliveries.
        const customers = [0, 1, 2].map((c) => `vg-par-${seed}-${c}`);
        const deliveries = customers.flatMap((customerId, c) =>
          Array.from({ length: 10 }, (_, i) => ({ customerId, segment: SEGMENTS[(i + c) % 3]!, version: i + 1 })),
        );
        await Promise.all(shuffled(deliveries, seed).map((row) => replicate(h, peer, [row])));
        const stored = await replicaRows(h);
        customers.forEach((customerId, c) =>
          expect({ customerId, ...stored.get(customerId) }).toEqual({ customerId, segment: SEGMENTS[(9 + c) % 3], version: 10 }),
        );
      }
    });

    it('refuses a version below 1 and an empty customer id, writing nothing', async () => {
      const h = harness();
      const field = replicationMutation(peer);
      const result = await h.executeAs(SERVICE, `mutation { ${field}(rows: [{ customerId: "vg-bad", segment: A, version: 0 }]) }`);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'rows[0].version' });
      const empty = await h.executeAs(SERVICE, `mutation { ${field}(rows: [{ customerId: "", segment: A, version: 1 }]) }`);
      expect(empty.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'rows[0].customerId' });
      expect((await replicaRows(h)).has('vg-bad')).toBe(false);
    });

    it('takes deliveries from a service principal only: an admin is FORBIDDEN and nothing is written', async () => {
      const h = harness();
      const field = replicationMutation(peer);
      const result = await h.execute(`mutation { ${field}(rows: [{ customerId: "vg-admin", segment: B, version: 1 }]) }`);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
      expect((await replicaRows(h)).has('vg-admin')).toBe(false);
      // The refusal is in the trail, with who was refused.
      const rows: { actor: string; outcome: string }[] = await h.dataSource.query(
        "SELECT actor, outcome FROM audit_events WHERE action = 'DENIED' AND entity_type = ?",
        [`Mutation.${field}`],
      );
      expect(rows).toEqual([{ actor: 'test-admin', outcome: 'FORBIDDEN' }]);
    });
  });
}

/** Representations of the three segments, as the gateway sends them. */
export const SEGMENT_REPRESENTATIONS = SEGMENTS.map((segment) => ({ __typename: 'SegmentReport', segment }));
