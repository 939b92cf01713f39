import { Faker, de, en, base } from '@faker-js/faker';
import type { DataSource } from 'typeorm';
import { parse } from 'uuid';
import { customerIdAt } from './id-range';
import { addDaysUtc, placeholders, sqlInstant } from './sql';
import type { SeedCustomer, SeedSize } from './subgraph';

/** Customers per seed size (issue 2): demo 1,000, large 100,000. */
export const SEED_CUSTOMER_COUNT: Record<SeedSize, number> = { demo: 1_000, large: 100_000 };

/** The fixed seed that makes every run produce the same data. */
export const SEED = 360;

/** A German-first faker with its own fixed seed, so each subgraph's data is stable on its own. */
export function seededFaker(stream: number, today: string): Faker {
  const faker = new Faker({ locale: [de, en, base] });
  faker.seed(SEED * 1000 + stream);
  faker.setDefaultRefDate(`${today}T12:00:00.000Z`);
  return faker;
}

/** Picks a value by weight, e.g. weighted(f, [['A', 1], ['B', 3]]). */
export function weighted<T>(faker: Faker, choices: readonly (readonly [T, number])[]): T {
  return faker.helpers.weightedArrayElement(choices.map(([value, weight]) => ({ value, weight })));
}

/**
 * Who the customers are, shared by every subgraph's seed: ids, kind, segment,
 * status and since. Each subgraph adds its own data for these customers and
 * never reads another subgraph's database to do so. Ids are UUIDv7 as the
 * customers subgraph mints them (newCustomerId), one millisecond apart up to
 * `today`, so they sort in customer-number order as created customers' do.
 */
export function seedUniverse(size: SeedSize, today: string): SeedCustomer[] {
  const faker = seededFaker(0, today);
  const count = SEED_CUSTOMER_COUNT[size];
  const createdFrom = Date.parse(`${today}T00:00:00.000Z`) - count;
  const customers: SeedCustomer[] = [];
  for (let i = 0; i < count; i++) {
    customers.push({
      id: customerIdAt(createdFrom + i, parse(faker.string.uuid())),
      kind: weighted(faker, [
        ['PERSON', 7],
        ['ORGANIZATION', 3],
      ] as const),
      segment: weighted(faker, [
        ['A', 1],
        ['B', 3],
        ['C', 6],
      ] as const),
      status: weighted(faker, [
        ['ACTIVE', 70],
        ['DORMANT', 12],
        ['CHURNED', 8],
        ['PROSPECT', 10],
      ] as const),
      customerSince: addDaysUtc(today, -faker.number.int({ min: 0, max: 8 * 365 })),
    });
  }
  return customers;
}

/**
 * Multi-row INSERTs in chunks: one statement per `chunk` rows rather than one
 * per row, which is what keeps the large seed within minutes. Rows are keyed
 * by column name; instants and booleans are converted for the driver. The
 * chunk keeps the bound parameters under SQLite's limit (32,766).
 */
export async function insertRows(dataSource: DataSource, table: string, rows: Record<string, unknown>[], chunk = 1000): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const tuple = `(${placeholders(columns.length)})`;
  const head = `INSERT INTO ${dataSource.driver.escape(table)} (${columns.map((c) => dataSource.driver.escape(c)).join(', ')}) VALUES `;
  for (let i = 0; i < rows.length; i += chunk) {
    const slice = rows.slice(i, i + chunk);
    const params: unknown[] = [];
    for (const row of slice) {
      for (const column of columns) {
        const value = row[column];
        params.push(value instanceof Date ? sqlInstant(dataSource, value) : typeof value === 'boolean' ? Number(value) : (value ?? null));
      }
    }
    await dataSource.query(head + slice.map(() => tuple).join(', '), params);
  }
}
