import { compactAll, compactOnce } from '../platform/rollup';
import { billingHarness } from '../../test/support/billing';
import { DATABASE_KINDS, databaseOf } from '../../test/support/database';
import { SEGMENT_REPRESENTATIONS, replicate, shuffled } from '../../test/support/segment-replica';
import { SEGMENT_BALANCES } from './segment-report.repository';

type Billing = Awaited<ReturnType<typeof billingHarness>>;

const TODAY = '2026-11-22';
const REPORT = `query($r: [_Any!]!) { _entities(representations: $r) { ... on SegmentReport { segment openBalance { amount } overdueBalance { amount } } } }`;
const CUSTOMERS = Array.from({ length: 20 }, (_, i) => `rc-${String(i).padStart(2, '0')}`);
const SEGMENTS = ['A', 'B', 'C'] as const;
const amount = (minor: number) => (minor / 100).toFixed(2);

/** Per (segment, due date), from the raw invoices joined to the replica: independent of the triggers' column and journal. */
async function rawGroups(t: Billing): Promise<Map<string, { open: number; positive: number }>> {
  const rows: { segment: string; due_date: unknown; status: string; total_minor: unknown; paid_minor: unknown }[] = await t.h.dataSource.query(
    'SELECT s.segment, i.due_date, i.status, i.total_minor, i.paid_minor FROM invoices i JOIN customer_segments s ON s.customer_id = i.customer_id',
  );
  const groups = new Map<string, { open: number; positive: number }>();
  for (const r of rows) {
    const open = ['CANCELLED', 'WRITTEN_OFF'].includes(r.status) ? 0 : Number(r.total_minor) - Number(r.paid_minor);
    if (open === 0) continue;
    const key = `${r.segment}|${String(r.due_date).slice(0, 10)}`;
    const g = groups.get(key) ?? { open: 0, positive: 0 };
    groups.set(key, { open: g.open + open, positive: g.positive + Math.max(open, 0) });
  }
  return groups;
}

async function expectedReport(t: Billing) {
  const sums = new Map(SEGMENTS.map((s) => [s as string, { open: 0, overdue: 0 }]));
  for (const [key, g] of await rawGroups(t)) {
    const [segment, due] = key.split('|') as [string, string];
    sums.get(segment)!.open += g.open;
    if (due < TODAY) sums.get(segment)!.overdue += g.positive;
  }
  return SEGMENTS.map((segment) => ({
    segment,
    openBalance: { amount: amount(sums.get(segment)!.open) },
    overdueBalance: { amount: amount(sums.get(segment)!.overdue) },
  }));
}

/** The folded totals, without the rows that net to zero. */
async function storedTotals(t: Billing): Promise<Map<string, { open: number; positive: number }>> {
  const rows: { segment: string; due_date: unknown; open_minor: unknown; positive_open_minor: unknown }[] = await t.h.dataSource.query(
    'SELECT segment, due_date, open_minor, positive_open_minor FROM segment_balances',
  );
  return new Map(
    rows
      .filter((r) => Number(r.open_minor) !== 0 || Number(r.positive_open_minor) !== 0)
      .map((r) => [`${r.segment}|${String(r.due_date).slice(0, 10)}`, { open: Number(r.open_minor), positive: Number(r.positive_open_minor) }]),
  );
}

async function journalLength(t: Billing): Promise<number> {
  const [row]: { n: unknown }[] = await t.h.dataSource.query('SELECT COUNT(*) AS n FROM segment_balance_changes');
  return Number(row!.n);
}

const report = async (t: Billing) => (await t.ok(REPORT, { r: SEGMENT_REPRESENTATIONS }))._entities;

