import type DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { manyByKey, oneByKey, type Clock } from '../platform';
import type { KeyAccountEntity, ManagerEntity, MemberEntity } from './key-accounts.entity';
import { KeyAccountsRepository } from './key-accounts.repository';

/** Per-request loaders: one statement per field per fetch. */
export interface KeyAccountsLoaders {
  /** The deployment's currency (CURRENCY, default EUR), for targets. */
  currency: string;
  accountById: DataLoader<string, KeyAccountEntity | null>;
  managerById: DataLoader<string, ManagerEntity | null>;
  accountsByManager: DataLoader<string, KeyAccountEntity[]>;
  membersByAccount: DataLoader<string, MemberEntity[]>;
  membershipByCustomer: DataLoader<string, MemberEntity | null>;
}

export function createKeyAccountsLoaders(currency: string) {
  return (dataSource: DataSource, _clock: Clock): KeyAccountsLoaders => {
    const repository = new KeyAccountsRepository(dataSource.manager);
    return {
      currency,
      accountById: oneByKey(
        (ids) => repository.accountsByIds(ids),
        (a) => a.id,
      ),
      managerById: oneByKey(
        (ids) => repository.managersByIds(ids),
        (m) => m.id,
      ),
      accountsByManager: manyByKey(
        (ids) => repository.accountsByManagerIds(ids),
        (a) => a.managerId,
      ),
      membersByAccount: manyByKey(
        (ids) => repository.membersByAccountIds(ids),
        (m) => m.keyAccountId,
      ),
      membershipByCustomer: oneByKey(
        (ids) => repository.membershipsByCustomerIds(ids),
        (m) => m.customerId,
      ),
    };
  };
}
