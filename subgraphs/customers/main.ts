import 'reflect-metadata';
import { customerDirectoryFor, openSubgraphDatabase, runSubgraphMain, startSubgraphServer, type RunningServer, type SubgraphStartOptions } from '../platform';
import { createCustomerLoaders } from './customer.loaders';
import { buildCustomersSchema, customersDataSourceOptions } from './customers.schema';

/** Opens the database (migrating it if asked), then binds the port. */
export async function startCustomers(options: SubgraphStartOptions): Promise<RunningServer> {
  const [schema, dataSource] = await Promise.all([
    buildCustomersSchema(),
    openSubgraphDatabase(options, customersDataSourceOptions()),
  ]);
  return startSubgraphServer({
    name: 'customers',
    schema,
    dataSource,
    config: options.server,
    createLoaders: createCustomerLoaders,
    clock: options.clock,
    customerDirectory: customerDirectoryFor(options),
  });
}

if (require.main === module) runSubgraphMain('customers', startCustomers);
