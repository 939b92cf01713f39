import { billingHarness, CREATE_INVOICE, PAY } from '../../test/support/billing';

let t: Awaited<ReturnType<typeof billingHarness>>;

beforeAll(async () => {
  t = await billingHarness();
  t.directory.add('p1', 'PERSON').add('o1', 'ORGANIZATION');
});
afterAll(async () => {
  await t?.h.close();
});

const INVOICE = `query($id: ID!) { invoice(id: $id) { status openAmount { amount } daysOverdue payments { amount { amount } } } }`;

describe('createInvoice', () => {
  it('opens an invoice with a number, an exact total and nothing overdue yet', async () => {
    const inv = await t.invoice('p1', '2026-11-01', '2026-11-30', '1234.5');
    expect(inv).toMatchObject({
      status: 'OPEN',
      total: { amount: '1234.50', currency: 'EUR' },
      openAmount: { amount: '1234.50' },
      daysOverdue: 0,
      dunningLevel: 0,
    });
    expect(inv.invoiceNumber).toMatch(/^INV-\d{7}$/);
  });

  it.each([
    ['total', { total: '0' }, 'BAD_USER_INPUT'],
    ['total', { total: '10.001' }, 'BAD_USER_INPUT'],
    ['dueDate', { dueDate: '2026-10-31' }, 'BAD_USER_INPUT'],
    ['currency', { currency: 'USD' }, 'BAD_USER_INPUT'],
    [undefined, { customerId: 'ghost' }, 'NOT_FOUND'],
  ])('refuses a bad %s', async (field, change, code) => {
    const input = { customerId: 'p1', issueDate: '2026-11-01', dueDate: '2026-11-30', total: '10.00', ...change };
    const result = await t.h.execute(CREATE_INVOICE, { input });
    expect(result.errors?.[0]?.extensions?.code).toBe(code);
    if (field) expect(result.errors?.[0]?.extensions?.field).toBe(field);
  });
});

describe('recordPayment', () => {
  it('moves an invoice OPEN → PARTIALLY_PAID → PAID', async () => {
    const inv = await t.invoice('p1', '2026-10-01', '2026-10-15', '100.00');
    expect((await t.ok(INVOICE, { id: inv.id })).invoice).toMatchObject({ status: 'OPEN', daysOverdue: 38 });
    await t.pay(inv.id, '30.10', 'part-1', '2026-11-02T09:00:00Z');
    expect((await t.ok(INVOICE, { id: inv.id })).invoice).toMatchObject({ status: 'PARTIALLY_PAID', openAmount: { amount: '69.90' }, daysOverdue: 38 });
    await t.pay(inv.id, '69.90', 'part-2', '2026-11-03T09:00:00Z');
    expect((await t.ok(INVOICE, { id: inv.id })).invoice).toEqual({
      status: 'PAID',
      openAmount: { amount: '0.00' },
      daysOverdue: 0,
      payments: [{ amount: { amount: '30.10' } }, { amount: { amount: '69.90' } }],
    });
  });

  it('refuses an overpayment, a payment in the future, and a missing invoice', async () => {
    const inv = await t.invoice('o1', '2026-11-01', '2026-12-01', '50.00');
    const over = await t.h.execute(PAY, { input: { invoiceId: inv.id, amount: '50.01', method: 'BANK_TRANSFER', idempotencyKey: 'over' } });
    expect(over.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'amount' });
    const future = await t.h.execute(PAY, {
      input: { invoiceId: inv.id, amount: '1.00', method: 'BANK_TRANSFER', idempotencyKey: 'future', receivedAt: '2026-11-22T10:00:01Z' },
    });
    expect(future.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'receivedAt' });
    const missing = await t.h.execute(PAY, { input: { invoiceId: 'nope', amount: '1.00', method: 'BANK_TRANSFER', idempotencyKey: 'missing' } });
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const [{ n }] = await t.h.dataSource.query("SELECT COUNT(*) AS n FROM payments WHERE idempotency_key IN ('over', 'future', 'missing')");
    expect(Number(n)).toBe(0);
  });
});

describe('idempotency', () => {
  it('returns the first payment for a retry and books nothing again', async () => {
    const inv = await t.invoice('p1', '2026-11-01', '2026-11-30', '80.00');
    const first = await t.pay(inv.id, '20.00', 'retry-1');
    const again = await t.pay(inv.id, '20.00', 'retry-1');
    expect(again).toEqual(first);
    expect((await t.ok(INVOICE, { id: inv.id })).invoice.openAmount.amount).toBe('60.00');
  });

  it('answers IDEMPOTENCY_CONFLICT for the same key with another amount or invoice', async () => {
    const a = await t.invoice('p1', '2026-11-01', '2026-11-30', '80.00');
    const b = await t.invoice('p1', '2026-11-01', '2026-11-30', '80.00');
    await t.pay(a.id, '10.00', 'conflict-1');
    for (const input of [
      { invoiceId: a.id, amount: '11.00' },
      { invoiceId: b.id, amount: '10.00' },
    ]) {
      const result = await t.h.execute(PAY, { input: { ...input, method: 'BANK_TRANSFER', idempotencyKey: 'conflict-1' } });
      expect(result.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_CONFLICT');
    }
    expect((await t.ok(INVOICE, { id: b.id })).invoice.openAmount.amount).toBe('80.00');
  });

  it('books once when concurrent calls share a key', async () => {
    const inv = await t.invoice('o1', '2026-11-01', '2026-11-30', '500.00');
    const results = await Promise.all(Array.from({ length: 8 }, () => t.pay(inv.id, '125.00', 'parallel-1')));
    expect(new Set(results.map((p) => p.id)).size).toBe(1);
    const [{ n }] = await t.h.dataSource.query("SELECT COUNT(*) AS n FROM payments WHERE idempotency_key = 'parallel-1'");
    expect(Number(n)).toBe(1);
    expect((await t.ok(INVOICE, { id: inv.id })).invoice.openAmount.amount).toBe('375.00');
  });

  it('never lets concurrent payments with different keys overpay', async () => {
    const inv = await t.invoice('o1', '2026-11-01', '2026-11-30', '100.00');
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        t.h.execute(PAY, { input: { invoiceId: inv.id, amount: '40.00', method: 'BANK_TRANSFER', idempotencyKey: `race-${i}` } }),
      ),
    );
    expect(results.filter((r) => !r.errors)).toHaveLength(2);
    expect(results.filter((r) => r.errors?.[0]?.extensions?.code === 'BAD_USER_INPUT')).toHaveLength(4);
    expect((await t.ok(INVOICE, { id: inv.id })).invoice).toMatchObject({ status: 'PARTIALLY_PAID', openAmount: { amount: '20.00' } });
  });
});
