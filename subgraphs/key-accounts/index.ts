import type { SubgraphModule } from '../platform';
import { buildKeyAccountsSchema, keyAccountsDataSourceOptions } from './key-accounts.schema';
import { seedKeyAccounts } from './key-accounts.seed';
import { createKeyAccountsLoaders } from './key-accounts.loaders';
import { keyAccountsCurrencyFromEnv, startKeyAccounts } from './main';

export { buildKeyAccountsSchema, keyAccountsDataSourceOptions, startKeyAccounts };

export const keyAccountsSubgraph: SubgraphModule = {
  name: 'key-accounts',
  buildSchema: buildKeyAccountsSchema,
  dataSourceOptions: keyAccountsDataSourceOptions,
  start: startKeyAccounts,
  seed: seedKeyAccounts,
  createLoaders: () => createKeyAccountsLoaders(keyAccountsCurrencyFromEnv()),
};
