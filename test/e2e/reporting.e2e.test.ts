import { FixedClock } from '../../subgraphs/platform';
import { Stack } from '../support/stack';

const stack = new Stack(new FixedClock(new Date('2026-11-22T10:00:00.000Z')));

beforeAll(async () => {
  await stack.start();
});
afterAll(async () => {
  await stack.stop();
});

it('joins every subgraph\'s figures per segment, each summed in SQL by its owner', async () => {
  const create = async (segment: string, status: string) =>
    (await stack.data(`mutation($s: CustomerSegment!, $st: CustomerStatus!) { createCustomer(input: { kind: ORGANIZATION, companyName: "Seg", segment: $s, status: $st }) { id } }`, { s: segment, st: status })).createCustomer.id;
  const a1 = await create('A', 'ACTIVE');
  const a2 = await create('A', 'DORMANT');
  const b1 = await create('B', 'ACTIVE');
  await stack.data(`mutation($c: ID!) { createInvoice(input: { customerId: $c, issueDate: "2026-10-01", dueDate: "2026-10-15", total: "100.00" }) { id } }`, { c: a1 });
  await stack.data(`mutation($c: ID!) { createInvoice(input: { customerId: $c, issueDate: "2026-11-20", dueDate: "2026-12-20", total: "50.00" }) { id } }`, { c: a2 });
  await stack.data(`mutation($c: ID!) { createInvoice(input: { customerId: $c, issueDate: "2026-11-01", dueDate: "2026-11-10", total: "70.00" }) { id } }`, { c: b1 });
  await stack.data(`mutation($c: ID!) { fileComplaint(input: { customerId: $c, channel: EMAIL, category: "x", priority: LOW, description: "x" }) { id } }`, { c: a2 });
  const log = (c: string, at: string) =>
    stack.data(`mutation($c: ID!, $at: DateTime) { logInteraction(input: { customerId: $c, channel: PHONE, direction: INBOUND, serviceArea: HELPDESK, subject: "x",
      handledBy: "a", competenceLevel: FIRST_LEVEL, resolvedOnFirstContact: true, occurredAt: $at }) { id } }`, { c, at });
  await log(a1, '2026-11-01T10:00:00Z');
  await log(a1, '2026-08-25T00:00:00Z'); // the first of the 90 days up to today (2026-08-25 .. 2026-11-22)
  await log(b1, '2026-08-24T23:59:59Z'); // one second before them
  const report = (await stack.data(`{ segmentReport { segment customerCount activeCustomerCount openBalance { amount currency } overdueBalance { amount } openComplaintCount recentInteractionCount } }`)).segmentReport;
  expect(report).toEqual([
    { segment: 'A', customerCount: 2, activeCustomerCount: 1, openBalance: { amount: '150.00', currency: 'EUR' }, overdueBalance: { amount: '100.00' }, openComplaintCount: 1, recentInteractionCount: 2 },
    { segment: 'B', customerCount: 1, activeCustomerCount: 1, openBalance: { amount: '70.00', currency: 'EUR' }, overdueBalance: { amount: '70.00' }, openComplaintCount: 0, recentInteractionCount: 0 },
    { segment: 'C', customerCount: 0, activeCustomerCount: 0, openBalance: { amount: '0.00', currency: 'EUR' }, overdueBalance: { amount: '0.00' }, openComplaintCount: 0, recentInteractionCount: 0 },
  ]);
});

it('keeps the helper field customerIds out of the public API', async () => {
  const result = await stack.gql(`{ segmentReport { customerIds } }`);
  expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
});
