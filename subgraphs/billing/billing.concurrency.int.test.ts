import { billingHarness, CREATE_INVOICE, PAY } from '../../test/support/billing';
import { DATABASE_KINDS, databaseOf } from '../../test/support/database';
import { serviceUnavailable } from '../platform';
import type { DisputeSource } from './dispute-source';
import { DunningRepository } from './dunning.repository';

const RUN = `mutation($asOf: Date!) { runDunning(asOf: $asOf) { asOf noticesIssued handedToCollection skippedDisputed skippedBlocked } }`;

/** Claims as a test can script it: a hook runs while the dunning run waits for the answer, or claims is down. */
class ScriptedDisputes implements DisputeSource {
  duringCall: (() => Promise<void>) | undefined;
  down = false;
  calls = 0;
  async disputed(): Promise<Set<string>> {
    this.calls++;
    if (this.down) throw serviceUnavailable('claims', 'UNAVAILABLE', true);
    const hook = this.duringCall;
    this.duringCall = undefined;
    await hook?.();
    return new Set();
  }
}

const count = async (t: Awaited<ReturnType<typeof billingHarness>>, sql: string, params: unknown[] = []) =>
  Number((await t.h.dataSource.query(sql, params))[0].n);

// Every race runs on the production database and on the embedded SQLite default.
describe.each(DATABASE_KINDS)('billing under concurrency on %s', (kind) => {
  let t: Awaited<ReturnType<typeof billingHarness>>;
  const disputes = new ScriptedDisputes();
  beforeAll(async () => {
    t = await billingHarness('2026-11-22T10:00:00.000Z', { database: databaseOf(kind, 'billing'), policy: { runBatchSize: 3 }, disputes });
    for (const id of ['c1', 'c2', 'c3', 'c4', 'c5']) t.directory.add(id, 'PERSON');
  });
  afterAll(async () => {
    await t?.h.close();
  });

  it('books 20 concurrent invoices, several for one new customer, with distinct numbers', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.h.execute(CREATE_INVOICE, { input: { customerId: i < 10 ? 'c1' : 'c2', issueDate: '2026-11-01', dueDate: '2026-11-30', total: '10.00' } }),
      ),
    );
    expect(results.filter((r) => r.errors)).toEqual([]);
    expect(new Set(results.map((r) => r.data!.createInvoice.invoiceNumber)).size).toBe(20);
    expect(await count(t, "SELECT COUNT(DISTINCT invoice_number) AS n FROM invoices WHERE customer_id IN ('c1', 'c2')")).toBe(20);
    expect(await count(t, "SELECT COUNT(*) AS n FROM billing_accounts WHERE customer_id IN ('c1', 'c2')")).toBe(2);
  });

  it('books six concurrent payments on one invoice exactly, and one key only once', async () => {
    const invoice = (await t.invoice('c3', '2026-11-01', '2026-11-30', '600.00')).id;
    const pay = (key: string) => t.h.execute(PAY, { input: { invoiceId: invoice, amount: '100.00', method: 'BANK_TRANSFER', idempotencyKey: key } });
    const distinct = await Promise.all(Array.from({ length: 6 }, (_, i) => pay(`k-${kind}-${i}`)));
    expect(distinct.filter((r) => r.errors)).toEqual([]);
    const [row] = await t.h.dataSource.query('SELECT paid_minor, status FROM invoices WHERE id = ?', [invoice]);
    expect([Number(row.paid_minor), row.status]).toEqual([60000, 'PAID']);
    expect(await count(t, 'SELECT COUNT(*) AS n FROM payments WHERE invoice_id = ?', [invoice])).toBe(6);

    const other = (await t.invoice('c3', '2026-11-01', '2026-11-30', '600.00')).id;
    const same = await Promise.all(
      Array.from({ length: 6 }, () =>
        t.h.execute(PAY, { input: { invoiceId: other, amount: '100.00', method: 'BANK_TRANSFER', idempotencyKey: `once-${kind}` } }),
      ),
    );
    expect(same.filter((r) => r.errors)).toEqual([]);
    expect(new Set(same.map((r) => r.data!.recordPayment.id)).size).toBe(1);
    expect(await count(t, 'SELECT COUNT(*) AS n FROM payments WHERE invoice_id = ?', [other])).toBe(1);
  });

  it('refuses a dunning run dated after today and records nothing', async () => {
    const result = await t.h.execute(RUN, { asOf: '2030-01-01' });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'asOf' });
    expect(await count(t, 'SELECT COUNT(*) AS n FROM dunning_runs')).toBe(0);
  });

  it('sends no notice to an invoice paid in full while the run is under way', async () => {
    const overdue: string[] = [];
    for (let i = 0; i < 8; i++) overdue.push((await t.invoice('c4', '2026-09-01', '2026-10-01', '80.00')).id);
    const paidDuringRun = overdue.slice(0, 4);
    disputes.duringCall = async () => {
      // Claims is slow to answer; meanwhile agents book payments in full.
      await Promise.all(paidDuringRun.map((id, i) => t.pay(id, '80.00', `during-${kind}-${i}`)));
    };
    const run = (await t.ok(RUN, { asOf: '2026-10-20' })).runDunning;
    const noticed: { invoice_id: string }[] = await t.h.dataSource.query("SELECT invoice_id FROM dunning_notices WHERE issued_on = '2026-10-20'");
    expect(noticed.map((n) => n.invoice_id).sort()).toEqual(overdue.slice(4).sort());
    expect(run.noticesIssued).toBe(4);
    expect(disputes.calls).toBeGreaterThan(1); // 8 invoices in batches of 3
    const paid: { dunning_level: unknown; status: string }[] = await t.h.dataSource.query(
      `SELECT dunning_level, status FROM invoices WHERE id IN (${paidDuringRun.map(() => '?').join(', ')})`,
      paidDuringRun,
    );
    expect(paid.map((p) => [Number(p.dunning_level), p.status])).toEqual(paidDuringRun.map(() => [0, 'PAID']));
  });

  it('runs a date once when two runs for it arrive together, and both answer what it did', async () => {
    const [a, b] = await Promise.all([t.ok(RUN, { asOf: '2026-10-30' }), t.ok(RUN, { asOf: '2026-10-30' })]);
    expect(a.runDunning).toEqual(b.runDunning);
    const notices = await count(t, "SELECT COUNT(*) AS n FROM dunning_notices WHERE issued_on = '2026-10-30'");
    expect(a.runDunning.noticesIssued).toBe(notices);
    // c1/c2/c3 invoices are not yet due at 2026-10-30; c4's four unpaid ones are at level 1, not yet due for level 2.
    expect(await count(t, "SELECT COUNT(*) AS n FROM dunning_runs WHERE as_of = '2026-10-30' AND status = 'DONE'")).toBe(1);
  });

  it('fails truthfully when claims is down, and the next call for the date finishes the run, each invoice stepped once', async () => {
    for (let i = 0; i < 5; i++) await t.invoice('c5', '2026-09-01', '2026-10-01', '50.00');
    disputes.down = true;
    const failed = await t.h.execute(RUN, { asOf: '2026-11-05' });
    expect(failed.data).toBeNull();
    expect(failed.errors?.[0]?.extensions).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', serviceName: 'claims', retryable: true });
    expect(await count(t, "SELECT COUNT(*) AS n FROM dunning_runs WHERE as_of = '2026-11-05' AND status = 'FAILED'")).toBe(1);
    disputes.down = false;
    const run = (await t.ok(RUN, { asOf: '2026-11-05' })).runDunning;
    const notices = await count(t, "SELECT COUNT(*) AS n FROM dunning_notices WHERE issued_on = '2026-11-05'");
    // c5's five invoices get their reminder (35 days); c4's four unpaid ones their level 2 (35 days ≥ 21).
    expect(notices).toBe(9);
    expect(run.noticesIssued).toBe(9);
    expect(
      await count(
        t,
        "SELECT COUNT(*) AS n FROM (SELECT invoice_id FROM dunning_notices WHERE issued_on = '2026-11-05' GROUP BY invoice_id HAVING COUNT(*) > 1) d",
      ),
    ).toBe(0);
  });

  it('counts a written-off invoice only with what was paid on it, in lifetime revenue and value', async () => {
    t.directory.add('w', 'ORGANIZATION');
    await t.invoice('w', '2026-01-10', '2026-02-10', '100.00');
    const written = (await t.invoice('w', '2026-02-10', '2026-03-10', '200.00')).id;
    await t.pay(written, '50.00', `w-${kind}`, '2026-03-01T10:00:00Z');
    await t.h.dataSource.transaction((m) => m.query("UPDATE invoices SET status = 'WRITTEN_OFF' WHERE id = ?", [written]));
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { lifetimeRevenue { amount } lifetimeValue { amount } openBalance { amount } } } }`;
    const [figures] = (await t.ok(query, { r: [{ __typename: 'Customer', id: 'w', segment: 'C', customerSince: '2026-01-01' }] }))._entities;
    // 100.00 + 50.00 earned; tenure counts as one year, segment C one more: CLV 150.00 + 150.00.
    expect(figures).toEqual({ lifetimeRevenue: { amount: '150.00' }, lifetimeValue: { amount: '300.00' }, openBalance: { amount: '100.00' } });
  });

  it('hands an invoice to collection once when two batches race for it, with exactly one handover row', async () => {
    t.directory.add('hc', 'PERSON');
    const invoice = (await t.invoice('hc', '2026-08-01', '2026-08-15', '90.00')).id;
    const row = { invoiceId: invoice, fromLevel: 0, seenPaidMinor: 0, handedOverOn: '2026-11-20' };
    const handed = await Promise.all(Array.from({ length: 4 }, () => t.h.dataSource.transaction((manager) => new DunningRepository(manager).handOver([row]))));
    expect(handed.sort()).toEqual([0, 0, 0, 1]);
    expect(await count(t, 'SELECT COUNT(*) AS n FROM collection_handovers WHERE invoice_id = ?', [invoice])).toBe(1);
    expect(await count(t, "SELECT COUNT(*) AS n FROM invoices WHERE id = ? AND status = 'IN_COLLECTION'", [invoice])).toBe(1);
  });
});
