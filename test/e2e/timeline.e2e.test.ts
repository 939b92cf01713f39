import { randomUUID } from 'node:crypto';
import { FixedClock, InternalSigner, PRINCIPAL_HEADER, type SubgraphName } from '../../subgraphs/platform';
import { Stack } from '../support/stack';

const clock = new FixedClock(new Date('2026-11-02T08:00:00.000Z'));
const stack = new Stack(clock);
// Several requests per test through the whole graph: generous on a loaded 2-core machine.
jest.setTimeout(30_000);

const PAGE = `query($id: ID!, $first: Int, $after: String, $kinds: [TimelineKind!], $from: DateTime, $to: DateTime) {
  customer(id: $id) { timeline(first: $first, after: $after, kinds: $kinds, from: $from, to: $to) {
    nodes { id kind occurredAt domain summary entityType entityId }
    pageInfo { hasNextPage endCursor } } } }`;

interface Node {
  id: string;
  kind: string;
  occurredAt: string;
  domain: string;
  summary: string;
  entityType: string;
  entityId: string;
}

const sql = (subgraph: SubgraphName, statement: string, params: unknown[] = []) => stack.sql(subgraph, statement, params);

const iso = (v: unknown) => (v instanceof Date ? v : new Date(`${String(v)}T00:00:00Z`)).toISOString();

/** The customer's events recomputed from each subgraph's raw tables: (kind, entity id, instant), nothing of the code under test. */
async function rawEvents(customerId: string): Promise<string[]> {
  const c = [customerId];
  const rows = [
    ...(await sql('customers', `SELECT 'CUSTOMER_CREATED' k, id e, created_at t FROM customers WHERE id = ?`, c)),
    ...(await sql(
      'customers',
      `SELECT 'MASTER_DATA_CHANGED' k, entity_id e, at t FROM audit_events WHERE entity_type = 'Customer' AND action = 'updateCustomer' AND entity_id = ?`,
      c,
    )),
    ...(await sql('contacts', `SELECT 'INTERACTION' k, id e, occurred_at t FROM interactions WHERE customer_id = ?`, c)),
    ...(await sql('billing', `SELECT 'INVOICE_ISSUED' k, id e, created_at t FROM invoices WHERE customer_id = ?`, c)),
    ...(await sql(
      'billing',
      `SELECT 'PAYMENT_RECEIVED' k, i.id e, p.received_at t FROM payments p JOIN invoices i ON i.id = p.invoice_id WHERE i.customer_id = ?`,
      c,
    )),
    ...(await sql(
      'billing',
      `SELECT 'DUNNING_NOTICE' k, i.id e, n.issued_on t FROM dunning_notices n JOIN invoices i ON i.id = n.invoice_id WHERE i.customer_id = ?`,
      c,
    )),
    ...(await sql('billing', `SELECT 'PAYMENT_METHOD_CHANGED' k, customer_id e, created_at t FROM payment_methods WHERE customer_id = ?`, c)),
    ...(await sql('claims', `SELECT 'COMPLAINT_OPENED' k, id e, received_at t FROM complaints WHERE customer_id = ?`, c)),
    ...(await sql(
      'claims',
      `SELECT CASE e.kind WHEN 'ESCALATION' THEN 'COMPLAINT_ESCALATED' ELSE 'COMPLAINT_RESOLVED' END k, c.id e, e.at t
       FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id WHERE c.customer_id = ? AND e.kind IN ('ESCALATION', 'RESOLUTION')`,
      c,
    )),
    ...(await sql(
      'claims',
      `SELECT CASE WHEN e.seq = 1 THEN 'CLAIM_FILED' ELSE 'CLAIM_TRANSITION' END k, c.id e, e.at t FROM claim_events e JOIN claims c ON c.id = e.claim_id WHERE c.customer_id = ?`,
      c,
    )),
    ...(await sql('key-accounts', `SELECT 'KEY_ACCOUNT_JOINED' k, key_account_id e, added_at t FROM key_account_members WHERE customer_id = ?`, c)),
    ...(await sql('key-accounts', `SELECT 'KEY_ACCOUNT_JOINED' k, key_account_id e, joined_at t FROM key_account_member_history WHERE customer_id = ?`, c)),
    ...(await sql('key-accounts', `SELECT 'KEY_ACCOUNT_LEFT' k, key_account_id e, left_at t FROM key_account_member_history WHERE customer_id = ?`, c)),
  ];
  return rows.map((r) => `${String(r.k)} ${String(r.e)} ${iso(r.t)}`).sort();
}

