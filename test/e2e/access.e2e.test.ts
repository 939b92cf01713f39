import { SignJWT } from 'jose';
import { createConnection } from 'mysql2/promise';
import { ApiKeyStore } from '../../gateway/api-keys';
import { FixedClock, InternalSigner, PRINCIPAL_HEADER, type SubgraphName } from '../../subgraphs/platform';
import { bearer, tokenFor } from '../support/auth';
import { Stack } from '../support/stack';

const stack = new Stack(new FixedClock(new Date('2026-11-22T10:00:00.000Z')));

const CREATE_CUSTOMER = `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id customerNumber } }`;
const LOG = `mutation($input: LogInteractionInput!) { logInteraction(input: $input) { id } }`;
const ADD_PERSON = `mutation($input: ContactPersonInput!) { addContactPerson(input: $input) { id } }`;
const CREATE_INVOICE = `mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { id } }`;
const PAY = `mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { id } }`;
const FILE_COMPLAINT = `mutation($input: FileComplaintInput!) { fileComplaint(input: $input) { id } }`;
const ESCALATE = `mutation($id: ID!) { escalateComplaint(id: $id, reason: "needs a specialist") { id status } }`;
const REPORT_CLAIM = `mutation($input: ReportClaimInput!) { reportClaim(input: $input) { id } }`;
const TRANSITION = `mutation($id: ID!) { transitionClaim(id: $id, to: IN_REVIEW, expectedVersion: 1) { id } }`;
const CREATE_MANAGER = `mutation($input: CreateKeyAccountManagerInput!) { createKeyAccountManager(input: $input) { id } }`;
const CREATE_KEY_ACCOUNT = `mutation($input: CreateKeyAccountInput!) { createKeyAccount(input: $input) { id } }`;
const RUN_DUNNING = `mutation { runDunning(asOf: "2026-11-22") { noticesIssued } }`;

const PERSON = { kind: 'PERSON', firstName: 'Wilhelmina', lastName: 'Geheimnisvoll', email: 'wilhelmina@example.org', phone: '+4930111222333', segment: 'B' };
let personId: string;
let orgId: string;
let managerId: string;

async function as(roles: string[], query: string, variables?: Record<string, unknown>) {
  return stack.gql(query, variables, await bearer(roles, `user-${roles.join('-')}`));
}

/** A figure read straight from a subgraph's database: what was (not) written. */
async function count(sql: string, subgraph: SubgraphName): Promise<number> {
  const db = stack.database(subgraph);
  const connection = await createConnection({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.database });
  try {
    const [rows] = await connection.query(sql);
    return Number((rows as { n: unknown }[])[0]!.n);
  } finally {
    await connection.end();
  }
}

beforeAll(async () => {
  await stack.start();
  const person = await stack.data(CREATE_CUSTOMER, {
    input: { ...PERSON, addresses: [{ type: 'POSTAL', street: 'Verborgene Gasse 7', postalCode: '10999', city: 'Berlin', country: 'DE' }] },
  });
  personId = person.createCustomer.id;
  orgId = (await stack.data(CREATE_CUSTOMER, { input: { kind: 'ORGANIZATION', companyName: 'Offen GmbH', segment: 'A' } })).createCustomer.id;
  await stack.data(ADD_PERSON, { input: { customerId: orgId, name: 'Kunigunde Kontaktperson', email: 'kunigunde@example.org', phone: '+4930999888777' } });
  const interaction = {
    customerId: personId,
    channel: 'PHONE',
    direction: 'INBOUND',
    serviceArea: 'HELPDESK',
    subject: 'Umzug nach Verborgene Gasse',
    summary: 'Privates Detail',
    handledBy: 'agent.one',
    competenceLevel: 'FIRST_LEVEL',
    resolvedOnFirstContact: true,
    occurredAt: '2026-11-20T09:00:00Z',
  };
  await stack.data(LOG, { input: interaction });
  managerId = (await stack.data(CREATE_MANAGER, { input: { name: 'Kim Manager', email: 'kim@c360.test', region: 'Nord' } })).createKeyAccountManager.id;
});
afterAll(async () => {
  await stack.stop();
});

