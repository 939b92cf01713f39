import { createConnection } from 'mysql2/promise';
import { FixedClock, InternalSigner, PRINCIPAL_HEADER, type SubgraphName } from '../../subgraphs/platform';
import { bearer } from '../support/auth';
import { Stack } from '../support/stack';

const stack = new Stack(new FixedClock(new Date('2026-11-22T10:00:00.000Z')));

const TRAIL = `query($type: String!, $id: ID!, $first: Int, $after: String) { auditTrail(entityType: $type, entityId: $id, first: $first, after: $after) {
  nodes { id service actor actorKind action entityType entityId outcome at changes { field before after } }
  pageInfo { hasNextPage endCursor } } }`;
const EVENTS = `query($actor: String, $first: Int, $after: String) { auditEvents(actor: $actor, first: $first, after: $after) {
  nodes { service action entityType entityId } pageInfo { hasNextPage endCursor } } }`;

async function sql(subgraph: SubgraphName, statement: string): Promise<unknown> {
  const db = stack.database(subgraph);
  const connection = await createConnection({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.database });
  try {
    return (await connection.query(statement))[0];
  } finally {
    await connection.end();
  }
}

let customerId: string;
let invoiceId: string;
let paymentId: string;

beforeAll(async () => {
  await stack.start();
  const headers = await bearer(['collections'], 'carla.collections');
  customerId = (
    await stack.data(`mutation { createCustomer(input: { kind: PERSON, firstName: "Hilde", lastName: "Heimlich", email: "hilde@example.org" }) { id } }`)
  ).createCustomer.id;
  const invoice = await stack.gql(
    `mutation($c: ID!) { createInvoice(input: { customerId: $c, issueDate: "2026-11-01", dueDate: "2026-11-15", total: "120.00" }) { id } }`,
    { c: customerId },
    headers,
  );
  invoiceId = invoice.data!.createInvoice.id;
  const payment = await stack.gql(
    `mutation($i: ID!) { recordPayment(input: { invoiceId: $i, amount: "20.00", method: BANK_TRANSFER, idempotencyKey: "audit-pay-1" }) { id } }`,
    { i: invoiceId },
    headers,
  );
  paymentId = payment.data!.recordPayment.id;
});
afterAll(async () => {
  await stack.stop();
});

