import type { DataSource } from 'typeorm';
import { addDaysUtc, insertRows, seededFaker, weighted, type SeedInput } from '../platform';

const REGIONS = ['Nord', 'Süd', 'West', 'Ost', 'DACH International'];

/** Demo: 40 key accounts of 2-5 organisations each, 8 managers; large: 500 and 40. */
export async function seedKeyAccounts(dataSource: DataSource, input: SeedInput): Promise<number> {
  const faker = seededFaker(5, input.today);
  const [accountCount, managerCount] = input.size === 'large' ? [500, 40] : [40, 8];
  const managers = Array.from({ length: managerCount }, (_, i) => {
    const first = faker.person.firstName();
    const last = faker.person.lastName();
    return {
      id: faker.string.uuid(),
      name: `${first} ${last}`,
      email: `${first}.${last}@customer360.example`.toLowerCase().replace(/[^a-z.@0-9]/g, ''),
      region: REGIONS[i % REGIONS.length],
    };
  });
  // Key accounts are drawn from the A and B organisations first: the most valuable ones.
  const organisations = faker.helpers.shuffle(input.customers.filter((c) => c.kind === 'ORGANIZATION' && c.status !== 'PROSPECT'));
  organisations.sort((a, b) => a.segment.localeCompare(b.segment));
  const accounts: Record<string, unknown>[] = [];
  const members: Record<string, unknown>[] = [];
  let next = 0;
  for (let i = 0; i < accountCount && next < organisations.length; i++) {
    const size = faker.number.int({ min: 2, max: 5 });
    const group = organisations.slice(next, next + size);
    next += size;
    const id = faker.string.uuid();
    const since = group.map((c) => c.customerSince).sort()[0]!;
    accounts.push({
      id,
      name: `${faker.company.name()} Gruppe`.slice(0, 200),
      tier: weighted(faker, [
        ['STRATEGIC', 1],
        ['KEY', 3],
        ['DEVELOPMENT', 2],
      ] as const),
      manager_id: managers[i % managers.length]!.id,
      annual_target_minor: faker.number.int({ min: 50, max: 2000 }) * 100_000,
      since: since < addDaysUtc(input.today, -3650) ? addDaysUtc(input.today, -3650) : since,
      updated_at: new Date(`${input.today}T00:00:00.000Z`),
    });
    for (const c of group) members.push({ customer_id: c.id, key_account_id: id, added_at: new Date(`${since}T10:00:00.000Z`) });
  }
  await insertRows(dataSource, 'key_account_managers', managers);
  await insertRows(dataSource, 'key_accounts', accounts);
  await insertRows(dataSource, 'key_account_members', members);
  return accounts.length;
}
