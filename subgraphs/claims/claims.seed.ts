import type { Faker } from '@faker-js/faker';
import type { DataSource } from 'typeorm';
import { Channel, CompetenceLevel, advanceSequence, insertRows, seededFaker, weighted, type SeedCustomer, type SeedInput } from '../platform';
import { seedCustomerSegments } from '../platform/segment-replica';
import { formatClaimNumber } from './claim.service';
import { DEFAULT_SLA, dueTimes, type PriorityName } from './claims.policy';
import { rebuildRollups } from '../platform/rollup';
import { CLAIMS_ROLLUPS } from './claims.rollups';

const HOUR = 3_600_000;
const DAYS = 730;
const CATEGORIES = ['Billing error', 'Delivery delay', 'Product quality', 'Staff behaviour', 'Contract terms', 'Technical fault'];

interface Rows {
  claims: Record<string, unknown>[];
  events: Record<string, unknown>[];
  complaints: Record<string, unknown>[];
  complaintEvents: Record<string, unknown>[];
}

/** A claim and the history that brought it to its status. */
function claim(faker: Faker, rows: Rows, seq: number, customer: SeedCustomer, now: number): void {
  const id = faker.string.uuid();
  const reported = now - faker.number.int({ min: 1, max: DAYS * 24 }) * HOUR;
  const ageDays = (now - reported) / (24 * HOUR);
  const claimed = faker.datatype.boolean(0.7) ? faker.number.int({ min: 5_000, max: 500_000 }) : null;
  const path: string[] = ['REPORTED'];
  if (ageDays > 3) path.push('IN_REVIEW');
  if (ageDays > 14) {
    path.push(faker.datatype.boolean(0.7) ? 'APPROVED' : 'REJECTED');
    if (path[2] === 'APPROVED' && ageDays > 30) path.push('SETTLED');
    if (ageDays > 60 && (path[3] === 'SETTLED' || path[2] === 'REJECTED')) path.push('CLOSED');
  }
  let at = reported;
  path.forEach((to, i) => {
    if (i > 0) at += faker.number.int({ min: 1, max: Math.max(1, Math.floor((now - at) / HOUR / (path.length - i + 1))) }) * HOUR;
    rows.events.push({
      id: faker.string.uuid(),
      claim_id: id,
      seq: i + 1,
      at: new Date(at),
      from_status: i === 0 ? null : path[i - 1],
      to_status: to,
      note: null,
      actor: i === 0 ? 'customer-portal' : 'claims.team',
    });
  });
  const status = path[path.length - 1]!;
  const decision = path.includes('APPROVED') ? 'APPROVED' : path.includes('REJECTED') ? 'REJECTED' : null;
  const settled = path.includes('SETTLED')
    ? claimed === null
      ? faker.number.int({ min: 5_000, max: 100_000 })
      : Math.floor(claimed * faker.number.float({ min: 0.5, max: 1 }))
    : null;
  rows.claims.push({
    id,
    claim_number: formatClaimNumber(seq),
    number_seq: seq,
    customer_id: customer.id,
    type: weighted(faker, [
      ['DAMAGE', 4],
      ['TECHNICAL_DEFECT', 3],
      ['WARRANTY', 2],
      ['SERVICE_FAILURE', 2],
    ] as const),
    status,
    decision,
    reported_at: new Date(reported),
    incident_date: new Date(reported - faker.number.int({ min: 0, max: 20 }) * 24 * HOUR).toISOString().slice(0, 10),
    description: faker.lorem.sentence(),
    claimed_minor: claimed,
    settled_minor: settled,
    currency: 'EUR',
    version: path.length,
    updated_at: new Date(at),
  });
}

