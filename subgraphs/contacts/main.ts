import 'reflect-metadata';
import { customerDirectoryFor, openSubgraphDatabase, runSubgraphMain, startSubgraphServer, type RunningServer, type SubgraphStartOptions } from '../platform';
import { createContactsLoaders } from './contacts.loaders';
import { buildContactsSchema, contactsDataSourceOptions } from './contacts.schema';

/** Opens the database (migrating it if asked), then binds the port. */
export async function startContacts(options: SubgraphStartOptions): Promise<RunningServer> {
  const [schema, dataSource] = await Promise.all([buildContactsSchema(), openSubgraphDatabase(options, contactsDataSourceOptions())]);
  return startSubgraphServer({
    name: 'contacts',
    schema,
    dataSource,
    config: options.server,
    createLoaders: createContactsLoaders,
    clock: options.clock,
    customerDirectory: customerDirectoryFor(options),
  });
}

if (require.main === module) runSubgraphMain('contacts', startContacts);
