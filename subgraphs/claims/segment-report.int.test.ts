import { claimsHarness } from '../../test/support/claims';
import { databaseOf } from '../../test/support/database';
import { SEGMENT_REPRESENTATIONS, replicate, replicaRows, versionGuardTests } from '../../test/support/segment-replica';
import { OPEN_COMPLAINT_STATUSES } from './claims.policy';

type Claims = Awaited<ReturnType<typeof claimsHarness>>;

let t: Claims;
const REPORT = `query($r: [_Any!]!) { _entities(representations: $r) { ... on SegmentReport { segment openComplaintCount } } }`;
const FILE = `mutation($input: FileComplaintInput!) { fileComplaint(input: $input) { id } }`;

const file = async (customerId: string) =>
  (await t.ok(FILE, { input: { customerId, channel: 'EMAIL', category: 'Billing error', priority: 'MEDIUM', description: 'Wrong amount' } })).fileComplaint
    .id as string;

/** The report recomputed in the test from the raw rows. */
async function expectedFromRawRows() {
  const complaints: { customer_id: string; status: string }[] = await t.h.dataSource.query('SELECT customer_id, status FROM complaints');
  const segments = await replicaRows(t.h);
  return ['A', 'B', 'C'].map((segment) => ({
    segment,
    openComplaintCount: complaints.filter((c) => segments.get(c.customer_id)?.segment === segment && OPEN_COMPLAINT_STATUSES.includes(c.status)).length,
  }));
}

async function report() {
  return (await t.ok(REPORT, { r: SEGMENT_REPRESENTATIONS }))._entities;
}

describe.each(['MariaDB', 'SQLite'])('on %s', (database) => {
  beforeAll(async () => {
    t = await claimsHarness('2026-11-22T10:00:00.000Z', databaseOf(database === 'MariaDB' ? 'mariadb' : 'sqlite', 'claims'));
    for (const id of ['a1', 'a2', 'b1', 'unknown']) t.directory.add(id, 'PERSON');
    await file('a1'); // OPEN
    const responded = await file('a1');
    await t.ok(`mutation($id: ID!) { respondToComplaint(id: $id, message: "On it") { id } }`, { id: responded }); // IN_PROGRESS
    const escalated = await file('a2');
    await t.ok(`mutation($id: ID!) { escalateComplaint(id: $id, reason: "Expert") { id } }`, { id: escalated }); // ESCALATED
    const resolved = await file('b1');
    await t.ok(`mutation($id: ID!) { resolveComplaint(id: $id, resolution: "Refunded") { id } }`, { id: resolved }); // RESOLVED: not open
    await file('b1');
    await file('unknown'); // a customer the replica does not know (yet)
    await replicate(t.h, 'claims', [
      { customerId: 'a1', segment: 'A', version: 1 },
      { customerId: 'a2', segment: 'A', version: 1 },
      { customerId: 'b1', segment: 'B', version: 1 },
    ]);
  });
  afterAll(async () => {
    await t?.h.close();
  });

  versionGuardTests('claims', () => t.h);

  describe('SegmentReport.openComplaintCount', () => {
    it('counts the open complaints of each segment of the replica, as recomputed from the raw rows', async () => {
      const expected = await expectedFromRawRows();
      expect(await report()).toEqual(expected);
      expect(expected.map((r) => r.openComplaintCount)).toEqual([3, 1, 0]);
    });

    it("equals the sum of Customer.openComplaintCount over the segment's customers", async () => {
      const segments = await replicaRows(t.h);
      const customers: { id: string; openComplaintCount: number }[] = (
        await t.ok(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id openComplaintCount } } }`, {
          r: [...segments.keys()].map((id) => ({ __typename: 'Customer', id })),
        })
      )._entities;
      for (const row of await report()) {
        const members = customers.filter((c) => segments.get(c.id)?.segment === row.segment);
        expect(row.openComplaintCount).toBe(members.reduce((s, c) => s + c.openComplaintCount, 0));
      }
    });

    it('moves the complaints with a newer segment version', async () => {
      await replicate(t.h, 'claims', [{ customerId: 'a2', segment: 'C', version: 2 }]);
      const moved = await report();
      expect(moved).toEqual(await expectedFromRawRows());
      expect(moved.map((r: { openComplaintCount: number }) => r.openComplaintCount)).toEqual([2, 1, 1]);
    });

    it('costs one SQL statement for all three segments, however many customers the replica holds', async () => {
      t.h.queries.reset();
      await report();
      expect(t.h.queries.count).toBe(1);
      await replicate(
        t.h,
        'claims',
        Array.from({ length: 900 }, (_, i) => ({ customerId: `bulk-${i}`, segment: ['A', 'B', 'C'][i % 3]!, version: 1 })),
      );
      t.directory.add('bulk-4', 'ORGANIZATION');
      await file('bulk-4');
      t.h.queries.reset();
      const after = await report();
      expect(t.h.queries.count).toBe(1);
      expect(after).toEqual(await expectedFromRawRows());
    });
  });
});
