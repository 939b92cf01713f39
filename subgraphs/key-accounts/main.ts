import 'reflect-metadata';
import { keyAccountsTimeline } from './key-accounts.timeline';
import {
  EnvReader,
  customerDirectoryFor,
  readCurrency,
  openSubgraphDatabase,
  runSubgraphMain,
  startSubgraphServer,
  timelineFeedFor,
  type RunningServer,
  type SubgraphStartOptions,
} from '../platform';
import { createKeyAccountsLoaders } from './key-accounts.loaders';
import { buildKeyAccountsSchema, keyAccountsDataSourceOptions } from './key-accounts.schema';

/** CURRENCY (default EUR), checked once at start. */
export function keyAccountsCurrencyFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const reader = new EnvReader(env);
  const currency = readCurrency(reader);
  reader.done();
  return currency;
}

/** Opens the database (migrating it if asked), then binds the port. */
export async function startKeyAccounts(options: SubgraphStartOptions): Promise<RunningServer> {
  const currency = keyAccountsCurrencyFromEnv();
  const [schema, dataSource] = await Promise.all([buildKeyAccountsSchema(), openSubgraphDatabase(options, keyAccountsDataSourceOptions())]);
  return startSubgraphServer({
    name: 'key-accounts',
    schema,
    dataSource,
    config: options.server,
    createLoaders: createKeyAccountsLoaders(currency),
    clock: options.clock,
    customerDirectory: customerDirectoryFor(options, 'key-accounts'),
    timeline: timelineFeedFor(options, keyAccountsTimeline),
  });
}

if (require.main === module) runSubgraphMain('key-accounts', startKeyAccounts);
