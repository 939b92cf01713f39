import type { Faker } from '@faker-js/faker';
import type { DataSource } from 'typeorm';
import { Channel, CompetenceLevel, ServiceArea, insertRows, seededFaker, weighted, type SeedInput } from '../platform';
import { rebuildRollups } from '../platform/rollup';
import { seedCustomerSegments } from '../platform/segment-replica';
import { CONTACTS_ROLLUPS } from './contacts.rollups';

const SEED_DAYS = 730;
/** Customers whose interactions are generated and inserted together, to bound memory. */
const BATCH = 2000;

const CHANNELS: [Channel, number][] = [
  [Channel.PHONE, 24],
  [Channel.EMAIL, 20],
  [Channel.WEB, 12],
  [Channel.SELF_SERVICE, 14],
  [Channel.CHAT, 10],
  [Channel.LETTER, 5],
  [Channel.BRANCH, 5],
  [Channel.SOCIAL_MEDIA, 8],
  [Channel.FAX, 2],
];
const AREAS: [ServiceArea, number][] = [
  [ServiceArea.HELPDESK, 30],
  [ServiceArea.ADMINISTRATION, 20],
  [ServiceArea.COLLECTIONS, 12],
  [ServiceArea.SALES_SUPPORT, 12],
  [ServiceArea.CUSTOMER_INSIGHTS, 8],
  [ServiceArea.CLAIMS, 8],
  [ServiceArea.COMPLAINTS, 10],
];
const SUBJECTS: Record<ServiceArea, string[]> = {
  HELPDESK: ['Login problem', 'Question about the portal', 'Product usage question', 'Technical fault reported'],
  ADMINISTRATION: ['Change of address', 'New e-mail address', 'Change of bank details', 'Name change'],
  COLLECTIONS: ['Payment reminder received', 'Instalment plan request', 'Invoice question', 'Payment method change'],
  SALES_SUPPORT: ['Upgrade offer', 'Contract extension', 'Quote request', 'Product recommendation'],
  CUSTOMER_INSIGHTS: ['Satisfaction survey', 'Product feedback', 'Feature suggestion'],
  CLAIMS: ['Damage report', 'Warranty case', 'Claim status inquiry'],
  COMPLAINTS: ['Complaint about delivery', 'Complaint about service', 'Complaint about invoice'],
};
const AUTOMATIONS = ['self-service-portal', 'chatbot', 'ivr', 'email-autoresponder'];
/** Share resolved on first contact by level: automation solves the standard cases. */
const FCR: Record<CompetenceLevel, number> = { E_LEVEL: 0.85, FIRST_LEVEL: 0.7, SECOND_LEVEL: 0.5, THIRD_LEVEL: 0.35 };

/** E_LEVEL is common where the customer serves themselves, rare where a person answers. */
function competenceFor(faker: Faker, channel: Channel): CompetenceLevel {
  const automated = channel === Channel.SELF_SERVICE || channel === Channel.WEB;
  return automated
    ? weighted(faker, [
        [CompetenceLevel.E_LEVEL, 70],
        [CompetenceLevel.FIRST_LEVEL, 24],
        [CompetenceLevel.SECOND_LEVEL, 6],
      ])
    : weighted(faker, [
        [CompetenceLevel.E_LEVEL, 5],
        [CompetenceLevel.FIRST_LEVEL, 60],
        [CompetenceLevel.SECOND_LEVEL, 27],
        [CompetenceLevel.THIRD_LEVEL, 8],
      ]);
}

/** Mostly 4s and 5s; a contact that needed a follow-up is rated up to one point lower. */
function rating(faker: Faker, resolved: boolean): number {
  const base = weighted(faker, [
    [1, 1],
    [2, 2],
    [3, 4],
    [4, 7],
    [5, 6],
  ] as const);
  return Math.max(1, base - (resolved ? 0 : faker.number.int({ min: 0, max: 1 })));
}

function interaction(faker: Faker, customerId: string, start: number, span: number, agents: string[]): Record<string, unknown> {
  const channel = weighted(faker, CHANNELS);
  const level = competenceFor(faker, channel);
  const area = weighted(faker, AREAS);
  const occurredAt = new Date(start + faker.number.int({ min: 0, max: span }));
  const resolved = faker.datatype.boolean(FCR[level]);
  return {
    id: faker.string.uuid(),
    customer_id: customerId,
    channel,
    direction: faker.datatype.boolean(0.75) ? 'INBOUND' : 'OUTBOUND',
    service_area: area,
    occurred_at: occurredAt,
    subject: faker.helpers.arrayElement(SUBJECTS[area]),
    summary: faker.datatype.boolean(0.6) ? faker.lorem.sentence() : null,
    handled_by: level === CompetenceLevel.E_LEVEL ? faker.helpers.arrayElement(AUTOMATIONS) : faker.helpers.arrayElement(agents),
    competence_level: level,
    resolved_on_first_contact: resolved,
    satisfaction: faker.datatype.boolean(0.4) ? rating(faker, resolved) : null,
    created_at: occurredAt,
  };
}

/**
 * About 10 interactions per customer over the two years up to the seed's
 * today (1,000,000 for the large size), and 1-4 contact persons per
 * organisation, the first of them primary.
 */
export async function seedContacts(dataSource: DataSource, input: SeedInput): Promise<number> {
  const faker = seededFaker(2, input.today);
  const end = Date.parse(`${input.today}T00:00:00.000Z`);
  const start = end - SEED_DAYS * 86_400_000;
  const agents = Array.from({ length: 40 }, () => `${faker.person.firstName().toLowerCase()}.${faker.person.lastName().toLowerCase()}`.replace(/[^a-z.]/g, ''));
  let total = 0;
  // The replica of the customers' segments first (platform/segment-replica.ts): each interaction's insert trigger takes its segment from it.
  await seedCustomerSegments(dataSource, input);
  for (let b = 0; b < input.customers.length; b += BATCH) {
    const interactions: Record<string, unknown>[] = [];
    const persons: Record<string, unknown>[] = [];
    for (const customer of input.customers.slice(b, b + BATCH)) {
      const count = customer.status === 'PROSPECT' ? faker.number.int({ min: 0, max: 4 }) : faker.number.int({ min: 2, max: 18 });
      for (let i = 0; i < count; i++) interactions.push(interaction(faker, customer.id, start, end - start - 1, agents));
      if (customer.kind === 'ORGANIZATION') {
        const people = faker.number.int({ min: 1, max: 4 });
        for (let p = 0; p < people; p++) {
          const name = faker.person.fullName();
          persons.push({
            id: faker.string.uuid(),
            customer_id: customer.id,
            name,
            role: faker.helpers.arrayElement(['Managing Director', 'Purchasing', 'Accounts Payable', 'IT', 'Office Manager']),
            email: faker.internet.email({ firstName: name.split(' ')[0], lastName: name.split(' ').slice(-1)[0] }).toLowerCase(),
            phone: `+49${faker.string.numeric({ length: 10, allowLeadingZeros: false })}`,
            primary_marker: p === 0 ? 1 : null,
            created_at: new Date(`${customer.customerSince}T10:00:00.000Z`),
          });
        }
      }
    }
    await insertRows(dataSource, 'interactions', interactions);
    await insertRows(dataSource, 'contact_persons', persons);
    total += interactions.length + persons.length;
  }
  // The triggers journalled every row; one GROUP BY per rollup is far cheaper than folding millions of journal rows.
  await rebuildRollups(dataSource, CONTACTS_ROLLUPS);
  return total;
}
