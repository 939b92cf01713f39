import { billingHarness } from '../../test/support/billing';
import { databaseOf } from '../../test/support/database';
import { SEGMENT_REPRESENTATIONS, replicate, replicaRows, versionGuardTests } from '../../test/support/segment-replica';

type Billing = Awaited<ReturnType<typeof billingHarness>>;

let t: Billing;
const TODAY = '2026-11-22';
const REPORT = `query($r: [_Any!]!) { _entities(representations: $r) { ... on SegmentReport { segment openBalance { amount currency } overdueBalance { amount } } } }`;
const CUSTOMER_BALANCES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id openBalance { amount } overdueBalance { amount } } } }`;

const cents = (amount: string) => Math.round(Number(amount) * 100);
const amount = (minor: number) => (minor / 100).toFixed(2);

/** The report recomputed in the test from the raw rows: OPEN_SQL's definition, summed per replica segment. */
async function expectedFromRawRows() {
  const invoices: { customer_id: string; status: string; total_minor: unknown; paid_minor: unknown; due_date: string }[] = await t.h.dataSource.query(
    'SELECT customer_id, status, total_minor, paid_minor, due_date FROM invoices',
  );
  const segments = await replicaRows(t.h);
  const sums = new Map(['A', 'B', 'C'].map((s) => [s, { open: 0, overdue: 0 }]));
  for (const i of invoices) {
    const segment = segments.get(i.customer_id)?.segment;
    if (!segment) continue;
    const open = ['CANCELLED', 'WRITTEN_OFF'].includes(i.status) ? 0 : Number(i.total_minor) - Number(i.paid_minor);
    sums.get(segment)!.open += open;
    if (open > 0 && String(i.due_date) < TODAY) sums.get(segment)!.overdue += open;
  }
  return ['A', 'B', 'C'].map((segment) => ({
    segment,
    openBalance: { amount: amount(sums.get(segment)!.open), currency: 'EUR' },
    overdueBalance: { amount: amount(sums.get(segment)!.overdue) },
  }));
}

async function report() {
  return (await t.ok(REPORT, { r: SEGMENT_REPRESENTATIONS }))._entities;
}

describe.each(['MariaDB', 'SQLite'])('on %s', (database) => {
  beforeAll(async () => {
    t = await billingHarness(`${TODAY}T10:00:00.000Z`, { database: databaseOf(database === 'MariaDB' ? 'mariadb' : 'sqlite', 'billing') });
    for (const id of ['a1', 'a2', 'b1', 'c1', 'unknown']) t.directory.add(id, 'PERSON');
    await t.invoice('a1', '2026-10-01', '2026-10-15', '100.00'); // overdue
    const partly = await t.invoice('a1', '2026-11-01', '2026-11-10', '80.00'); // overdue, 30.00 paid
    await t.pay(partly.id, '30.00', 'a1-partly', '2026-11-05T09:00:00Z');
    await t.invoice('a2', '2026-11-20', '2026-12-20', '50.00'); // not yet due
    const paid = await t.invoice('a2', '2026-09-01', '2026-09-15', '40.00');
    await t.pay(paid.id, '40.00', 'a2-paid', '2026-09-10T09:00:00Z');
    await t.invoice('b1', '2026-11-01', '2026-11-22', '70.00'); // due today: open, not overdue
    const cancelled = await t.invoice('b1', '2026-08-01', '2026-08-15', '900.00');
    const writtenOff = await t.invoice('c1', '2026-01-01', '2026-01-15', '600.00');
    await t.invoice('c1', '2026-06-01', '2026-06-15', '25.00');
    await t.invoice('unknown', '2026-06-01', '2026-06-15', '999.00'); // a customer the replica does not know (yet)
    // Statuses no mutation of this test reaches; set directly so that the report's CANCELLED/WRITTEN_OFF rule is exercised.
    await t.h.dataSource.transaction(async (m) => {
      await m.query("UPDATE invoices SET status = 'CANCELLED' WHERE id = ?", [cancelled.id]);
      await m.query("UPDATE invoices SET status = 'WRITTEN_OFF' WHERE id = ?", [writtenOff.id]);
    });
    await replicate(t.h, 'billing', [
      { customerId: 'a1', segment: 'A', version: 1 },
      { customerId: 'a2', segment: 'A', version: 1 },
      { customerId: 'b1', segment: 'B', version: 1 },
      { customerId: 'c1', segment: 'C', version: 1 },
    ]);
  });
  afterAll(async () => {
    await t?.h.close();
  });

  versionGuardTests('billing', () => t.h);

  describe('SegmentReport.openBalance and overdueBalance', () => {
    it('sums the invoices of each segment of the replica, as recomputed from the raw rows', async () => {
      const expected = await expectedFromRawRows();
      expect(await report()).toEqual(expected);
      // And by hand, so that the test's own arithmetic is checked too.
      expect(expected.map((r) => [r.openBalance.amount, r.overdueBalance.amount])).toEqual([
        ['200.00', '150.00'],
        ['70.00', '0.00'],
        ['25.00', '25.00'],
      ]);
    });

    it("equals the sum of Customer.openBalance and overdueBalance over the segment's customers", async () => {
      const segments = await replicaRows(t.h);
      const customers = (await t.ok(CUSTOMER_BALANCES, { r: [...segments.keys()].map((id) => ({ __typename: 'Customer', id })) }))._entities;
      for (const row of await report()) {
        const members = customers.filter((c: { id: string }) => segments.get(c.id)?.segment === row.segment);
        expect(cents(row.openBalance.amount)).toBe(members.reduce((s: number, c: { openBalance: { amount: string } }) => s + cents(c.openBalance.amount), 0));
        expect(cents(row.overdueBalance.amount)).toBe(
          members.reduce((s: number, c: { overdueBalance: { amount: string } }) => s + cents(c.overdueBalance.amount), 0),
        );
      }
    });

    it("moves a customer's money with a newer segment version, and not with an older one", async () => {
      await replicate(t.h, 'billing', [{ customerId: 'a1', segment: 'C', version: 2 }]);
      const moved = await report();
      expect(moved).toEqual(await expectedFromRawRows());
      expect(moved.map((r: { openBalance: { amount: string } }) => r.openBalance.amount)).toEqual(['50.00', '70.00', '175.00']);
      await replicate(t.h, 'billing', [{ customerId: 'a1', segment: 'A', version: 1 }]);
      expect(await report()).toEqual(moved);
      await replicate(t.h, 'billing', [{ customerId: 'a1', segment: 'A', version: 3 }]);
    });

    it('costs one SQL statement for all three segments, however many customers the replica holds', async () => {
      t.h.queries.reset();
      await report();
      expect(t.h.queries.count).toBe(1);
      // The totals kept ahead, never the invoices themselves.
      expect(t.h.queries.statements[0]).toMatch(/FROM segment_balances/);
      expect(t.h.queries.statements[0]).not.toMatch(/invoices/);
      const many = Array.from({ length: 600 }, (_, i) => ({ customerId: `bulk-${i}`, segment: ['A', 'B', 'C'][i % 3]!, version: 1 }));
      await replicate(t.h, 'billing', many.slice(0, 300));
      await replicate(t.h, 'billing', many.slice(300));
      for (const id of ['bulk-1', 'bulk-2', 'bulk-3']) t.directory.add(id, 'ORGANIZATION');
      await t.invoice('bulk-1', '2026-10-01', '2026-10-31', '10.00');
      t.h.queries.reset();
      const after = await report();
      expect(t.h.queries.count).toBe(1);
      expect(after).toEqual(await expectedFromRawRows());
    });
  });
});
