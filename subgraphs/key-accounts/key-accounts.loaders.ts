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
    const accountById = oneByKey(
      (ids) => repository.accountsByIds(ids),
      (a: KeyAccountEntity) => a.id,
    );
    const managerById = oneByKey(
      (ids) => repository.managersByIds(ids),
      (m: ManagerEntity) => m.id,
    );
    return {
      currency,
      accountById,
      managerById,
      accountsByManager: manyByKey(
        (ids) => repository.accountsByManagerIds(ids),
        (a) => a.managerId,
      ),
      membersByAccount: manyByKey(
        (ids) => repository.membersByAccountIds(ids),
        (m) => m.keyAccountId,
      ),
      membershipByCustomer: oneByKey(
        async (ids) => {
          const members = await repository.membershipsWithAccounts(ids);
          for (const { joinedAccount: account } of members) {
            if (!account) continue;
            accountById.prime(account.id, account);
            if (account.joinedManager) managerById.prime(account.managerId, account.joinedManager);
          }
          return members;
        },
        (m) => m.customerId,
      ),
    };
  };
}
