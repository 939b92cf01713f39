import { Stack } from '../support/stack';

const stack = new Stack();

beforeAll(async () => {
  await stack.start();
});
afterAll(async () => {
  await stack.stop();
});

const IBAN = 'DE89370400440532013000';
const LOG = `mutation($input: LogInteractionInput!) { logInteraction(input: $input) { id } }`;
const interaction = (customerId: string) => ({
  customerId,
  channel: 'PHONE',
  direction: 'INBOUND',
  serviceArea: 'HELPDESK',
  subject: 'During the outage',
  handledBy: 'agent.one',
  competenceLevel: 'FIRST_LEVEL',
  resolvedOnFirstContact: true,
});

it('says a write failed because a peer is down, retryable, and writes nothing', async () => {
  const id = (await stack.data(`mutation { createCustomer(input: { kind: PERSON, firstName: "Otto", lastName: "Outage" }) { id } }`)).createCustomer.id;
  await stack.stopSubgraph('customers');
  try {
    const { text } = await stack.post(LOG, { input: interaction(id) });
    const body = JSON.parse(text);
    expect(body.errors[0]).toMatchObject({
      message: 'The customers service is unavailable; try again later',
      path: ['logInteraction'],
      extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'customers', reason: 'UNAVAILABLE', retryable: true },
    });
    expect(text).not.toMatch(/127\.0\.0\.1|localhost|ECONNREFUSED/);
  } finally {
    await stack.startSubgraph('customers');
  }
  const after = await stack.data(`query($id: ID!) { customer(id: $id) { interactions { totalCount } } }`, { id });
  expect(after.customer.interactions.totalCount).toBe(0);
});

it('does not call a lost mutation answer retryable unless the mutation is idempotent', async () => {
  const id = (await stack.data(`mutation { createCustomer(input: { kind: PERSON, firstName: "Rita", lastName: "Retry" }) { id } }`)).createCustomer.id;
  const today = new Date().toISOString().slice(0, 10);
  await stack.stopSubgraph('billing');
  try {
    const create = await stack.gql(
      `mutation($c: ID!, $d: Date!) { createInvoice(input: { customerId: $c, issueDate: $d, dueDate: $d, total: "10.00" }) { id } }`,
      { c: id, d: today },
    );
    expect(create.errors?.[0]?.extensions).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', serviceName: 'billing', retryable: false });
    const dunning = await stack.gql(`mutation($d: Date!) { runDunning(asOf: $d) { noticesIssued } }`, { d: today });
    expect(dunning.errors?.[0]?.extensions).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', serviceName: 'billing', retryable: true });
    const read = await stack.gql(`query($c: ID!) { customer(id: $c) { displayName openBalance { amount } } }`, { c: id });
    expect(read.errors?.[0]?.extensions).toMatchObject({ serviceName: 'billing', retryable: true });
  } finally {
    await stack.startSubgraph('billing');
  }
});

it('never repeats a malformed variable in its error', async () => {
  const CHANGE = `mutation($c: ID!, $input: PaymentMethodInput!) { changePaymentMethod(customerId: $c, input: $input) { type } }`;
  for (const input of [
    { type: 'SEPA_DIRECT_DEBIT', iban: { iban: IBAN } },
    { type: IBAN, iban: IBAN },
    { type: 'SEPA_DIRECT_DEBIT', iban: IBAN, holder: IBAN },
  ]) {
    const { status, text } = await stack.post(CHANGE, { c: 'someone', input });
    expect(status).toBeLessThan(500);
    const body = JSON.parse(text);
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(text).not.toContain(IBAN);
    expect(text).not.toContain('DE89');
  }
});