describe('every role against a mutation it may use and one it may not', () => {
  it('agent: logs an interaction; may not book a payment, and nothing is written', async () => {
    const ok = await as(['agent'], LOG, {
      input: {
        customerId: orgId,
        channel: 'EMAIL',
        direction: 'INBOUND',
        serviceArea: 'HELPDESK',
        subject: 'Frage',
        handledBy: 'agent.two',
        competenceLevel: 'FIRST_LEVEL',
        resolvedOnFirstContact: true,
      },
    });
    expect(ok.errors).toBeUndefined();
    const invoice = (await stack.data(CREATE_INVOICE, { input: { customerId: orgId, issueDate: '2026-11-01', dueDate: '2026-11-15', total: '100.00' } }))
      .createInvoice;
    const denied = await as(['agent'], PAY, { input: { invoiceId: invoice.id, amount: '10.00', method: 'BANK_TRANSFER', idempotencyKey: 'agent-pay' } });
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(denied.data ?? null).toBeNull();
    expect(await count("SELECT COUNT(*) AS n FROM payments WHERE idempotency_key = 'agent-pay'", 'billing')).toBe(0);
  });

  it('collections: creates an invoice; may not move a claim', async () => {
    const ok = await as(['collections'], CREATE_INVOICE, { input: { customerId: orgId, issueDate: '2026-11-02', dueDate: '2026-11-16', total: '20.00' } });
    expect(ok.errors).toBeUndefined();
    const claim = (await stack.data(REPORT_CLAIM, { input: { customerId: orgId, type: 'DAMAGE', description: 'Wasserschaden', claimedAmount: '50.00' } }))
      .reportClaim;
    const denied = await as(['collections'], TRANSITION, { id: claim.id });
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await count(`SELECT version AS n FROM claims WHERE id = '${claim.id}'`, 'claims')).toBe(1);
  });

  it('claims_handler: escalates a complaint; may not create an invoice', async () => {
    const complaint = (
      await stack.data(FILE_COMPLAINT, { input: { customerId: orgId, channel: 'EMAIL', category: 'billing', priority: 'HIGH', description: 'Zu hoch' } })
    ).fileComplaint;
    const ok = await as(['claims_handler'], ESCALATE, { id: complaint.id });
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.escalateComplaint.status).toBe('ESCALATED');
    const before = await count('SELECT COUNT(*) AS n FROM invoices', 'billing');
    const denied = await as(['claims_handler'], CREATE_INVOICE, {
      input: { customerId: orgId, issueDate: '2026-11-03', dueDate: '2026-11-17', total: '5.00' },
    });
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await count('SELECT COUNT(*) AS n FROM invoices', 'billing')).toBe(before);
  });

  it("key_account_manager: creates a key account they manage; may not run dunning, nor change another manager's account", async () => {
    // The manager's token carries their e-mail as sub.
    const kim = await bearer(['key_account_manager'], 'kim@c360.test');
    const ok = await stack.gql(
      CREATE_KEY_ACCOUNT,
      { input: { name: 'Offen Gruppe', tier: 'KEY', managerId, memberIds: [orgId], annualRevenueTarget: '1000.00' } },
      kim,
    );
    expect(ok.errors).toBeUndefined();
    const other = await bearer(['key_account_manager'], 'someone.else@c360.test');
    const notTheirs = await stack.gql(
      `mutation($k: ID!, $c: ID!) { removeKeyAccountMember(keyAccountId: $k, customerId: $c) { id } }`,
      { k: ok.data!.createKeyAccount.id, c: orgId },
      other,
    );
    expect(notTheirs.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await count(`SELECT COUNT(*) AS n FROM key_account_members WHERE customer_id = '${orgId}'`, 'key-accounts')).toBe(1);
    const denied = await as(['key_account_manager'], RUN_DUNNING);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await count('SELECT COUNT(*) AS n FROM dunning_runs', 'billing')).toBe(0);
  });

  it('supervisor: runs dunning; may not add a key-account manager (admin only)', async () => {
    const ok = await as(['supervisor'], RUN_DUNNING);
    expect(ok.errors).toBeUndefined();
    const denied = await as(['supervisor'], CREATE_MANAGER, { input: { name: 'Nope', email: 'nope@c360.test', region: 'Süd' } });
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await count("SELECT COUNT(*) AS n FROM key_account_managers WHERE email = 'nope@c360.test'", 'key-accounts')).toBe(0);
  });

  it('analyst: reads the segment report; may not create a customer', async () => {
    const ok = await as(['analyst'], `{ segmentReport { segment customerCount } }`);
    expect(ok.errors).toBeUndefined();
    const before = await count('SELECT COUNT(*) AS n FROM customers', 'customers');
    const denied = await as(['analyst'], CREATE_CUSTOMER, { input: { kind: 'PERSON', firstName: 'X', lastName: 'Y' } });
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await count('SELECT COUNT(*) AS n FROM customers', 'customers')).toBe(before);
  });

  it('admin: adds a key-account manager', async () => {
    const ok = await as(['admin'], CREATE_MANAGER, { input: { name: 'Ada Admin', email: 'ada@c360.test', region: 'West' } });
    expect(ok.errors).toBeUndefined();
  });
});