/** A complaint, answered and resolved mostly within its SLA, some late, recent ones still open. */
function complaint(faker: Faker, rows: Rows, customerId: string, received: number, now: number, invoiceId: string | null): void {
  const id = faker.string.uuid();
  const priority = weighted(faker, [
    ['LOW', 3],
    ['MEDIUM', 4],
    ['HIGH', 2],
    ['CRITICAL', 1],
  ] as const) as PriorityName;
  const due = dueTimes(new Date(received), priority, DEFAULT_SLA);
  const late = faker.datatype.boolean(0.15);
  const respondAfter =
    DEFAULT_SLA[priority].firstResponseHours * HOUR * (late ? faker.number.float({ min: 1.1, max: 3 }) : faker.number.float({ min: 0.1, max: 1 }));
  const resolveAfter =
    DEFAULT_SLA[priority].resolutionHours *
    HOUR *
    (faker.datatype.boolean(0.2) ? faker.number.float({ min: 1.05, max: 2.5 }) : faker.number.float({ min: 0.2, max: 1 }));
  const responded = invoiceId === null || faker.datatype.boolean(0.5) ? received + respondAfter : null;
  const resolved = invoiceId === null && received + resolveAfter < now ? received + resolveAfter : null;
  const escalatedToo = faker.datatype.boolean(0.15);
  let status = 'OPEN';
  if (responded !== null && responded < now) status = escalatedToo ? 'ESCALATED' : 'IN_PROGRESS';
  if (resolved !== null) status = faker.datatype.boolean(0.5) ? 'CLOSED' : 'RESOLVED';
  const firstResponse = responded !== null && responded < now ? new Date(responded) : null;
  rows.complaints.push({
    id,
    customer_id: customerId,
    channel: weighted(faker, [
      [Channel.PHONE, 4],
      [Channel.EMAIL, 4],
      [Channel.LETTER, 1],
      [Channel.WEB, 2],
      [Channel.SOCIAL_MEDIA, 1],
      [Channel.BRANCH, 1],
    ] as const),
    category: invoiceId ? 'Billing error' : faker.helpers.arrayElement(CATEGORIES),
    priority,
    status,
    competence_level: escalatedToo ? CompetenceLevel.SECOND_LEVEL : CompetenceLevel.FIRST_LEVEL,
    received_at: new Date(received),
    first_response_due_at: due.firstResponseDueAt,
    resolution_due_at: due.resolutionDueAt,
    first_response_at: firstResponse,
    resolved_at: resolved === null ? null : new Date(resolved),
    description: faker.lorem.sentence(),
    resolution: resolved === null ? null : 'Explained and corrected',
    invoice_id: invoiceId,
    updated_at: new Date(Math.min(now, resolved ?? responded ?? received)),
  });
  if (firstResponse)
    rows.complaintEvents.push({
      id: faker.string.uuid(),
      complaint_id: id,
      at: firstResponse,
      kind: 'RESPONSE',
      message: 'We are looking into it.',
      actor: 'service.team',
    });
  if (resolved !== null)
    rows.complaintEvents.push({
      id: faker.string.uuid(),
      complaint_id: id,
      at: new Date(resolved),
      kind: 'RESOLUTION',
      message: 'Explained and corrected',
      actor: 'service.team',
    });
}

/**
 * About one claim per 5 customers and one complaint per 8, over two years;
 * some complaints breach their SLA, and some dispute overdue invoices (from
 * billing's seed, handed over in `shared.overdueInvoices`).
 */
export async function seedClaims(dataSource: DataSource, input: SeedInput): Promise<number> {
  const faker = seededFaker(4, input.today);
  const now = Date.parse(`${input.today}T00:00:00.000Z`);
  const active = input.customers.filter((c) => c.status !== 'PROSPECT');
  const rows: Rows = { claims: [], events: [], complaints: [], complaintEvents: [] };
  for (let i = 0; i < Math.round(input.customers.length / 5); i++) claim(faker, rows, i + 1, faker.helpers.arrayElement(active), now);
  const overdue = (input.shared.overdueInvoices as { id: string; customerId: string }[] | undefined) ?? [];
  const disputes = faker.helpers.arrayElements(overdue, Math.min(overdue.length, Math.ceil(input.customers.length / 80)));
  for (const invoice of disputes) complaint(faker, rows, invoice.customerId, now - faker.number.int({ min: 1, max: 20 * 24 }) * HOUR, now, invoice.id);
  for (let i = disputes.length; i < Math.round(input.customers.length / 8); i++) {
    complaint(faker, rows, faker.helpers.arrayElement(active).id, now - faker.number.int({ min: 1, max: DAYS * 24 }) * HOUR, now, null);
  }
  await insertRows(dataSource, 'claims', rows.claims);
  await advanceSequence(dataSource.manager, 'claim_number_seq', rows.claims.length);
  await insertRows(dataSource, 'claim_events', rows.events);
  await insertRows(dataSource, 'complaints', rows.complaints);
  await insertRows(dataSource, 'complaint_events', rows.complaintEvents);
  // SegmentReport joins against this replica of the customers' segments (platform/segment-replica.ts).
  await seedCustomerSegments(dataSource, input);
  // The triggers journalled every row; one GROUP BY per rollup is far cheaper than folding the journal.
  await rebuildRollups(dataSource, CLAIMS_ROLLUPS);
  return rows.claims.length + rows.complaints.length;
}