describe('the audit trail', () => {
  it('holds the rows a payment leaves: the payment booked and what it changed on its invoice, by whom and when', async () => {
    const payment = (await stack.data(TRAIL, { type: 'Payment', id: paymentId })).auditTrail.nodes;
    expect(payment).toHaveLength(1);
    expect(payment[0]).toMatchObject({
      service: 'billing',
      actor: 'carla.collections',
      actorKind: 'user',
      action: 'recordPayment',
      outcome: 'OK',
      at: '2026-11-22T10:00:00.000Z',
    });
    expect(payment[0].changes).toEqual(
      expect.arrayContaining([
        { field: 'amountMinor', before: null, after: '2000' },
        { field: 'invoiceId', before: null, after: JSON.stringify(invoiceId) },
        { field: 'idempotencyKey', before: null, after: '"audit-pay-1"' },
      ]),
    );
    const invoice = (await stack.data(TRAIL, { type: 'Invoice', id: invoiceId })).auditTrail.nodes;
    expect(invoice.map((n: { action: string }) => n.action).sort()).toEqual(['createInvoice', 'recordPayment']);
    const paid = invoice.find((n: { action: string }) => n.action === 'recordPayment');
    expect(paid.changes).toEqual([
      { field: 'paidMinor', before: '0', after: '2000' },
      { field: 'status', before: '"OPEN"', after: '"PARTIALLY_PAID"' },
    ]);
  });

  it('masks personal values: that a field changed shows, never its value', async () => {
    const rows = (await stack.data(TRAIL, { type: 'Customer', id: customerId })).auditTrail.nodes;
    const created = rows.find((n: { action: string }) => n.action === 'createCustomer');
    expect(created.service).toBe('customers');
    expect(created.changes).toEqual(expect.arrayContaining([{ field: 'firstName', before: null, after: '"[masked]"' }]));
    expect(JSON.stringify(rows)).not.toMatch(/Hilde|Heimlich|hilde@example\.org/);
  });

  it('merges every subgraph into one newest-first order, page by page', async () => {
    const all: { service: string; action: string }[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { nodes: { service: string; action: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } = (
        await stack.data(EVENTS, { first: 1, after })
      ).auditEvents;
      all.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    const whole = (await stack.data(EVENTS, { first: 100 })).auditEvents.nodes;
    expect(all).toEqual(whole);
    expect(all.length).toBeGreaterThanOrEqual(4);
    expect(new Set(all.map((n) => n.service))).toEqual(new Set(['customers', 'billing']));
    const carla = (await stack.data(EVENTS, { actor: 'carla.collections', first: 100 })).auditEvents.nodes;
    expect(carla.map((n: { action: string }) => n.action).sort()).toEqual(['createInvoice', 'recordPayment', 'recordPayment']);
  });

  it('is for admins only: a supervisor and an analyst are FORBIDDEN', async () => {
    for (const role of ['supervisor', 'analyst']) {
      const denied = await stack.gql(TRAIL, { type: 'Payment', id: paymentId }, await bearer([role]));
      expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(denied.data ?? null).toBeNull();
    }
  });

  it('cannot be changed or deleted, not even in the database', async () => {
    await expect(sql('billing', "UPDATE audit_events SET actor = 'someone else'")).rejects.toThrow(/append-only/);
    await expect(sql('billing', 'DELETE FROM audit_events')).rejects.toThrow(/append-only/);
    const rows = (await sql('billing', "SELECT COUNT(*) AS n FROM audit_events WHERE actor = 'carla.collections'")) as { n: unknown }[];
    expect(Number(rows[0]!.n)).toBe(3);
  });

  it('writes nothing for a refused mutation and keeps the write and its row together', async () => {
    const before = (await sql('billing', 'SELECT COUNT(*) AS n FROM audit_events')) as { n: unknown }[];
    const refused = await stack.gql(
      `mutation($i: ID!) { recordPayment(input: { invoiceId: $i, amount: "999.00", method: BANK_TRANSFER, idempotencyKey: "audit-pay-over" }) { id } }`,
      { i: invoiceId },
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const after = (await sql('billing', 'SELECT COUNT(*) AS n FROM audit_events')) as { n: unknown }[];
    expect(Number(after[0]!.n)).toBe(Number(before[0]!.n));
  });

  it("records refusals: the gateway's UNAUTHENTICATED and FORBIDDEN, and a subgraph's own FORBIDDEN", async () => {
    await stack.post(`{ customers(first: 1) { totalCount } }`, undefined, { authorization: 'Bearer nonsense' });
    await stack.gql(`mutation { runDunning(asOf: "2026-11-22") { noticesIssued } }`, undefined, await bearer(['analyst'], 'ana.lyst'));
    // Straight to billing, signed, as an analyst: the subgraph refuses on its own.
    const signed = await new InternalSigner(process.env.INTERNAL_AUTH_SECRET!).sign({ sub: 'ana.direct', roles: ['analyst'], kind: 'user' });
    await fetch(stack.subgraphs.get('billing')!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [PRINCIPAL_HEADER]: signed },
      body: JSON.stringify({ query: 'mutation { runDunning(asOf: "2026-11-22") { noticesIssued } }' }),
    });
    const denied = async () =>
      (
        (await stack.data(`{ auditEvents(first: 100) { nodes { service actor action entityType outcome } } }`)).auditEvents.nodes as Record<string, string>[]
      ).filter((n) => n.action === 'DENIED');
    // The gateway reports its refusals in batches, about a second later.
    const deadline = Date.now() + 10_000;
    while ((await denied()).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await denied()).toEqual(
      expect.arrayContaining([
        { service: 'gateway', actor: 'anonymous', action: 'DENIED', entityType: 'Request', outcome: 'UNAUTHENTICATED' },
        { service: 'gateway', actor: 'ana.lyst', action: 'DENIED', entityType: 'Mutation.runDunning', outcome: 'FORBIDDEN' },
        { service: 'billing', actor: 'ana.direct', action: 'DENIED', entityType: 'Mutation.runDunning', outcome: 'FORBIDDEN' },
      ]),
    );
    expect(Number(((await sql('billing', 'SELECT COUNT(*) AS n FROM dunning_runs')) as { n: unknown }[])[0]!.n)).toBe(0);
  });

  it('records an export: a customer page of more than 100 rows, with who took it', async () => {
    // The cursors and count of such a page show no customer: not an export.
    const cursorsOnly = await stack.gql(`{ customers(first: 500) { totalCount pageInfo { endCursor } } }`, undefined, await bearer(['analyst'], 'bi.peek'));
    expect(cursorsOnly.errors).toBeUndefined();
    expect((await stack.data(EVENTS, { actor: 'bi.peek', first: 10 })).auditEvents.nodes).toEqual([]);
    await stack.gql(`{ customers(first: 500) { nodes { id } } }`, undefined, await bearer(['analyst'], 'bi.export'));
    const rows = (await stack.data(EVENTS, { actor: 'bi.export', first: 10 })).auditEvents.nodes;
    expect(rows).toEqual([{ service: 'customers', action: 'EXPORT', entityType: 'Customer', entityId: null }]);
  });
});