describe("an analyst's customer page", () => {
  const PAGE = `{ customers(first: 50) { nodes {
    id customerNumber kind segment displayName firstName lastName email phone
    addresses { street city }
    contactPersons { name email phone role }
    interactions(first: 5) { nodes { channel subject summary } }
  } } }`;

  it('holds no personal value in the raw response, and says once per field what was withheld', async () => {
    const { status, text } = await stack.post(PAGE, undefined, await bearer(['analyst'], 'bi-analyst'));
    expect(status).toBe(200);
    for (const value of [
      'Wilhelmina',
      'Geheimnisvoll',
      'wilhelmina@example.org',
      '+4930111222333',
      'Verborgene',
      'Kunigunde',
      'kunigunde@example.org',
      '+4930999888777',
      'Privates',
      'Umzug',
    ]) {
      expect(text).not.toContain(value);
    }
    const body = JSON.parse(text) as { data: { customers: { nodes: Record<string, any>[] } }; extensions: { withheldFields: string[] } };
    const person = body.data.customers.nodes.find((n) => n.id === personId)!;
    // A pseudonym where the field is non-null, null or empty elsewhere; the non-personal fields as they are.
    expect(person).toMatchObject({
      displayName: person.customerNumber,
      firstName: null,
      email: null,
      phone: null,
      addresses: [],
      segment: 'B',
      kind: 'PERSON',
    });
    expect(person.interactions.nodes[0]).toEqual({ channel: 'PHONE', subject: '[withheld]', summary: null });
    expect(body.extensions.withheldFields).toEqual([
      'ContactPerson.email',
      'ContactPerson.name',
      'ContactPerson.phone',
      'Customer.addresses',
      'Customer.displayName',
      'Customer.email',
      'Customer.firstName',
      'Customer.lastName',
      'Customer.phone',
      'Interaction.subject',
      'Interaction.summary',
    ]);
  });

  it('refuses an analyst a search, which matches names and e-mails (an oracle for personal data)', async () => {
    const probe = await stack.gql(`{ customers(first: 5, filter: { search: "wilhelmina@example.org" }) { totalCount } }`, undefined, await bearer(['analyst']));
    expect(probe.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'filter.search' });
    expect(probe.data?.customers ?? null).toBeNull();
    const agent = await stack.gql(`{ customers(first: 5, filter: { search: "wilhelmina@example.org" }) { totalCount } }`, undefined, await bearer(['agent']));
    expect(agent.data!.customers.totalCount).toBe(1);
  });

  it('is the full page for an agent', async () => {
    const { text } = await stack.post(PAGE, undefined, await bearer(['agent']));
    expect(text).toContain('Wilhelmina');
    expect(text).toContain('kunigunde@example.org');
    expect(JSON.parse(text).extensions?.withheldFields).toBeUndefined();
  });
});

