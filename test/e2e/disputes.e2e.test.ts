import { FixedClock } from '../../subgraphs/platform';
import { Stack } from '../support/stack';

const clock = new FixedClock(new Date('2026-11-22T10:00:00.000Z'));
const stack = new Stack(clock);

beforeAll(async () => {
  await stack.start();
});
afterAll(async () => {
  await stack.stop();
});

const RUN = `mutation($asOf: Date!) { runDunning(asOf: $asOf) { noticesIssued handedToCollection skippedDisputed skippedBlocked } }`;

it('skips a disputed invoice in dunning until the complaint is resolved (billing asks claims)', async () => {
  const customerId = (await stack.data(`mutation { createCustomer(input: { kind: PERSON, firstName: "Doris", lastName: "Disput" }) { id } }`)).createCustomer
    .id;
  const invoiceId = (
    await stack.data(`mutation($c: ID!) { createInvoice(input: { customerId: $c, issueDate: "2026-09-17", dueDate: "2026-10-01", total: "250.00" }) { id } }`, {
      c: customerId,
    })
  ).createInvoice.id;

  // 1. A complaint disputes the overdue invoice (claims checks it with billing).
  const complaint = await stack.data(
    `mutation($c: ID!, $i: ID!) { fileComplaint(input: { customerId: $c, channel: PHONE, category: "Billing error", priority: HIGH, description: "Never ordered", invoiceId: $i }) {
      id invoice { id invoiceNumber disputed total { amount } } customer { displayName } } }`,
    { c: customerId, i: invoiceId },
  );
  expect(complaint.fileComplaint.invoice).toMatchObject({ id: invoiceId, disputed: true, total: { amount: '250.00' } });
  expect(complaint.fileComplaint.customer.displayName).toBe('Doris Disput');

  // 2. Dunning skips it.
  expect((await stack.data(RUN, { asOf: '2026-11-22' })).runDunning).toEqual({
    noticesIssued: 0,
    handedToCollection: 0,
    skippedDisputed: 1,
    skippedBlocked: 0,
  });

  // 3. The complaint is resolved.
  await stack.data(`mutation($id: ID!) { resolveComplaint(id: $id, resolution: "Delivery proven") { status } }`, { id: complaint.fileComplaint.id });

  // 4. The next day's run escalates.
  clock.set(new Date('2026-11-23T10:00:00.000Z'));
  expect((await stack.data(RUN, { asOf: '2026-11-23' })).runDunning).toEqual({
    noticesIssued: 1,
    handedToCollection: 0,
    skippedDisputed: 0,
    skippedBlocked: 0,
  });
  const invoice = (await stack.data(`query($id: ID!) { invoice(id: $id) { dunningLevel disputed complaints { status } } }`, { id: invoiceId })).invoice;
  expect(invoice).toEqual({ dunningLevel: 1, disputed: false, complaints: [{ status: 'RESOLVED' }] });
});

it('answers the claims side of a customer in the customer 360 query', async () => {
  const customerId = (await stack.data(`mutation { createCustomer(input: { kind: ORGANIZATION, companyName: "Schaden GmbH" }) { id } }`)).createCustomer.id;
  await stack.data(
    `mutation($c: ID!) { reportClaim(input: { customerId: $c, type: DAMAGE, description: "Transport damage", claimedAmount: "800.00" }) { id } }`,
    { c: customerId },
  );
  await stack.data(
    `mutation($c: ID!) { fileComplaint(input: { customerId: $c, channel: EMAIL, category: "Delivery", priority: LOW, description: "Late" }) { id } }`,
    { c: customerId },
  );
  const data = await stack.data(
    `query($id: ID!) { customer(id: $id) { openClaimCount openComplaintCount
      claims(first: 5) { totalCount nodes { status claimedAmount { amount } customer { displayName } } }
      complaints(first: 5) { totalCount nodes { status sla { firstResponseBreached } } } } }`,
    { id: customerId },
  );
  expect(data.customer).toEqual({
    openClaimCount: 1,
    openComplaintCount: 1,
    claims: { totalCount: 1, nodes: [{ status: 'REPORTED', claimedAmount: { amount: '800.00' }, customer: { displayName: 'Schaden GmbH' } }] },
    complaints: { totalCount: 1, nodes: [{ status: 'OPEN', sla: { firstResponseBreached: false } }] },
  });
});