describe.each(DATABASE_KINDS)('segment balances kept ahead, on %s', (kind) => {
  let t: Billing;
  beforeAll(async () => {
    t = await billingHarness(`${TODAY}T10:00:00.000Z`, { database: databaseOf(kind, 'billing') });
    for (const id of CUSTOMERS) t.directory.add(id, 'PERSON');
  });
  afterAll(async () => {
    await t?.h.close();
  });

  it('journals every write and folding the journal changes no figure', async () => {
    await replicate(
      t.h,
      'billing',
      CUSTOMERS.slice(0, 10).map((customerId, i) => ({ customerId, segment: SEGMENTS[i % 3]!, version: 1 })),
    );
    // Invoices of customers the replica knows, and of some it does not know yet.
    for (const [i, id] of CUSTOMERS.entries()) await t.invoice(id, '2026-10-01', i % 2 ? '2026-10-20' : '2026-12-10', `${100 + i}.00`);
    const before = await report(t);
    expect(before).toEqual(await expectedReport(t));
    expect(await journalLength(t)).toBeGreaterThan(0);
    await compactAll(t.h.dataSource, [SEGMENT_BALANCES]);
    expect(await journalLength(t)).toBe(0);
    expect(await report(t)).toEqual(before);
    expect(await storedTotals(t)).toEqual(await rawGroups(t));
    // The customers that arrive in the replica later bring their invoices with them.
    await replicate(
      t.h,
      'billing',
      CUSTOMERS.slice(10).map((customerId, i) => ({ customerId, segment: SEGMENTS[i % 3]!, version: 1 })),
    );
    expect(await report(t)).toEqual(await expectedReport(t));
    expect(await report(t)).not.toEqual(before);
  });

  it('stays exact while payments, new invoices, segment moves and compactions race', async () => {
    const invoices: { id: string; customerId: string }[] = await t.h.dataSource.query('SELECT id, customer_id AS customerId FROM invoices');
    const payments = invoices.map((invoice, i) => () => t.pay(invoice.id, '7.00', `race-pay-${i}`));
    const creates = CUSTOMERS.slice(0, 10).map((id, i) => () => t.invoice(id, '2026-09-01', '2026-09-30', `${20 + i}.00`));
    // Two rounds of moves per customer, delivered in batches of mixed size and order, as the outbox does.
    const moves = [2, 3].flatMap((version) => CUSTOMERS.map((customerId, i) => ({ customerId, segment: SEGMENTS[(i + version) % 3]!, version })));
    const batches = [moves.slice(0, 7), moves.slice(7, 13), moves.slice(13, 25), moves.slice(25)].map(
      (rows, k) => () => replicate(t.h, 'billing', shuffled(rows, k)),
    );
    const compactions = Array.from({ length: 6 }, () => () => compactOnce(t.h.dataSource, SEGMENT_BALANCES, 5));
    const work = shuffled([...payments, ...creates, ...batches, ...compactions], 11);
    const results = await Promise.allSettled(work.map((run) => run()));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);

    // Every write landed: each payment once, each new invoice once.
    const [paid]: { n: unknown }[] = await t.h.dataSource.query("SELECT COUNT(*) AS n FROM payments WHERE idempotency_key LIKE 'race-pay-%'");
    expect(Number(paid!.n)).toBe(invoices.length);
    const [count]: { n: unknown }[] = await t.h.dataSource.query('SELECT COUNT(*) AS n FROM invoices');
    expect(Number(count!.n)).toBe(invoices.length + creates.length);
    // And each write its one audit row, no more (a rerun after a deadlock rolled its row back with it).
    const [audited]: { n: unknown }[] = await t.h.dataSource.query(
      "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'recordPayment' AND entity_type = 'Payment'",
    );
    expect(Number(audited!.n)).toBe(invoices.length);
    // The report, the invoices' own segment column and the folded totals all agree with the raw rows.
    expect(await report(t)).toEqual(await expectedReport(t));
    const stale: unknown[] = await t.h.dataSource.query(
      'SELECT i.id FROM invoices i JOIN customer_segments s ON s.customer_id = i.customer_id WHERE NOT (i.segment = s.segment)',
    );
    expect(stale).toEqual([]);
    await compactAll(t.h.dataSource, [SEGMENT_BALANCES]);
    expect(await storedTotals(t)).toEqual(await rawGroups(t));
  });
});