describe('credentials', () => {
  const ME = `{ customers(first: 1) { totalCount } }`;

  it('ignores forged identity headers: with an analyst token they change nothing, without a token the request is refused', async () => {
    const forged = { 'x-c360-user': 'admin', 'x-c360-roles': 'admin,supervisor' };
    const withToken = await stack.gql(
      CREATE_CUSTOMER,
      { input: { kind: 'PERSON', firstName: 'F', lastName: 'G' } },
      { ...forged, ...(await bearer(['analyst'])) },
    );
    expect(withToken.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // The gateway reports that refusal to the audit trail about a second later, in a subgraph request of its own: let it pass first.
    let before = await stack.subgraphRequests();
    for (let settled = false; !settled;) {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const now = await stack.subgraphRequests();
      settled = now === before;
      before = now;
    }
    const { status, text } = await stack.post(ME, undefined, forged);
    expect(status).toBe(401);
    expect(JSON.parse(text).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    // No subgraph was asked anything.
    expect(await stack.subgraphRequests()).toBe(before);
  }, 20_000);

  it('refuses an expired token, one signed with another key, and a token without exp', async () => {
    const expired = await tokenFor(['admin'], 'late', Math.floor(Date.now() / 1000) - 60);
    const foreign = await tokenFor(['admin'], 'mallory', '1h', 'another-secret-entirely-0123456789');
    const noExp = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('forever')
      .sign(new TextEncoder().encode(process.env.AUTH_JWT_SECRET!));
    for (const token of [expired, foreign, noExp, 'not.a.jwt']) {
      const { status, text } = await stack.post(ME, undefined, { authorization: `Bearer ${token}` });
      expect(status).toBe(401);
      expect(JSON.parse(text).errors[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
      expect(text).not.toContain(token);
    }
  });

  it('takes an API key until it is revoked', async () => {
    const store = new ApiKeyStore(stack.auth.apiKeysFile);
    const { key } = store.create('powerbi', ['analyst']);
    const before = await stack.gql(`{ segmentReport { segment } }`, undefined, { 'x-api-key': key });
    expect(before.errors).toBeUndefined();
    expect(store.revoke('powerbi')).toBe(true);
    const { status, text } = await stack.post(`{ segmentReport { segment } }`, undefined, { 'x-api-key': key });
    expect(status).toBe(401);
    expect(text).not.toContain(key);
  });
});

describe('subgraphs answer only signed requests', () => {
  const QUERY = JSON.stringify({ query: '{ customers(first: 5) { nodes { id } } }' });

  it('refuses a direct call without a signature, and one with a wrong signature, with 401 and no data', async () => {
    const url = stack.subgraphs.get('customers')!.url;
    const unsigned = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-c360-user': 'admin' }, body: QUERY });
    expect(unsigned.status).toBe(401);
    const forged = await new InternalSigner('a-different-internal-secret-0123456789').sign({ sub: 'mallory', roles: ['admin'], kind: 'user' });
    const wrong = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [PRINCIPAL_HEADER]: forged }, body: QUERY });
    expect(wrong.status).toBe(401);
    for (const response of [unsigned, wrong]) {
      const body = (await response.json()) as { data?: unknown; errors: { extensions: { code: string } }[] };
      expect(body.data ?? null).toBeNull();
      expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    }
    // The probes stay open.
    expect((await fetch(url.replace('/graphql', '/healthz'))).status).toBe(200);
  });
});
