import { FixedClock } from '../../subgraphs/platform';
import { Stack } from '../support/stack';

const stack = new Stack(new FixedClock(new Date('2026-11-22T10:00:00.000Z')));

beforeAll(async () => {
  await stack.start();
});
afterAll(async () => {
  await stack.stop();
});

it('answers a key account with its manager, members, their balances and health, and its revenue against target', async () => {
  const org = async (name: string) =>
    (await stack.data(`mutation($n: String!) { createCustomer(input: { kind: ORGANIZATION, companyName: $n, segment: A }) { id } }`, { n: name }))
      .createCustomer.id;
  const healthy = await org('Gesund AG');
  const troubled = await org('Sorgen GmbH');
  const invoice = async (customerId: string, issueDate: string, dueDate: string, total: string) =>
    (await stack.data(`mutation($i: CreateInvoiceInput!) { createInvoice(input: $i) { id } }`, { i: { customerId, issueDate, dueDate, total } })).createInvoice
      .id;
  await invoice(healthy, '2026-03-01', '2026-03-31', '30000.00');
  await invoice(troubled, '2026-09-01', '2026-10-01', '500.00'); // overdue
  await invoice(troubled, '2025-12-01', '2025-12-31', '99999.00'); // last year: not in revenueYearToDate
  await stack.data(
    `mutation($c: ID!) { fileComplaint(input: { customerId: $c, channel: PHONE, category: "Service", priority: HIGH, description: "Slow" }) { id } }`,
    { c: troubled },
  );
  await stack.data(
    `mutation($c: ID!) { logInteraction(input: { customerId: $c, channel: EMAIL, direction: INBOUND, serviceArea: HELPDESK, subject: "Thanks",
    handledBy: "agent.one", competenceLevel: FIRST_LEVEL, resolvedOnFirstContact: true, satisfaction: 5, occurredAt: "2026-11-20T10:00:00Z" }) { id } }`,
    { c: healthy },
  );
  const managerId = (await stack.data(`mutation { createKeyAccountManager(input: { name: "Klara Key", email: "klara@c360.example", region: "West" }) { id } }`))
    .createKeyAccountManager.id;
  const created = await stack.data(`mutation($i: CreateKeyAccountInput!) { createKeyAccount(input: $i) { id } }`, {
    i: { name: 'Beispiel Gruppe', tier: 'STRATEGIC', managerId, annualRevenueTarget: '36500.00', memberIds: [healthy, troubled] },
  });
  const data = await stack.data(
    `query($id: ID!) { keyAccount(id: $id) { name tier manager { name region keyAccounts { name } }
      annualRevenueTarget { amount } revenueYearToDate { amount currency } targetAttainment
      members { displayName openBalance { amount } overdueBalance { amount } openComplaintCount lastContactAt healthScore keyAccount { name } } } }`,
    { id: created.createKeyAccount.id },
  );
  const account = data.keyAccount;
  account.members.sort((a: { displayName: string }, b: { displayName: string }) => a.displayName.localeCompare(b.displayName));
  expect(account).toMatchObject({
    name: 'Beispiel Gruppe',
    tier: 'STRATEGIC',
    manager: { name: 'Klara Key', region: 'West', keyAccounts: [{ name: 'Beispiel Gruppe' }] },
    annualRevenueTarget: { amount: '36500.00' },
    revenueYearToDate: { amount: '30500.00', currency: 'EUR' },
  });
  // 30500 / (36500 × 326/365): 326 days of 2026 have passed by 2026-11-22.
  expect(account.targetAttainment).toBeCloseTo(30500 / (36500 * (326 / 365)), 10);
  expect(account.members).toEqual([
    // overdue 0, no complaints, contact 2 days ago, satisfaction 5
    {
      displayName: 'Gesund AG',
      openBalance: { amount: '30000.00' },
      overdueBalance: { amount: '30000.00' },
      openComplaintCount: 0,
      lastContactAt: '2026-11-20T10:00:00.000Z',
      healthScore: expect.any(Number),
      keyAccount: { name: 'Beispiel Gruppe' },
    },
    {
      displayName: 'Sorgen GmbH',
      openBalance: { amount: '100499.00' },
      overdueBalance: { amount: '100499.00' },
      openComplaintCount: 1,
      lastContactAt: null,
      healthScore: expect.any(Number),
      keyAccount: { name: 'Beispiel Gruppe' },
    },
  ]);
  // 30000.00 overdue costs 40 × 30000/30500; 100499.00 overdue, a complaint, no contact, unrated cost more.
  expect(account.members[0].healthScore).toBe(Math.round(100 - (40 * 3_000_000) / (3_000_000 + 50_000)));
  expect(account.members[1].healthScore).toBe(Math.round(100 - (40 * 10_049_900) / (10_049_900 + 50_000) - 10 - 20 - 7.5));
});
