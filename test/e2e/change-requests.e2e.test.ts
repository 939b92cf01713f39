import { FixedClock, type SubgraphName } from '../../subgraphs/platform';
import { bearer } from '../support/auth';
import { Stack } from '../support/stack';

const clock = new FixedClock(new Date('2026-11-10T09:00:00.000Z'));
const stack = new Stack(clock);
// Several requests per test through the whole graph: generous on a loaded 2-core machine.
jest.setTimeout(30_000);

const REQUEST = `mutation($c: ID!, $v: Int!, $i: UpdateCustomerInput!, $r: String!) { requestCustomerChange(customerId: $c, expectedVersion: $v, input: $i, reason: $r) {
  id entity customerId status requestedBy reason createdAt expiresAt changes { field oldValue newValue } } }`;
const APPROVE = `mutation($id: ID!) { approveChangeRequest(id: $id) { id status decidedBy } }`;
const REJECT = `mutation($id: ID!, $r: String!) { rejectChangeRequest(id: $id, reason: $r) { id status decidedBy decisionReason } }`;
const PAYMENT = `mutation($c: ID!, $i: PaymentMethodInput!, $r: String!) { requestPaymentMethodChange(customerId: $c, input: $i, reason: $r) {
  id entity status requestedBy changes { field oldValue newValue } } }`;
const IBAN = 'DE89370400440532013000';
const IBAN2 = 'GB82WEST12345698765432';

const sql = (subgraph: SubgraphName, statement: string, params: unknown[] = []) => stack.sql(subgraph, statement, params);

let agent: Record<string, string>;
let collections: Record<string, string>;
let supervisorA: Record<string, string>;
let supervisorB: Record<string, string>;
let analyst: Record<string, string>;

