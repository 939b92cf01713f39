import type { SubgraphModule } from '../platform';
import { createCustomerLoaders } from './customer.loaders';
import { seedCustomers } from './customer.seed';
import { buildCustomersSchema, customersDataSourceOptions } from './customers.schema';
import { startCustomers } from './main';

export { buildCustomersSchema, customersDataSourceOptions, startCustomers };

export const customersSubgraph: SubgraphModule = {
  name: 'customers',
  buildSchema: buildCustomersSchema,
  dataSourceOptions: customersDataSourceOptions,
  start: startCustomers,
  seed: seedCustomers,
  createLoaders: () => createCustomerLoaders,
};
