import { FixedClock } from '../../subgraphs/platform';
import { Stack } from '../support/stack';

const stack = new Stack(new FixedClock(new Date('2026-11-22T10:00:00.000Z')));

beforeAll(async () => {
  await stack.start();
});
afterAll(async () => {
  await stack.stop();
});

const CREATE = `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`;
const LOG = `mutation($input: LogInteractionInput!) { logInteraction(input: $input) { id } }`;
const ADD_PERSON = `mutation($input: ContactPersonInput!) { addContactPerson(input: $input) { id primary } }`;

function interaction(customerId: string, occurredAt: string, channel: string) {
  return {
    customerId,
    channel,
    occurredAt,
    direction: 'INBOUND',
    serviceArea: 'HELPDESK',
    subject: 'Frage',
    handledBy: 'agent.one',
    competenceLevel: 'FIRST_LEVEL',
    resolvedOnFirstContact: true,
  };
}

describe('customer 360 through the gateway', () => {
  let orgId: string;
  let personId: string;

  beforeAll(async () => {
    orgId = (await stack.data(CREATE, { input: { kind: 'ORGANIZATION', companyName: 'Kontakt AG', segment: 'A' } })).createCustomer.id;
    personId = (await stack.data(CREATE, { input: { kind: 'PERSON', firstName: 'Eva', lastName: 'Ohnekontakt' } })).createCustomer.id;
    await stack.data(LOG, { input: interaction(orgId, '2026-11-01T09:00:00Z', 'PHONE') });
    await stack.data(LOG, { input: interaction(orgId, '2026-11-20T14:30:00Z', 'EMAIL') });
    await stack.data(ADD_PERSON, { input: { customerId: orgId, name: 'Karla Kontakt', role: 'Purchasing', primary: true } });
  });

  it('returns the customer with interactions, contact persons and lastContactAt in one query', async () => {
    const data = await stack.data(
      `query($id: ID!) { customer(id: $id) {
        displayName segment
        interactions(first: 5) { totalCount nodes { channel occurredAt customer { displayName } } }
        contactPersons { name role primary customer { id } }
        lastContactAt } }`,
      { id: orgId },
    );
    expect(data.customer).toEqual({
      displayName: 'Kontakt AG',
      segment: 'A',
      interactions: {
        totalCount: 2,
        nodes: [
          { channel: 'EMAIL', occurredAt: '2026-11-20T14:30:00.000Z', customer: { displayName: 'Kontakt AG' } },
          { channel: 'PHONE', occurredAt: '2026-11-01T09:00:00.000Z', customer: { displayName: 'Kontakt AG' } },
        ],
      },
      contactPersons: [{ name: 'Karla Kontakt', role: 'Purchasing', primary: true, customer: { id: orgId } }],
      lastContactAt: '2026-11-20T14:30:00.000Z',
    });
  });

  it('lists customers with their contact fields in one gateway query', async () => {
    const data = await stack.data(`{ customers(first: 10) { nodes { id lastContactAt contactPersons { name } } } }`);
    const byId = new Map(data.customers.nodes.map((n: { id: string }) => [n.id, n]));
    expect(byId.get(orgId)).toMatchObject({ lastContactAt: '2026-11-20T14:30:00.000Z', contactPersons: [{ name: 'Karla Kontakt' }] });
    expect(byId.get(personId)).toMatchObject({ lastContactAt: null, contactPersons: [] });
  });

  it('learns from the customers subgraph that a customer is missing or a PERSON', async () => {
    const missing = await stack.gql(LOG, { input: interaction('no-such-customer', '2026-11-01T09:00:00Z', 'PHONE') });
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const person = await stack.gql(ADD_PERSON, { input: { customerId: personId, name: 'X' } });
    expect(person.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'customerId' });
  });
});

describe('billing through the gateway', () => {
  it('answers a customer with its billing fields, lifetimeValue included (@requires)', async () => {
    const id = (await stack.data(CREATE, { input: { kind: 'ORGANIZATION', companyName: 'Rechnung GmbH', segment: 'A', customerSince: '2024-11-22' } }))
      .createCustomer.id;
    const create = `mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { id } }`;
    const overdue = (await stack.data(create, { input: { customerId: id, issueDate: '2026-10-01', dueDate: '2026-10-31', total: '300.00' } })).createInvoice.id;
    await stack.data(create, { input: { customerId: id, issueDate: '2026-11-15', dueDate: '2026-12-15', total: '100.00' } });
    await stack.data(`mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { id } }`, {
      input: { invoiceId: overdue, amount: '120.00', method: 'BANK_TRANSFER', idempotencyKey: 'e2e-1', receivedAt: '2026-11-05T10:00:00Z' },
    });
    const data = await stack.data(
      `query($id: ID!) { customer(id: $id) { displayName segment
        openBalance { amount currency } overdueBalance { amount } dunningLevel dunningBlocked
        lifetimeRevenue { amount } lifetimeValue { amount } paymentMethod { type }
        invoices(first: 5) { totalCount nodes { total { amount } openAmount { amount } status daysOverdue customer { displayName } } } } }`,
      { id },
    );
    expect(data.customer).toEqual({
      displayName: 'Rechnung GmbH',
      segment: 'A',
      openBalance: { amount: '280.00', currency: 'EUR' },
      overdueBalance: { amount: '180.00' },
      dunningLevel: 0,
      dunningBlocked: false,
      lifetimeRevenue: { amount: '400.00' },
      // 400.00 over two years: 200.00 a year, five more years for segment A.
      lifetimeValue: { amount: '1400.00' },
      paymentMethod: null,
      invoices: {
        totalCount: 2,
        nodes: [
          { total: { amount: '100.00' }, openAmount: { amount: '100.00' }, status: 'OPEN', daysOverdue: 0, customer: { displayName: 'Rechnung GmbH' } },
          {
            total: { amount: '300.00' },
            openAmount: { amount: '180.00' },
            status: 'PARTIALLY_PAID',
            daysOverdue: 22,
            customer: { displayName: 'Rechnung GmbH' },
          },
        ],
      },
    });
  });
});