const code = (response: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => response.errors?.[0]?.extensions?.code;

async function newCustomer(): Promise<{ id: string; version: number }> {
  const created = await stack.data(
    `mutation { createCustomer(input: { kind: PERSON, firstName: "Greta", lastName: "Gruen", email: "greta@example.org" }) { id version } }`,
  );
  return created.createCustomer;
}

async function customerRow(id: string) {
  return (await sql('customers', 'SELECT last_name, segment, status, phone, version FROM customers WHERE id = ?', [id]))[0]!;
}

async function requestRow(subgraph: SubgraphName, id: string) {
  return (await sql(subgraph, 'SELECT status, decided_by FROM change_requests WHERE id = ?', [id]))[0]!;
}

beforeAll(async () => {
  await stack.start();
  agent = await bearer(['agent'], 'anna.agent');
  collections = await bearer(['collections'], 'carla.collections');
  supervisorA = await bearer(['supervisor'], 'sven.supervisor');
  supervisorB = await bearer(['supervisor'], 'sara.supervisor');
  analyst = await bearer(['analyst'], 'alex.analyst');
}, 120_000);
afterAll(async () => {
  await stack.stop();
}, 60_000);

describe('four-eyes change requests of customer master data', () => {
  it('an agent cannot change a name or segment directly, but contact data applies at once', async () => {
    const c = await newCustomer();
    const refused = await stack.gql(
      `mutation($id: ID!) { updateCustomer(id: $id, expectedVersion: 1, input: { lastName: "Blau" }) { id } }`,
      { id: c.id },
      agent,
    );
    expect(code(refused)).toBe('FORBIDDEN');
    expect(await customerRow(c.id)).toMatchObject({ last_name: 'Gruen', version: 1 });
    const direct = await stack.gql(
      `mutation($id: ID!) { updateCustomer(id: $id, expectedVersion: 1, input: { phone: "+49 30 555000" }) { version } }`,
      { id: c.id },
      agent,
    );
    expect(direct.errors).toBeUndefined();
    expect(await customerRow(c.id)).toMatchObject({ phone: '+4930555000', version: 2 });
  });

  it('a request waits for a second person: the requester may not approve it, another supervisor applies it', async () => {
    const c = await newCustomer();
    const requested = await stack.gql(REQUEST, { c: c.id, v: 1, i: { lastName: 'Blau', segment: 'A' }, r: 'marriage certificate seen' }, supervisorA);
    expect(requested.errors).toBeUndefined();
    const request = requested.data!.requestCustomerChange;
    expect(request).toMatchObject({ entity: 'CUSTOMER', status: 'PENDING', requestedBy: 'sven.supervisor', reason: 'marriage certificate seen' });
    expect(request.changes).toEqual([
      { field: 'lastName', oldValue: 'Gruen', newValue: 'Blau' },
      { field: 'segment', oldValue: 'C', newValue: 'A' },
    ]);
    expect(Date.parse(request.expiresAt) - Date.parse(request.createdAt)).toBe(7 * 86_400_000);
    expect(await customerRow(c.id)).toMatchObject({ last_name: 'Gruen', version: 1 });

    expect(code(await stack.gql(APPROVE, { id: request.id }, agent))).toBe('FORBIDDEN');
    expect(code(await stack.gql(APPROVE, { id: request.id }, supervisorA))).toBe('FORBIDDEN');
    expect(await requestRow('customers', request.id)).toMatchObject({ status: 'PENDING', decided_by: null });

    const approved = await stack.gql(APPROVE, { id: request.id }, supervisorB);
    expect(approved.data?.approveChangeRequest).toMatchObject({ status: 'APPROVED', decidedBy: 'sara.supervisor' });
    expect(await customerRow(c.id)).toMatchObject({ last_name: 'Blau', segment: 'A', version: 2 });
    expect(code(await stack.gql(APPROVE, { id: request.id }, supervisorB))).toBe('INVALID_TRANSITION');
    const audit = await sql('customers', `SELECT action, actor, outcome FROM audit_events WHERE entity_type = 'ChangeRequest' AND entity_id = ? ORDER BY id`, [
      request.id,
    ]);
    expect(audit).toEqual([
      { action: 'requestChange', actor: 'sven.supervisor', outcome: 'OK' },
      { action: 'approveChangeRequest', actor: 'sven.supervisor', outcome: 'FORBIDDEN' },
      { action: 'approveChangeRequest', actor: 'sara.supervisor', outcome: 'OK' },
    ]);
  });

  it('masks personal values for roles that may not see them', async () => {
    const c = await newCustomer();
    await stack.gql(REQUEST, { c: c.id, v: 1, i: { lastName: 'Rot' }, r: 'typo' }, agent);
    expect(code(await stack.gql(`{ changeRequests(first: 5) { nodes { id } } }`, {}, analyst))).toBe('FORBIDDEN');
    const seen = await stack.gql(`query($id: ID!) { customer(id: $id) { pendingChanges { changes { field oldValue newValue } } } }`, { id: c.id }, agent);
    expect(seen.data?.customer.pendingChanges).toEqual([{ changes: [{ field: 'lastName', oldValue: 'Gruen', newValue: 'Rot' }] }]);
  });

  it('an approval after the customer changed is SUPERSEDED and writes nothing', async () => {
    const c = await newCustomer();
    const request = (await stack.gql(REQUEST, { c: c.id, v: 1, i: { status: 'DORMANT' }, r: 'contract signed' }, agent)).data!.requestCustomerChange;
    await stack.gql(`mutation($id: ID!) { updateCustomer(id: $id, expectedVersion: 1, input: { phone: "+49 40 111" }) { version } }`, { id: c.id }, agent);
    const before = await customerRow(c.id);
    const decided = await stack.gql(APPROVE, { id: request.id }, supervisorB);
    expect(decided.data?.approveChangeRequest.status).toBe('SUPERSEDED');
    expect(await customerRow(c.id)).toEqual(before);
    expect(await requestRow('customers', request.id)).toMatchObject({ status: 'SUPERSEDED', decided_by: 'sara.supervisor' });
  });

  it('a rejected request writes nothing; a stale expectedVersion is refused at once', async () => {
    const c = await newCustomer();
    expect(code(await stack.gql(REQUEST, { c: c.id, v: 7, i: { lastName: 'X' }, r: 'r' }, agent))).toBe('VERSION_CONFLICT');
    expect(code(await stack.gql(REQUEST, { c: c.id, v: 1, i: { lastName: 'Gruen' }, r: 'r' }, agent))).toBe('BAD_USER_INPUT');
    expect(code(await stack.gql(REQUEST, { c: c.id, v: 1, i: { lastName: 'X' }, r: '  ' }, agent))).toBe('BAD_USER_INPUT');
    const request = (await stack.gql(REQUEST, { c: c.id, v: 1, i: { lastName: 'Weiss' }, r: 'asked by phone' }, agent)).data!.requestCustomerChange;
    const rejected = await stack.gql(REJECT, { id: request.id, r: 'no proof' }, supervisorA);
    expect(rejected.data?.rejectChangeRequest).toMatchObject({ status: 'REJECTED', decidedBy: 'sven.supervisor', decisionReason: 'no proof' });
    expect(await customerRow(c.id)).toMatchObject({ last_name: 'Gruen', version: 1 });
  });

  it('a request expires: it reads EXPIRED, cannot be approved, and is stored so', async () => {
    const c = await newCustomer();
    const request = (await stack.gql(REQUEST, { c: c.id, v: 1, i: { segment: 'B' }, r: 'upgrade' }, agent)).data!.requestCustomerChange;
    clock.set(new Date(Date.parse(request.expiresAt) + 1000));
    try {
      const expired = await stack.gql(`{ changeRequests(status: EXPIRED, first: 100) { nodes { id status } } }`, {}, agent);
      expect(expired.data?.changeRequests.nodes).toContainEqual({ id: request.id, status: 'EXPIRED' });
      expect(code(await stack.gql(APPROVE, { id: request.id }, supervisorB))).toBe('INVALID_TRANSITION');
      expect(await requestRow('customers', request.id)).toMatchObject({ status: 'EXPIRED' });
      expect(await customerRow(c.id)).toMatchObject({ segment: 'C', version: 1 });
    } finally {
      clock.set(new Date('2026-11-10T09:00:00.000Z'));
    }
  });

  it('of many supervisors approving one request at once exactly one applies it', async () => {
    const c = await newCustomer();
    const request = (await stack.gql(REQUEST, { c: c.id, v: 1, i: { lastName: 'Parallel' }, r: 'race' }, agent)).data!.requestCustomerChange;
    const deciders = await Promise.all(Array.from({ length: 8 }, (_, i) => bearer(['supervisor'], `sup.${i}`)));
    const results = await Promise.all(deciders.map((h) => stack.gql(APPROVE, { id: request.id }, h)));
    expect(results.filter((r) => r.data?.approveChangeRequest?.status === 'APPROVED')).toHaveLength(1);
    expect(results.filter((r) => code(r) === 'INVALID_TRANSITION')).toHaveLength(7);
    expect(await customerRow(c.id)).toMatchObject({ last_name: 'Parallel', version: 2 });
    const approvals = await sql('customers', `SELECT COUNT(*) n FROM audit_events WHERE entity_id = ? AND action = 'approveChangeRequest' AND outcome = 'OK'`, [
      request.id,
    ]);
    expect(Number(approvals[0]!.n)).toBe(1);
  });

  it('two requests against one version approved at once: one applies, the other is SUPERSEDED', async () => {
    const c = await newCustomer();
    const first = (await stack.gql(REQUEST, { c: c.id, v: 1, i: { lastName: 'Eins' }, r: 'a' }, agent)).data!.requestCustomerChange;
    const second = (await stack.gql(REQUEST, { c: c.id, v: 1, i: { lastName: 'Zwei' }, r: 'b' }, agent)).data!.requestCustomerChange;
    const [a, b] = await Promise.all([stack.gql(APPROVE, { id: first.id }, supervisorA), stack.gql(APPROVE, { id: second.id }, supervisorB)]);
    const statuses = [a.data?.approveChangeRequest.status, b.data?.approveChangeRequest.status].sort();
    expect(statuses).toEqual(['APPROVED', 'SUPERSEDED']);
    const winner = a.data?.approveChangeRequest.status === 'APPROVED' ? 'Eins' : 'Zwei';
    expect(await customerRow(c.id)).toMatchObject({ last_name: winner, version: 2 });
  });
});

describe('four-eyes payment-method changes (stored by billing, decided through customers)', () => {
  it('refuses a direct change, masks the IBAN, and applies it on a second person’s approval', async () => {
    const c = await newCustomer();
    const direct = await stack.gql(
      `mutation($c: ID!) { changePaymentMethod(customerId: $c, input: { type: SEPA_DIRECT_DEBIT, iban: "${IBAN}" }) { type } }`,
      { c: c.id },
      collections,
    );
    expect(code(direct)).toBe('FORBIDDEN');
    const requested = await stack.gql(
      PAYMENT,
      { c: c.id, i: { type: 'SEPA_DIRECT_DEBIT', iban: IBAN, validFrom: '2026-11-10' }, r: 'mandate received' },
      collections,
    );
    expect(requested.errors).toBeUndefined();
    const request = requested.data!.requestPaymentMethodChange;
    expect(request).toMatchObject({ entity: 'PAYMENT_METHOD', status: 'PENDING', requestedBy: 'carla.collections' });
    expect(JSON.stringify(request)).not.toContain(IBAN);
    expect(request.changes).toContainEqual({ field: 'iban', oldValue: null, newValue: 'DE****************3000' });

    const pending = await stack.gql(`query($id: ID!) { customer(id: $id) { pendingChanges { id entity } } }`, { id: c.id }, agent);
    expect(pending.data?.customer.pendingChanges).toEqual([{ id: request.id, entity: 'PAYMENT_METHOD' }]);
    expect(code(await stack.gql(APPROVE, { id: request.id }, collections))).toBe('FORBIDDEN');

    const approved = await stack.gql(APPROVE, { id: request.id }, supervisorA);
    expect(approved.data?.approveChangeRequest).toMatchObject({ id: request.id, status: 'APPROVED', decidedBy: 'sven.supervisor' });
    const methods = await sql('billing', 'SELECT type, iban FROM payment_methods WHERE customer_id = ?', [c.id]);
    expect(methods).toEqual([{ type: 'SEPA_DIRECT_DEBIT', iban: IBAN }]);
    expect(await requestRow('billing', request.id)).toMatchObject({ status: 'APPROVED', decided_by: 'sven.supervisor' });
    const events = (
      await stack.data(
        `query($id: ID!) { customer(id: $id) { timeline(kinds: [CHANGE_REQUESTED, CHANGE_DECIDED]) { nodes { kind domain ... on ChangeRequestTimelineEvent { changeRequest { id entity } } } } } }`,
        {
          id: c.id,
        },
      )
    ).customer.timeline.nodes;
    expect(events).toHaveLength(2);
    for (const e of events) expect(e).toMatchObject({ domain: 'BILLING', changeRequest: { id: request.id, entity: 'PAYMENT_METHOD' } });
    const audit = await sql('billing', `SELECT action, actor FROM audit_events WHERE entity_id IN (?, ?) ORDER BY id`, [request.id, c.id]);
    expect(audit.map((r) => `${String(r.action)} ${String(r.actor)}`)).toEqual([
      'requestChange carla.collections',
      'changePaymentMethod sven.supervisor',
      'approveChangeRequest sven.supervisor',
    ]);
  });

  it('the requester of a payment-method change may not decide it, even as a supervisor', async () => {
    const c = await newCustomer();
    const request = (await stack.gql(PAYMENT, { c: c.id, i: { type: 'BANK_TRANSFER' }, r: 'customer wish' }, supervisorB)).data!.requestPaymentMethodChange;
    expect(code(await stack.gql(REJECT, { id: request.id, r: 'mine' }, supervisorB))).toBe('FORBIDDEN');
    expect(await requestRow('billing', request.id)).toMatchObject({ status: 'PENDING' });
  });

  it('of two payment-method requests approved at once one applies, the other is SUPERSEDED', async () => {
    const c = await newCustomer();
    const requests = await Promise.all(
      [IBAN, IBAN2].map(
        async (iban) =>
          (await stack.gql(PAYMENT, { c: c.id, i: { type: 'SEPA_DIRECT_DEBIT', iban }, r: 'two mandates' }, collections)).data!.requestPaymentMethodChange,
      ),
    );
    const results = await Promise.all(requests.map((r, i) => stack.gql(APPROVE, { id: r.id }, i === 0 ? supervisorA : supervisorB)));
    expect(results.map((r) => r.data?.approveChangeRequest.status).sort()).toEqual(['APPROVED', 'SUPERSEDED']);
    expect(await sql('billing', 'SELECT COUNT(*) n FROM payment_methods WHERE customer_id = ?', [c.id])).toEqual([{ n: 1 }]);
  });

  it('changeRequests pages over both stores without overlap or gap, and the timeline shows each step', async () => {
    const nodes: { id: string }[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } = (
        await stack.gql(`query($a: String) { changeRequests(first: 3, after: $a) { nodes { id } pageInfo { hasNextPage endCursor } } }`, { a: after }, agent)
      ).data!.changeRequests;
      nodes.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    const stored = [
      ...(await sql('customers', 'SELECT id, created_at FROM change_requests')),
      ...(await sql('billing', 'SELECT id, created_at FROM change_requests')),
    ];
    expect(nodes.map((n) => n.id).sort()).toEqual(stored.map((r) => String(r.id)).sort());
    expect(new Set(nodes.map((n) => n.id)).size).toBe(nodes.length);

    const c = await newCustomer();
    clock.set(new Date('2026-11-10T09:30:00.000Z'));
    const request = (await stack.gql(REQUEST, { c: c.id, v: 1, i: { lastName: 'Zeit' }, r: 'timeline' }, agent)).data!.requestCustomerChange;
    clock.set(new Date('2026-11-10T10:00:00.000Z'));
    await stack.gql(APPROVE, { id: request.id }, supervisorA);
    clock.set(new Date('2026-11-10T09:00:00.000Z'));
    const timeline = (
      await stack.data(
        `query($id: ID!) { customer(id: $id) { timeline { nodes { kind summary entityId ... on ChangeRequestTimelineEvent { changeRequest { status } } } } } }`,
        { id: c.id },
      )
    ).customer.timeline.nodes;
    expect(timeline).toEqual([
      // The approval and the change it applied share their instant; within one domain the order is by key.
      { kind: 'CHANGE_DECIDED', summary: 'Master-data change approved', entityId: request.id, changeRequest: { status: 'APPROVED' } },
      { kind: 'MASTER_DATA_CHANGED', summary: 'Master data changed: lastName, displayName', entityId: c.id },
      { kind: 'CHANGE_REQUESTED', summary: 'Master-data change requested', entityId: request.id, changeRequest: { status: 'APPROVED' } },
      { kind: 'CUSTOMER_CREATED', summary: expect.stringMatching(/^Customer C-\d+ created/), entityId: c.id },
    ]);
  });
});
