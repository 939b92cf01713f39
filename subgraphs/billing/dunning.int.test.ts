import { billingHarness } from '../../test/support/billing';
import { findTimeline } from '../platform/timeline';
import { billingTimeline } from './billing.timeline';

let t: Awaited<ReturnType<typeof billingHarness>>;
const RUN = `mutation($asOf: Date!) { runDunning(asOf: $asOf) { asOf noticesIssued handedToCollection skippedDisputed skippedBlocked } }`;
const NOTICES = `query($id: ID!) { invoice(id: $id) { status dunningLevel dunningNotices { level issuedOn payBy channel fee { amount } interest { amount } } } }`;
const BLOCK = `mutation($id: ID!, $blocked: Boolean!) { setDunningBlock(customerId: $id, blocked: $blocked, reason: "Ratenzahlung vereinbart") { id dunningBlocked } }`;

const run = async (asOf: string) => (await t.ok(RUN, { asOf })).runDunning;
const notices = async (id: string) => (await t.ok(NOTICES, { id })).invoice;

let person: string; // PERSON, 1000.00 due 2026-10-01, 400.00 paid on 2026-11-10
let org: string; // ORGANIZATION, 1000.00 due 2026-10-25
let blocked: string; // PERSON with a dunning block, due 2026-10-01
let disputed: string; // disputed by a complaint, due 2026-10-01
let paid: string; // paid in full, due 2026-10-01

beforeAll(async () => {
  t = await billingHarness();
  t.directory.add('p', 'PERSON').add('o', 'ORGANIZATION').add('b', 'PERSON').add('d', 'PERSON');
  person = (await t.invoice('p', '2026-09-17', '2026-10-01', '1000.00')).id;
  org = (await t.invoice('o', '2026-09-25', '2026-10-25', '1000.00')).id;
  blocked = (await t.invoice('b', '2026-09-17', '2026-10-01', '200.00')).id;
  disputed = (await t.invoice('d', '2026-09-17', '2026-10-01', '300.00')).id;
  paid = (await t.invoice('p', '2026-09-17', '2026-10-01', '50.00')).id;
  await t.pay(paid, '50.00', 'paid-in-full', '2026-09-30T10:00:00Z');
  await t.ok(BLOCK, { id: 'b', blocked: true });
  t.disputes.ids.add(disputed);
});
afterAll(async () => {
  await t?.h.close();
});

it('issues nothing before the first threshold (7 days)', async () => {
  expect(await run('2026-10-07')).toEqual({ asOf: '2026-10-07', noticesIssued: 0, handedToCollection: 0, skippedDisputed: 0, skippedBlocked: 0 });
});

it('sends the payment reminder at 7 days, without fee or interest, and skips blocked and disputed invoices', async () => {
  expect(await run('2026-10-08')).toEqual({ asOf: '2026-10-08', noticesIssued: 1, handedToCollection: 0, skippedDisputed: 1, skippedBlocked: 1 });
  expect(await notices(person)).toEqual({
    status: 'OPEN',
    dunningLevel: 1,
    dunningNotices: [{ level: 1, issuedOn: '2026-10-08', payBy: '2026-10-22', channel: 'EMAIL', fee: { amount: '0.00' }, interest: { amount: '0.00' } }],
  });
  expect((await notices(paid)).dunningLevel).toBe(0);
});

it('changes nothing when run twice for the same date, and answers what that run did', async () => {
  expect(await run('2026-10-08')).toEqual({ asOf: '2026-10-08', noticesIssued: 1, handedToCollection: 0, skippedDisputed: 1, skippedBlocked: 1 });
  const [{ n }] = await t.h.dataSource.query('SELECT COUNT(*) AS n FROM dunning_notices');
  expect(Number(n)).toBe(1);
});

