import { In, type DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { forUpdate, likeContains, nextInSequence } from '../platform';
import { AddressEntity, CustomerEntity } from './customer.entity';
import type { AddressDraft } from './customer.validation';

/** The list filter after validation: empty lists and blank search already removed. */
export interface CustomerQuery {
  segments?: string[];
  statuses?: string[];
  kinds?: string[];
  search?: string;
  customerSinceFrom?: string;
  customerSinceTo?: string;
}

/** What a page of customers as columns shows of each (CustomerColumns), with its sort key. */
export type CustomerColumnRow = Pick<CustomerEntity, 'id' | 'numberSeq' | 'customerNumber' | 'displayName' | 'kind' | 'segment' | 'status' | 'customerSince'>;

/** All SQL of the customers subgraph. Each method is one statement. */
export class CustomerRepository {
  constructor(private readonly manager: EntityManager) {}

  static of(source: DataSource | EntityManager): CustomerRepository {
    return new CustomerRepository('manager' in source ? source.manager : source);
  }

  findByIds(ids: readonly string[]): Promise<CustomerEntity[]> {
    return this.manager.find(CustomerEntity, { where: { id: In([...ids]) } });
  }

  /**
   * Customers with their addresses (in id order), in one statement: the
   * by-id loader primes the address loader with them, so a customer 360
   * reads the customers subgraph once.
   */
  findWithAddresses(ids: readonly string[]): Promise<CustomerEntity[]> {
    return this.manager
      .createQueryBuilder(CustomerEntity, 'c')
      .leftJoinAndMapMany('c.joinedAddresses', AddressEntity, 'a', 'a.customer_id = c.id')
      .where('c.id IN (:...ids)', { ids: [...ids] })
      .orderBy('a.id', 'ASC')
      .getMany();
  }

  /** The customer, locked for the rest of the transaction (see platform `forUpdate`). */
  findForUpdate(id: string): Promise<CustomerEntity | null> {
    return forUpdate(this.manager.createQueryBuilder(CustomerEntity, 'c').where('c.id = :id', { id })).getOne();
  }

  findByNumber(customerNumber: string): Promise<CustomerEntity | null> {
    return this.manager.findOne(CustomerEntity, { where: { customerNumber } });
  }

  findAddresses(customerIds: readonly string[]): Promise<AddressEntity[]> {
    return this.manager.find(AddressEntity, { where: { customerId: In([...customerIds]) }, order: { id: 'ASC' } });
  }

  private filtered(query: CustomerQuery): SelectQueryBuilder<CustomerEntity> {
    const qb = this.manager.createQueryBuilder(CustomerEntity, 'c');
    if (query.segments) qb.andWhere('c.segment IN (:...segments)', { segments: query.segments });
    if (query.statuses) qb.andWhere('c.status IN (:...statuses)', { statuses: query.statuses });
    if (query.kinds) qb.andWhere('c.kind IN (:...kinds)', { kinds: query.kinds });
    if (query.customerSinceFrom) qb.andWhere('c.customer_since >= :sinceFrom', { sinceFrom: query.customerSinceFrom });
    if (query.customerSinceTo) qb.andWhere('c.customer_since <= :sinceTo', { sinceTo: query.customerSinceTo });
    if (query.search) {
      qb.andWhere("(c.display_name LIKE :q ESCAPE '!' OR c.customer_number LIKE :q ESCAPE '!' OR c.email LIKE :q ESCAPE '!')", {
        q: likeContains(query.search),
      });
    }
    return qb;
  }

  /** Up to `limit` customers after `afterSeq`, in customer-number order. */
  list(query: CustomerQuery, afterSeq: number | undefined, limit: number): Promise<CustomerEntity[]> {
    const qb = this.filtered(query);
    if (afterSeq !== undefined) qb.andWhere('c.number_seq > :afterSeq', { afterSeq });
    return qb.orderBy('c.number_seq', 'ASC').take(limit).getMany();
  }

  /**
   * As list, only what a page of columns shows (CustomerColumnRow), read as
   * raw rows: on the large seed, hydrating whole entities was about a fifth
   * of this subgraph's CPU per customers export.
   */
  async listColumns(query: CustomerQuery, afterSeq: number | undefined, limit: number): Promise<CustomerColumnRow[]> {
    const qb = this.filtered(query)
      .select('c.id', 'id')
      .addSelect('c.number_seq', 'numberSeq')
      .addSelect('c.customer_number', 'customerNumber')
      .addSelect('c.display_name', 'displayName')
      .addSelect('c.kind', 'kind')
      .addSelect('c.segment', 'segment')
      .addSelect('c.status', 'status')
      .addSelect('c.customer_since', 'customerSince');
    if (afterSeq !== undefined) qb.andWhere('c.number_seq > :afterSeq', { afterSeq });
    const rows: Record<keyof CustomerColumnRow, unknown>[] = await qb.orderBy('c.number_seq', 'ASC').limit(limit).getRawMany();
    return rows.map((r) => ({
      id: String(r.id),
      numberSeq: Number(r.numberSeq),
      customerNumber: String(r.customerNumber),
      displayName: String(r.displayName),
      kind: String(r.kind),
      segment: String(r.segment),
      status: String(r.status),
      customerSince: String(r.customerSince),
    }));
  }

  /** As list, the sort keys only: where a page ends, for a caller that shows no row (a BI export's look-ahead). */
  listKeys(query: CustomerQuery, afterSeq: number | undefined, limit: number): Promise<Pick<CustomerEntity, 'id' | 'numberSeq'>[]> {
    const qb = this.filtered(query).select(['c.id', 'c.numberSeq']);
    if (afterSeq !== undefined) qb.andWhere('c.number_seq > :afterSeq', { afterSeq });
    return qb.orderBy('c.number_seq', 'ASC').take(limit).getMany();
  }

  /**
   * How many customers have an id from `low` to `high`, counting no further
   * than `cap`: an index range of at most `cap` entries, however many ids
   * the range holds.
   */
  async countIdsBetween(low: string, high: string, cap: number): Promise<number> {
    const rows: { n: unknown }[] = await this.manager.query('SELECT COUNT(*) AS n FROM (SELECT 1 FROM customers WHERE id BETWEEN ? AND ? LIMIT ?) t', [
      low,
      high,
      cap,
    ]);
    return Number(rows[0]?.n ?? 0);
  }

  count(query: CustomerQuery): Promise<number> {
    return this.filtered(query).getCount();
  }

  /** The next customer number: never fails, never repeats (platform/sequence.ts). */
  nextNumberSeq(): Promise<number> {
    return nextInSequence(this.manager, 'customer_number_seq');
  }

  async insert(customer: CustomerEntity, addresses: AddressDraft[]): Promise<void> {
    await this.manager.insert(CustomerEntity, customer);
    await this.insertAddresses(customer.id, addresses);
  }

  private async insertAddresses(customerId: string, addresses: AddressDraft[]): Promise<void> {
    if (addresses.length === 0) return;
    await this.manager.insert(
      AddressEntity,
      addresses.map((a) => ({ ...a, customerId })),
    );
  }

  /**
   * The optimistic lock: the row changes only if it still has the version the
   * caller read. Returns how many rows changed (1, or 0 on a lost race).
   */
  async updateIfVersion(id: string, expectedVersion: number, changes: Partial<Omit<CustomerEntity, 'id' | 'version'>>): Promise<number> {
    const result = await this.manager
      .createQueryBuilder()
      .update(CustomerEntity)
      .set({ ...changes, version: () => 'version + 1' })
      .where('id = :id AND version = :expectedVersion', { id, expectedVersion })
      .execute();
    return result.affected ?? 0;
  }

  async replaceAddresses(customerId: string, addresses: AddressDraft[]): Promise<void> {
    await this.manager.delete(AddressEntity, { customerId });
    await this.insertAddresses(customerId, addresses);
  }
}