const signature = (n: Node) => `${n.kind} ${n.entityId} ${n.occurredAt}`;

async function pageThrough(customerId: string, first: number, between?: (page: number) => Promise<void>): Promise<Node[]> {
  const nodes: Node[] = [];
  let after: string | null = null;
  for (let page = 0; page < 100; page++) {
    const timeline: { nodes: Node[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } = (await stack.data(PAGE, { id: customerId, first, after }))
      .customer.timeline;
    expect(timeline.nodes.length).toBeLessThanOrEqual(first);
    nodes.push(...timeline.nodes);
    if (!timeline.pageInfo.hasNextPage) return nodes;
    after = timeline.pageInfo.endCursor;
    await between?.(page);
  }
  throw new Error('the timeline did not end');
}

const at = (instant: string) => clock.set(new Date(instant));

let customerId: string;
let otherId: string;
let invoiceId: string;
let keyAccountId: string;

const interaction = (customer: string, occurredAt?: string) =>
  stack.data(`mutation($i: LogInteractionInput!) { logInteraction(input: $i) { id } }`, {
    i: {
      customerId: customer,
      channel: 'EMAIL',
      direction: 'INBOUND',
      serviceArea: 'HELPDESK',
      competenceLevel: 'FIRST_LEVEL',
      handledBy: 'agent.anna',
      subject: 'Secret subject Hildegard',
      resolvedOnFirstContact: true,
      ...(occurredAt ? { occurredAt } : {}),
    },
  });

beforeAll(async () => {
  await stack.start();
  at('2026-11-02T08:00:00.000Z');
  customerId = (
    await stack.data(`mutation { createCustomer(input: { kind: ORGANIZATION, companyName: "Hildegard Holding", email: "hildegard@example.org" }) { id } }`)
  ).createCustomer.id;
  otherId = (await stack.data(`mutation { createCustomer(input: { kind: PERSON, firstName: "Otto", lastName: "Other" }) { id } }`)).createCustomer.id;
  at('2026-11-03T09:00:00.000Z');
  await interaction(customerId);
  await interaction(otherId);
  await interaction(customerId, '2026-11-02T12:00:00.000Z');
  at('2026-11-04T10:00:00.000Z');
  invoiceId = (
    await stack.data(`mutation($c: ID!) { createInvoice(input: { customerId: $c, issueDate: "2026-11-04", dueDate: "2026-11-18", total: "250.00" }) { id } }`, {
      c: customerId,
    })
  ).createInvoice.id;
  // Same instant in three domains: the order among them is by domain.
  await interaction(customerId);
  await stack.data(`mutation($c: ID!) { changePaymentMethod(customerId: $c, input: { type: SEPA_DIRECT_DEBIT, iban: "DE89370400440532013000" }) { type } }`, {
    c: customerId,
  });
  at('2026-11-05T11:00:00.000Z');
  await stack.data(
    `mutation($i: ID!) { recordPayment(input: { invoiceId: $i, amount: "100.00", method: BANK_TRANSFER, idempotencyKey: "timeline-pay-1" }) { id } }`,
    { i: invoiceId },
  );
  const complaint = (
    await stack.data(
      `mutation($c: ID!) { fileComplaint(input: { customerId: $c, channel: PHONE, category: "Hildegard's private category", description: "private", priority: HIGH }) { id } }`,
      { c: customerId },
    )
  ).fileComplaint.id;
  at('2026-11-06T12:00:00.000Z');
  await stack.data(`mutation($id: ID!) { escalateComplaint(id: $id, reason: "needs second level") { id } }`, { id: complaint });
  at('2026-11-07T13:00:00.000Z');
  await stack.data(`mutation($id: ID!) { resolveComplaint(id: $id, resolution: "refunded") { id } }`, { id: complaint });
  const claim = (
    await stack.data(`mutation($c: ID!) { reportClaim(input: { customerId: $c, type: DAMAGE, description: "broken", claimedAmount: "80.00" }) { id } }`, {
      c: customerId,
    })
  ).reportClaim.id;
  at('2026-11-08T14:00:00.000Z');
  await stack.data(`mutation($id: ID!) { transitionClaim(id: $id, expectedVersion: 1, to: IN_REVIEW) { id } }`, { id: claim });
  const managerId = (await stack.data(`mutation { createKeyAccountManager(input: { name: "Kim Key", email: "kim@c360.example", region: "North" }) { id } }`))
    .createKeyAccountManager.id;
  keyAccountId = (
    await stack.data(`mutation($i: CreateKeyAccountInput!) { createKeyAccount(input: $i) { id } }`, {
      i: { name: 'Hildegard Group', tier: 'KEY', managerId, annualRevenueTarget: '1000.00', memberIds: [customerId] },
    })
  ).createKeyAccount.id;
  at('2026-11-09T15:00:00.000Z');
  await stack.data(`mutation($k: ID!, $c: ID!) { removeKeyAccountMember(keyAccountId: $k, customerId: $c) { id } }`, { k: keyAccountId, c: customerId });
  at('2026-11-10T16:00:00.000Z');
  await stack.data(`mutation($k: ID!, $c: ID!) { addKeyAccountMember(keyAccountId: $k, customerId: $c) { id } }`, { k: keyAccountId, c: customerId });
  await stack.data(`mutation($id: ID!) { updateCustomer(id: $id, expectedVersion: 1, input: { phone: "+49 30 1234567", segment: A }) { id } }`, {
    id: customerId,
  });
}, 120_000);
afterAll(async () => {
  await stack.stop();
}, 60_000);

describe('Customer.timeline', () => {
  it('holds every event of every domain, as the raw tables recompute them, newest first', async () => {
    const all = (await stack.data(PAGE, { id: customerId, first: 100 })).customer.timeline;
    expect(all.pageInfo.hasNextPage).toBe(false);
    const nodes: Node[] = all.nodes;
    expect(nodes.map(signature).sort()).toEqual(await rawEvents(customerId));
    expect(new Set(nodes.map((n) => n.domain))).toEqual(new Set(['CUSTOMERS', 'CONTACTS', 'BILLING', 'CLAIMS', 'KEY_ACCOUNTS']));
    for (let i = 1; i < nodes.length; i++) expect(Date.parse(nodes[i - 1]!.occurredAt)).toBeGreaterThanOrEqual(Date.parse(nodes[i]!.occurredAt));
    // At one instant the domains come in one fixed order: billing's invoice and payment method before contacts' interaction.
    const tie = nodes.filter((n) => n.occurredAt === '2026-11-04T10:00:00.000Z').map((n) => n.domain);
    expect(tie).toEqual(['BILLING', 'BILLING', 'CONTACTS']);
    expect(nodes[0]).toMatchObject({ kind: 'MASTER_DATA_CHANGED', summary: 'Master data changed: segment, phone' });
  });

  it('pages without overlap or gap across cursor boundaries, while new events arrive', async () => {
    const before = (await stack.data(PAGE, { id: customerId, first: 100 })).customer.timeline.nodes as Node[];
    let late: string | undefined;
    const paged = await pageThrough(customerId, 3, async (page) => {
      if (page !== 1) return;
      // Newer than every event already paged: belongs to the head of the timeline, not to later pages.
      at('2026-11-20T08:00:00.000Z');
      await interaction(customerId);
      // Older than the cursor: later pages must bring it, in its place.
      late = (await interaction(customerId, '2026-11-01T07:00:00.000Z')).logInteraction.id;
    });
    expect(new Set(paged.map((n) => n.id)).size).toBe(paged.length);
    expect(paged.map((n) => n.id)).toEqual([...before.map((n) => n.id), expect.stringMatching(/^contacts:int:/)]);
    expect(paged[paged.length - 1]).toMatchObject({ kind: 'INTERACTION', entityId: late });
    const now = (await stack.data(PAGE, { id: customerId, first: 100 })).customer.timeline.nodes as Node[];
    expect(now.map(signature).sort()).toEqual(await rawEvents(customerId));
    expect(now[0]).toMatchObject({ kind: 'INTERACTION', occurredAt: '2026-11-20T08:00:00.000Z' });
  });

  it('every page of 1 to 7 is the merge order cut at the cursor', async () => {
    const all = ((await stack.data(PAGE, { id: customerId, first: 100 })).customer.timeline.nodes as Node[]).map((n) => n.id);
    for (const size of [1, 2, 5, 7]) expect((await pageThrough(customerId, size)).map((n) => n.id)).toEqual(all);
  });

  it('filters by kind and by time (from inclusive, to exclusive)', async () => {
    const invoices = (await stack.data(PAGE, { id: customerId, kinds: ['INVOICE_ISSUED', 'PAYMENT_RECEIVED'] })).customer.timeline.nodes as Node[];
    expect(invoices.map((n) => n.kind)).toEqual(['PAYMENT_RECEIVED', 'INVOICE_ISSUED']);
    const window = (await stack.data(PAGE, { id: customerId, from: '2026-11-04T10:00:00.000Z', to: '2026-11-06T12:00:00.000Z' })).customer.timeline
      .nodes as Node[];
    expect(window.map((n) => n.occurredAt)).toEqual([
      '2026-11-05T11:00:00.000Z',
      '2026-11-05T11:00:00.000Z',
      '2026-11-04T10:00:00.000Z',
      '2026-11-04T10:00:00.000Z',
      '2026-11-04T10:00:00.000Z',
    ]);
  });

  it('resolves each event to its entity through federation', async () => {
    const data = await stack.data(
      `query($id: ID!) { customer(id: $id) { timeline(first: 100) { nodes {
        kind
        ... on InvoiceTimelineEvent { invoice { invoiceNumber } }
        ... on InteractionTimelineEvent { interaction { channel } }
        ... on ComplaintTimelineEvent { complaint { status } }
        ... on ClaimTimelineEvent { claim { claimNumber } }
        ... on KeyAccountTimelineEvent { keyAccount { tier } }
        ... on CustomerTimelineEvent { customer { segment } }
      } } } }`,
      { id: customerId },
    );
    const nodes = data.customer.timeline.nodes as Record<string, Record<string, unknown> | string>[];
    expect(nodes.find((n) => n.kind === 'INVOICE_ISSUED')!.invoice).toEqual({ invoiceNumber: expect.stringMatching(/\S/) });
    expect(nodes.find((n) => n.kind === 'INTERACTION')!.interaction).toEqual({ channel: 'EMAIL' });
    expect(nodes.find((n) => n.kind === 'COMPLAINT_OPENED')!.complaint).toEqual({ status: 'RESOLVED' });
    expect(nodes.find((n) => n.kind === 'CLAIM_FILED')!.claim).toEqual({ claimNumber: expect.stringMatching(/\S/) });
    expect(nodes.find((n) => n.kind === 'KEY_ACCOUNT_LEFT')!.keyAccount).toEqual({ tier: 'KEY' });
    expect(nodes.find((n) => n.kind === 'CUSTOMER_CREATED')!.customer).toEqual({ segment: 'A' });
  });

  it('shows no personal data in summaries: no name, subject, category, e-mail or IBAN', async () => {
    const text = JSON.stringify((await stack.data(PAGE, { id: customerId, first: 100 })).customer.timeline.nodes);
    for (const secret of ['Hildegard', 'Secret subject', 'private', 'hildegard@', 'DE89', '3000', '1234567', 'refunded']) expect(text).not.toContain(secret);
  });

  it('gives a list of customers their own timelines', async () => {
    for (let i = 0; i < 10; i++)
      await stack.data(`mutation($n: String!) { createCustomer(input: { kind: ORGANIZATION, companyName: $n }) { id } }`, { n: `List ${i}` });
    const data = await stack.data(
      `query($a: ID!) { a: customer(id: $a) { timeline(first: 2) { nodes { kind } } } customers(first: 50) { nodes { id timeline(first: 2) { nodes { kind entityId } } } } }`,
      { a: customerId },
    );
    const nodes: { id: string; timeline: { nodes: { kind: string }[] } }[] = data.customers.nodes;
    expect(nodes.length).toBeGreaterThanOrEqual(12);
    expect(nodes.find((n) => n.id === otherId)!.timeline.nodes.map((n) => n.kind)).toEqual(['INTERACTION', 'CUSTOMER_CREATED']);
    for (const n of nodes.filter((n) => n.id !== customerId && n.id !== otherId)) expect(n.timeline.nodes.map((e) => e.kind)).toEqual(['CUSTOMER_CREATED']);
  });

  it('refuses bad arguments with BAD_USER_INPUT', async () => {
    for (const variables of [{ first: 101 }, { first: -1 }, { after: 'bm90IGEgY3Vyc29y' }, { from: '2026-11-05T00:00:00Z', to: '2026-11-04T00:00:00Z' }]) {
      const response = await stack.gql(PAGE, { id: customerId, ...variables });
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('brings events written outside a mutation within the feed interval, and parallel writes all', async () => {
    const id = randomUUID();
    // A row as a batch job or an operator would write it: no GraphQL, only the trigger and the feed's timer.
    await sql(
      'contacts',
      `INSERT INTO interactions (id, customer_id, channel, direction, service_area, competence_level, subject, handled_by, resolved_on_first_contact, occurred_at, created_at)
       VALUES (?, ?, 'CHAT', 'INBOUND', 'HELPDESK', 'FIRST_LEVEL', 'x', 'agent.sql', 1, ?, ?)`,
      [id, otherId, '2026-11-03 10:00:00.000', '2026-11-03 10:00:00.000'],
    );
    await Promise.all(Array.from({ length: 12 }, (_, i) => interaction(otherId, `2026-11-03T11:${String(i).padStart(2, '0')}:00.000Z`)));
    const deadline = Date.now() + 15_000;
    let nodes: Node[] = [];
    while (Date.now() < deadline) {
      nodes = (await stack.data(PAGE, { id: otherId, first: 100 })).customer.timeline.nodes;
      if (nodes.some((n) => n.entityId === id)) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(nodes.map(signature).sort()).toEqual(await rawEvents(otherId));
    // One from the start, the one written in SQL, twelve in parallel.
    expect(nodes.filter((n) => n.kind === 'INTERACTION')).toHaveLength(14);
  });

  it('takes timeline slices from peer services only, each for its own source, and only newer ones', async () => {
    const route = stack.url('customers').replace('/graphql', '/internal/timeline-slices');
    const post = async (headers: Record<string, string>, body: unknown) =>
      fetch(route, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const stale = { slices: [{ customerId, version: 1, events: [] }] };
    expect((await post({}, stale)).status).toBe(401);
    const signer = new InternalSigner(process.env.INTERNAL_AUTH_SECRET!);
    expect((await post({ [PRINCIPAL_HEADER]: await signer.sign({ sub: 'anna', roles: ['admin'], kind: 'user' }) }, stale)).status).toBe(401);
    expect((await post(await signer.serviceHeaders('gateway'), stale)).status).toBe(401);
    const billing = await signer.serviceHeaders('billing');
    const bad = await post(billing, { slices: [{ customerId, version: 'x', events: [] }] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
    // Billing's slice of this customer has a version above 1 by now: an old (or replayed) delivery changes nothing.
    const good = await post(billing, stale);
    expect(good.status).toBe(200);
    expect(await good.json()).toEqual({ accepted: 1, replaced: 0 });
    const nodes = (await stack.data(PAGE, { id: customerId, first: 100 })).customer.timeline.nodes as Node[];
    expect(nodes.map(signature).sort()).toEqual(await rawEvents(customerId));
  });
});