it('escalates one level per run, with fee and default interest on the open amount from level 2', async () => {
  await t.pay(person, '400.00', 'partial-p', '2026-11-10T10:00:00Z');
  // 45 days overdue would justify level 3, but a run moves one level: level 2.
  // Interest: 600.00 × (1.27 % + 5 %) × 45 / 365 = 4.638… → 4.64
  expect(await run('2026-11-15')).toMatchObject({ noticesIssued: 2 });
  expect((await notices(person)).dunningNotices[1]).toEqual({
    level: 2,
    issuedOn: '2026-11-15',
    payBy: '2026-11-29',
    channel: 'LETTER',
    fee: { amount: '5.00' },
    interest: { amount: '4.64' },
  });
  // The organisation's invoice (21 days) gets its first reminder in the same run.
  expect((await notices(org)).dunningLevel).toBe(1);

  // Level 3, 46 days: 600.00 × 6.27 % × 46 / 365 = 4.741… → 4.74. Organisation level 2,
  // 22 days at 1.27 % + 9 %: 1000.00 × 10.27 % × 22 / 365 = 6.190… → 6.19.
  expect(await run('2026-11-16')).toMatchObject({ noticesIssued: 2, handedToCollection: 0 });
  expect((await notices(person)).dunningNotices[2]).toMatchObject({ level: 3, fee: { amount: '10.00' }, interest: { amount: '4.74' } });
  expect((await notices(org)).dunningNotices[1]).toMatchObject({ level: 2, fee: { amount: '5.00' }, interest: { amount: '6.19' } });
});

it('hands over to collection at 49 days after the final notice, once', async () => {
  expect(await run('2026-11-18')).toMatchObject({ noticesIssued: 0, handedToCollection: 0 });
  expect(await run('2026-11-19')).toMatchObject({ noticesIssued: 0, handedToCollection: 1 });
  expect(await notices(person)).toMatchObject({ status: 'IN_COLLECTION', dunningLevel: 3 });
  expect(await run('2026-11-20')).toMatchObject({ handedToCollection: 0 });
});

it('duns a blocked customer again once the block is lifted, and a dispute once it is settled', async () => {
  await t.ok(BLOCK, { id: 'b', blocked: false });
  t.disputes.ids.delete(disputed);
  expect(await run('2026-11-21')).toMatchObject({ noticesIssued: 2, skippedBlocked: 0, skippedDisputed: 0 });
  expect((await notices(blocked)).dunningLevel).toBe(1);
  expect((await notices(disputed)).dunningLevel).toBe(1);
});

it('refuses a dunning block without a reason and on an unknown customer', async () => {
  const noReason = await t.h.execute(`mutation { setDunningBlock(customerId: "p", blocked: true, reason: " ") { id } }`);
  expect(noReason.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
  const unknown = await t.h.execute(`mutation { setDunningBlock(customerId: "ghost", blocked: true, reason: "x") { id } }`);
  expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
});

it("gives the customer timeline every notice and the handover, each on its run's day, as the raw rows have them", async () => {
  const timeline = await findTimeline(t.h.dataSource, 'billing', billingTimeline, {
    customerIds: ['p'],
    kinds: ['DUNNING_NOTICE', 'COLLECTION_HANDOVER'],
    limit: 101,
  });
  const events = timeline.map((e) => [e.kind, e.at.toISOString(), e.entityId]);
  const rows: { issued_on: unknown; level: unknown }[] = await t.h.dataSource.query(
    `SELECT n.issued_on, n.level FROM dunning_notices n JOIN invoices i ON i.id = n.invoice_id WHERE i.customer_id = 'p' ORDER BY n.issued_on DESC`,
  );
  const day = (d: unknown) => `${String(d instanceof Date ? d.toISOString().slice(0, 10) : d)}T00:00:00.000Z`;
  expect(events).toEqual([['COLLECTION_HANDOVER', '2026-11-19T00:00:00.000Z', person], ...rows.map((r) => ['DUNNING_NOTICE', day(r.issued_on), person])]);
  expect(rows).toHaveLength(3);
  expect(timeline[0]!.summary).toMatch(/^Invoice \S+ handed to collection$/);
});
