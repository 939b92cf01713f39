import { billingHarness } from '../../test/support/billing';
import { idsInOrder, readAsRangeAndList } from '../../test/support/id-range';

let t: Awaited<ReturnType<typeof billingHarness>>;
const IBAN = 'DE89370400440532013000';
const CHANGE = `mutation($id: ID!, $input: PaymentMethodInput!) { changePaymentMethod(customerId: $id, input: $input) { type ibanMasked validFrom } }`;
const FIGURES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id
  openBalance { amount currency } overdueBalance { amount } dunningLevel dunningBlocked lifetimeRevenue { amount } lifetimeValue { amount }
  paymentMethod { type ibanMasked validFrom }
  invoices(first: 2) { totalCount nodes { invoiceNumber } } } } }`;
const RECEIVABLES = `query($asOf: Date) { receivables(asOf: $asOf) { asOf openTotal { amount currency } overdueTotal { amount }
  aging { label minDaysOverdue maxDaysOverdue invoiceCount amount { amount } }
  byDunningLevel { level invoiceCount amount { amount } } daysSalesOutstanding } }`;

const x = { __typename: 'Customer', id: 'x', segment: 'A', customerSince: '2024-11-22' };
const y = { __typename: 'Customer', id: 'y', segment: 'C', customerSince: '2026-06-01' };

beforeAll(async () => {
  t = await billingHarness();
  t.directory.add('x', 'PERSON').add('y', 'ORGANIZATION').add('z', 'PERSON');
  await t.invoice('x', '2026-11-01', '2026-11-30', '100.00'); // current
  const second = await t.invoice('x', '2026-10-27', '2026-11-10', '200.00'); // 12 days, 50.00 paid
  await t.pay(second.id, '50.00', 'x-2', '2026-11-12T09:00:00Z');
  await t.invoice('x', '2026-09-16', '2026-09-30', '300.00'); // 53 days
  const paid = await t.invoice('x', '2026-09-17', '2026-10-01', '600.00');
  await t.pay(paid.id, '600.00', 'x-4', '2026-10-01T09:00:00Z');
  await t.invoice('y', '2026-08-17', '2026-08-31', '400.00'); // 83 days
  await t.invoice('y', '2026-06-16', '2026-06-30', '500.00'); // 145 days
  await t.invoice('y', '2026-11-08', '2026-11-22', '10.00'); // due today: not overdue
});
afterAll(async () => {
  await t?.h.close();
});

describe('receivables', () => {
  const bucket = (label: string, min: number, max: number | null, count: number, amount: string) => ({
    label,
    minDaysOverdue: min,
    maxDaysOverdue: max,
    invoiceCount: count,
    amount: { amount },
  });

  it('ages the open invoices, sums them and computes DSO as of today', async () => {
    const report = (await t.ok(RECEIVABLES, {})).receivables;
    expect(report).toEqual({
      asOf: '2026-11-22',
      openTotal: { amount: '1460.00', currency: 'EUR' },
      overdueTotal: { amount: '1350.00' },
      aging: [
        bucket('current', 0, 0, 2, '110.00'),
        bucket('1-30', 1, 30, 1, '150.00'),
        bucket('31-60', 31, 60, 1, '300.00'),
        bucket('61-90', 61, 90, 1, '400.00'),
        bucket('90+', 91, null, 1, '500.00'),
      ],
      byDunningLevel: [0, 1, 2, 3].map((level) => ({ level, invoiceCount: level === 0 ? 6 : 0, amount: { amount: level === 0 ? '1460.00' : '0.00' } })),
      // 1460.00 / (100 + 200 + 300 + 600 + 10 invoiced since 2026-08-24) × 90
      daysSalesOutstanding: (1460 / 1210) * 90,
    });
  });

  it('partitions by dunning level after a run', async () => {
    expect((await t.ok(`mutation { runDunning(asOf: "2026-11-22") { noticesIssued } }`)).runDunning.noticesIssued).toBe(4);
    const report = (await t.ok(RECEIVABLES, { asOf: '2026-11-22' })).receivables;
    expect(report.byDunningLevel).toEqual([
      { level: 0, invoiceCount: 2, amount: { amount: '110.00' } },
      { level: 1, invoiceCount: 4, amount: { amount: '1350.00' } },
      { level: 2, invoiceCount: 0, amount: { amount: '0.00' } },
      { level: 3, invoiceCount: 0, amount: { amount: '0.00' } },
    ]);
  });

  it('looks back: payments, invoices and notices after asOf do not count', async () => {
    const report = (await t.ok(RECEIVABLES, { asOf: '2026-11-09' })).receivables;
    expect(report.openTotal.amount).toBe('1510.00');
    expect(report.overdueTotal.amount).toBe('1200.00');
    expect(report.byDunningLevel[0]).toEqual({ level: 0, invoiceCount: 6, amount: { amount: '1510.00' } });
  });
});

describe('Customer billing fields', () => {
  it('sums balances, revenue and CLV per customer', async () => {
    const [fx, fy, fz] = (await t.ok(FIGURES, { r: [x, y, { __typename: 'Customer', id: 'z', segment: 'B', customerSince: '2020-01-01' }] }))._entities;
    expect(fx).toMatchObject({
      openBalance: { amount: '550.00', currency: 'EUR' },
      overdueBalance: { amount: '450.00' },
      dunningLevel: 1,
      dunningBlocked: false,
      lifetimeRevenue: { amount: '1200.00' },
      // 1200.00 + 1200.00 / (730 days / 365) × 5 years (segment A)
      lifetimeValue: { amount: '4200.00' },
      invoices: { totalCount: 4, nodes: [{ invoiceNumber: expect.any(String) }, { invoiceNumber: expect.any(String) }] },
    });
    // y has been a customer for less than a year: its revenue counts as one year's; segment C has 1 year left.
    expect(fy).toMatchObject({
      openBalance: { amount: '910.00' },
      overdueBalance: { amount: '900.00' },
      lifetimeRevenue: { amount: '910.00' },
      lifetimeValue: { amount: '1820.00' },
    });
    expect(fz).toMatchObject({
      openBalance: { amount: '0.00' },
      dunningLevel: 0,
      lifetimeValue: { amount: '0.00' },
      paymentMethod: null,
      invoices: { totalCount: 0, nodes: [] },
    });
  });

  it("lists a customer's invoices newest first across pages", async () => {
    const query = `query($r: [_Any!]!, $after: String) { _entities(representations: $r) { ... on Customer { invoices(first: 3, after: $after) { nodes { issueDate } pageInfo { hasNextPage endCursor } } } } }`;
    const first = (await t.ok(query, { r: [x] }))._entities[0].invoices;
    const second = (await t.ok(query, { r: [x], after: first.pageInfo.endCursor }))._entities[0].invoices;
    expect([...first.nodes, ...second.nodes].map((n: { issueDate: string }) => n.issueDate)).toEqual(['2026-11-01', '2026-10-27', '2026-09-17', '2026-09-16']);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it('costs the same number of statements for 3 and for 300 customers', async () => {
    const counts: number[] = [];
    for (const n of [3, 300]) {
      const reps = Array.from({ length: n }, (_, i) => ({ ...(i % 2 ? x : y), id: i < 2 ? ['x', 'y'][i] : `c${i}` }));
      t.h.queries.reset();
      await t.ok(FIGURES, { r: reps });
      counts.push(t.h.queries.count);
    }
    // one GROUP BY for every sum, accounts, payment methods, invoice pages, invoice counts
    expect(counts).toEqual([5, 5]);
  });
});

describe('changePaymentMethod', () => {
  it('stores a direct debit and answers the IBAN masked only', async () => {
    const log = jest.spyOn(console, 'log');
    const error = jest.spyOn(console, 'error');
    const method = (await t.ok(CHANGE, { id: 'x', input: { type: 'SEPA_DIRECT_DEBIT', iban: 'de89 3704 0044 0532 0130 00' } })).changePaymentMethod;
    expect(method).toEqual({ type: 'SEPA_DIRECT_DEBIT', ibanMasked: 'DE****************3000', validFrom: '2026-11-22' });
    const fields = (await t.ok(FIGURES, { r: [x] }))._entities[0];
    expect(fields.paymentMethod).toEqual(method);
    const printed = [...log.mock.calls, ...error.mock.calls].flat().join(' ');
    expect(printed).not.toContain('0532013000');
    log.mockRestore();
    error.mockRestore();
  });

  it.each([
    ['SEPA without an IBAN', { type: 'SEPA_DIRECT_DEBIT' }],
    ['a wrong checksum', { type: 'SEPA_DIRECT_DEBIT', iban: 'DE89370400440532013001' }],
    ['a malformed IBAN', { type: 'BANK_TRANSFER', iban: 'DE89-XYZ' }],
    ['an IBAN on a credit card', { type: 'CREDIT_CARD', iban: IBAN }],
  ])('refuses %s without echoing the IBAN', async (_name, input) => {
    const result = await t.h.execute(CHANGE, { id: 'x', input });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'iban' });
    expect(JSON.stringify(result)).not.toMatch(/0532013/);
  });

  it('answers NOT_FOUND for an unknown customer', async () => {
    const result = await t.h.execute(CHANGE, { id: 'ghost', input: { type: 'BANK_TRANSFER' } });
    expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('CustomerColumns', () => {
  const COLUMNS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on CustomerColumns {
    ids currency openBalance overdueBalance dunningLevel lifetimeValue } } }`;

  it('answers each column in the order of ids, with the figures of the same Customer fields; a customer without invoices has zeros', async () => {
    const customers = [y, x, { __typename: 'Customer', id: 'z', segment: 'B', customerSince: '2026-01-01' }];
    const page = {
      __typename: 'CustomerColumns',
      ids: customers.map((c) => c.id),
      segment: customers.map((c) => c.segment),
      customerSince: customers.map((c) => c.customerSince),
    };
    const columns = (await t.ok(COLUMNS, { r: [page] }))._entities[0];
    const one = (await t.ok(FIGURES, { r: customers }))._entities as {
      openBalance: { amount: string; currency: string };
      overdueBalance: { amount: string };
      dunningLevel: number;
      lifetimeValue: { amount: string };
    }[];
    expect(columns).toEqual({
      ids: ['y', 'x', 'z'],
      currency: one[0]!.openBalance.currency,
      openBalance: one.map((c) => c.openBalance.amount),
      overdueBalance: one.map((c) => c.overdueBalance.amount),
      dunningLevel: one.map((c) => c.dunningLevel),
      lifetimeValue: one.map((c) => c.lifetimeValue.amount),
    });
    expect(columns.openBalance).toEqual(['910.00', '550.00', '0.00']);
    expect(columns.overdueBalance).toEqual(['900.00', '450.00', '0.00']);
  });

  it('answers an empty page (a filter that matches nobody) with empty columns, asking MariaDB nothing', async () => {
    t.h.queries.reset();
    const columns = (await t.ok(COLUMNS, { r: [{ __typename: 'CustomerColumns', ids: [], segment: [], customerSince: [] }] }))._entities[0];
    expect(columns).toMatchObject({ ids: [], openBalance: [], overdueBalance: [], dunningLevel: [], lifetimeValue: [] });
    expect(t.h.queries.count).toBe(0);
  });

  it('reads a page its customers subgraph calls dense as one range, and answers exactly as from the IN list', async () => {
    // 210 customers in creation order; the page leaves out two of them, which have invoices in the range.
    const ids = idsInOrder(210);
    for (const id of ids) t.directory.add(id, 'PERSON');
    await t.invoice(ids[3]!, '2026-11-01', '2026-11-30', '70.00');
    await t.invoice(ids[5]!, '2026-11-01', '2026-11-30', '55.00');
    await t.invoice(ids[100]!, '2026-10-01', '2026-10-15', '11.00');
    await t.invoice(ids[209]!, '2026-10-01', '2026-10-15', '20.00');
    const onPage = ids.filter((_, i) => i !== 5 && i !== 100);
    const columns = await readAsRangeAndList(t.h, 'invoices', async (idRangeDense) => {
      const page = {
        __typename: 'CustomerColumns',
        ids: [...onPage],
        idRangeDense,
        segment: onPage.map(() => 'B'),
        customerSince: onPage.map(() => '2026-01-01'),
      };
      return (await t.ok(COLUMNS, { r: [page] }))._entities[0];
    });
    const expected = onPage.map((id) => (id === ids[3] ? '70.00' : id === ids[209] ? '20.00' : '0.00'));
    expect(columns.openBalance).toEqual(expected);
    expect(columns.overdueBalance).toEqual(onPage.map((id) => (id === ids[209] ? '20.00' : '0.00')));
  });

  it('refuses a page of more than 5000 ids without echoing them', async () => {
    const ids = Array.from({ length: 5001 }, (_, i) => `id-${i}`);
    const result = await t.h.execute(COLUMNS, {
      r: [{ __typename: 'CustomerColumns', ids, segment: ids.map(() => 'A'), customerSince: ids.map(() => '2026-01-01') }],
    });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(result.errors)).not.toContain('id-5000');
  });
});
