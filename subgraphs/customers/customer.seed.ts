import type { DataSource } from 'typeorm';
import { Channel, advanceSequence, enumValues, insertRows, seededFaker, weighted, type SeedInput } from '../platform';
import { formatCustomerNumber } from './customer.service';

/** Master data for the seed's customers: names, contact data and addresses. */
export async function seedCustomers(dataSource: DataSource, input: SeedInput): Promise<number> {
  const faker = seededFaker(1, input.today);
  const channels = enumValues(Channel);
  const customers: Record<string, unknown>[] = [];
  const addresses: Record<string, unknown>[] = [];
  input.customers.forEach((seed, i) => {
    const person = seed.kind === 'PERSON';
    const firstName = person ? faker.person.firstName() : null;
    const lastName = person ? faker.person.lastName() : null;
    const companyName = person ? null : faker.company.name().slice(0, 200);
    const displayName = person ? `${firstName} ${lastName}` : companyName!;
    const createdAt = new Date(`${seed.customerSince}T09:00:00.000Z`);
    customers.push({
      id: seed.id,
      number_seq: i + 1,
      customer_number: formatCustomerNumber(i + 1),
      kind: seed.kind,
      first_name: firstName,
      last_name: lastName,
      company_name: companyName,
      display_name: displayName,
      segment: seed.segment,
      status: seed.status,
      customer_since: seed.customerSince,
      email: faker.datatype.boolean(0.9) ? faker.internet.email({ firstName: firstName ?? undefined, lastName: lastName ?? undefined }).toLowerCase() : null,
      phone: faker.datatype.boolean(0.8) ? `+49${faker.string.numeric({ length: { min: 8, max: 11 }, allowLeadingZeros: false })}` : null,
      preferred_channel: faker.datatype.boolean(0.6)
        ? weighted(
            faker,
            channels.map((c) => [c, c === 'EMAIL' ? 4 : 1] as const),
          )
        : null,
      version: 1,
      created_at: createdAt,
      updated_at: createdAt,
    });
    const country = weighted(faker, [
      ['DE', 85],
      ['AT', 8],
      ['CH', 7],
    ] as const);
    const postal = {
      street: faker.location.streetAddress().slice(0, 200),
      postal_code: faker.location.zipCode(),
      city: faker.location.city().slice(0, 100),
      country,
    };
    addresses.push({ customer_id: seed.id, type: 'POSTAL', ...postal });
    if (!person && faker.datatype.boolean(0.5)) {
      addresses.push({ customer_id: seed.id, type: 'BILLING', ...postal, street: faker.location.streetAddress().slice(0, 200) });
    }
  });
  await insertRows(dataSource, 'customers', customers);
  await advanceSequence(dataSource.manager, 'customer_number_seq', customers.length);
  await insertRows(dataSource, 'customer_addresses', addresses);
  return customers.length;
}
