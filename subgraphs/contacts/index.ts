import type { SubgraphModule } from '../platform';
import { CONTACTS_ROLLUPS } from './contacts.rollups';
import { buildContactsSchema, contactsDataSourceOptions } from './contacts.schema';
import { createContactsLoaders } from './contacts.loaders';
import { seedContacts } from './contacts.seed';
import { startContacts } from './main';

export { buildContactsSchema, contactsDataSourceOptions, startContacts };

export const contactsSubgraph: SubgraphModule = {
  name: 'contacts',
  buildSchema: buildContactsSchema,
  dataSourceOptions: contactsDataSourceOptions,
  start: startContacts,
  seed: seedContacts,
  createLoaders: () => createContactsLoaders,
  rollups: CONTACTS_ROLLUPS,
};
