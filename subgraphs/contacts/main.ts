import 'reflect-metadata';
import { contactsTimeline } from './contacts.timeline';
import {
  customerDirectoryFor,
  openSubgraphDatabase,
  runSubgraphMain,
  startSubgraphServer,
  timelineFeedFor,
  type RunningServer,
  type SubgraphStartOptions,
} from '../platform';
import { RollupCompactor, rollupIntervalFromEnv, withRollupCompactor } from '../platform/rollup';
import { createContactsLoaders } from './contacts.loaders';
import { buildContactsSchema, contactsDataSourceOptions } from './contacts.schema';
import { CONTACTS_ROLLUPS } from './contacts.rollups';

export interface ContactsStartOptions extends SubgraphStartOptions {
  /** How often the rollup journals (segment counts, interaction stats) are folded; default SEGMENT_ROLLUP_INTERVAL_MS, else 2000. */
  rollupIntervalMs?: number;
}

/** Opens the database (migrating it if asked), binds the port, then starts folding the rollup journals. */
export async function startContacts(options: ContactsStartOptions): Promise<RunningServer> {
  const [schema, dataSource] = await Promise.all([buildContactsSchema(), openSubgraphDatabase(options, contactsDataSourceOptions())]);
  const server = await startSubgraphServer({
    name: 'contacts',
    schema,
    dataSource,
    config: options.server,
    createLoaders: createContactsLoaders,
    clock: options.clock,
    customerDirectory: customerDirectoryFor(options, 'contacts'),
    timeline: timelineFeedFor(options, contactsTimeline),
  });
  const compactor = new RollupCompactor(dataSource, CONTACTS_ROLLUPS, options.rollupIntervalMs ?? rollupIntervalFromEnv());
  return withRollupCompactor(server, compactor);
}

if (require.main === module) runSubgraphMain('contacts', startContacts);
