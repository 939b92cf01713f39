import type { DataSource } from 'typeorm';
import { Channel, enumValues, insertChunked, seededFaker, weighted, type SeedInput } from '../platform';
import { AddressEntity, CustomerEntity } from './customer.entity';
import { formatCustomerNumber } from './customer.service';

/** Master data for the seed's customers: names, contact data and addresses. */
export async function seedCustomers(dataSource: DataSource, input: SeedInput): Promise<number> {
  const faker = seededFaker(1, input.today);
  const channels = enumValues(Channel);
  const customers: CustomerEntity[] = [];
  const addresses: Omit<AddressEntity, 'id'>[] = [];
  input.customers.forEach((seed, i) => {
    const person = seed.kind === 'PERSON';
    const firstName = person ? faker.person.firstName() : null;
    const lastName = person ? faker.person.lastName() : null;
    const companyName = person ? null : faker.company.name().slice(0, 200);
    const displayName = person ? `${firstName} ${lastName}` : companyName!;
    const createdAt = new Date(`${seed.customerSince}T09:00:00.000Z`);
    customers.push(
      Object.assign(new CustomerEntity(), {
        id: seed.id,
        numberSeq: i + 1,
        customerNumber: formatCustomerNumber(i + 1),
        kind: seed.kind,
        firstName,
        lastName,
        companyName,
        displayName,
        segment: seed.segment,
        status: seed.status,
        customerSince: seed.customerSince,
        email: faker.datatype.boolean(0.9)
          ? faker.internet.email({ firstName: firstName ?? undefined, lastName: lastName ?? undefined }).toLowerCase()
          : null,
        phone: faker.datatype.boolean(0.8) ? `+49${faker.string.numeric({ length: { min: 8, max: 11 }, allowLeadingZeros: false })}` : null,
        preferredChannel: faker.datatype.boolean(0.6) ? weighted(faker, channels.map((c) => [c, c === 'EMAIL' ? 4 : 1] as const)) : null,
        version: 1,
        createdAt,
        updatedAt: createdAt,
      }),
    );
    const country = weighted(faker, [['DE', 85], ['AT', 8], ['CH', 7]] as const);
    const postal = { street: faker.location.streetAddress().slice(0, 200), postalCode: faker.location.zipCode(), city: faker.location.city().slice(0, 100), country };
    addresses.push({ customerId: seed.id, type: 'POSTAL', ...postal });
    if (!person && faker.datatype.boolean(0.5)) {
      addresses.push({ customerId: seed.id, type: 'BILLING', ...postal, street: faker.location.streetAddress().slice(0, 200) });
    }
  });
  await insertChunked(dataSource, CustomerEntity, customers, 500);
  await insertChunked(dataSource, AddressEntity, addresses as AddressEntity[], 1000);
  return customers.length;
}
