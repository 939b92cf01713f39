import { In, type EntityManager } from 'typeorm';
import { customerIdsIn } from '../platform';
import { KeyAccountEntity, ManagerEntity, MemberEntity } from './key-accounts.entity';

export interface AccountFilter {
  tiers?: string[];
  managerId?: string;
}

export interface NameCursor {
  name: string;
  id: string;
}

/** All SQL of the key-accounts subgraph. */
export class KeyAccountsRepository {
  constructor(readonly manager: EntityManager) {}

  accountsByIds(ids: readonly string[]): Promise<KeyAccountEntity[]> {
    return this.manager.find(KeyAccountEntity, { where: { id: In([...ids]) } });
  }

  accountsByManagerIds(ids: readonly string[]): Promise<KeyAccountEntity[]> {
    return this.manager.find(KeyAccountEntity, { where: { managerId: In([...ids]) }, order: { name: 'ASC', id: 'ASC' } });
  }

  managersByIds(ids: readonly string[]): Promise<ManagerEntity[]> {
    return this.manager.find(ManagerEntity, { where: { id: In([...ids]) } });
  }

  allManagers(): Promise<ManagerEntity[]> {
    return this.manager.find(ManagerEntity, { order: { name: 'ASC', id: 'ASC' } });
  }

  membersByAccountIds(ids: readonly string[]): Promise<MemberEntity[]> {
    return this.manager.find(MemberEntity, { where: { keyAccountId: In([...ids]) }, order: { addedAt: 'ASC', customerId: 'ASC' } });
  }

  membershipsByCustomerIds(ids: readonly string[]): Promise<MemberEntity[]> {
    return this.manager.find(MemberEntity, { where: { customerId: In([...ids]) } });
  }

  /**
   * The customers' memberships with their key account and its manager, in
   * one statement: Customer.keyAccount { manager } costs one read, not three
   * in a row.
   */
  membershipsWithAccounts(ids: readonly string[]): Promise<MemberEntity[]> {
    return this.manager
      .createQueryBuilder(MemberEntity, 'm')
      .innerJoinAndMapOne('m.joinedAccount', KeyAccountEntity, 'k', 'k.id = m.key_account_id')
      .innerJoinAndMapOne('k.joinedManager', ManagerEntity, 'g', 'g.id = k.manager_id')
      .where(...customerIdsIn('m.customer_id', ids))
      .getMany();
  }

  private filtered(filter: AccountFilter) {
    const qb = this.manager.createQueryBuilder(KeyAccountEntity, 'k');
    if (filter.tiers) qb.andWhere('k.tier IN (:...tiers)', { tiers: filter.tiers });
    if (filter.managerId) qb.andWhere('k.manager_id = :managerId', { managerId: filter.managerId });
    return qb;
  }

  /** A page of key accounts by name (then id), after the cursor. */
  async page(filter: AccountFilter, after: NameCursor | undefined, limit: number): Promise<KeyAccountEntity[]> {
    const qb = this.filtered(filter);
    if (after) qb.andWhere('(k.name > :name OR (k.name = :name AND k.id > :id))', { name: after.name, id: after.id });
    return qb.orderBy('k.name', 'ASC').addOrderBy('k.id', 'ASC').take(limit).getMany();
  }

  count(filter: AccountFilter): Promise<number> {
    return this.filtered(filter).getCount();
  }
}
