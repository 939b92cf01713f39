import { billingSubgraph } from './billing';
import { claimsSubgraph } from './claims';
import { contactsSubgraph } from './contacts';
import { customersSubgraph } from './customers';
import { keyAccountsSubgraph } from './key-accounts';
import type { SubgraphModule } from './platform';

/**
 * Every subgraph of the customer graph, in port order. Composition, the
 * launcher, migrations, the seed and the tests all start from this list.
 */
export const SUBGRAPHS: readonly SubgraphModule[] = [customersSubgraph, contactsSubgraph, billingSubgraph, claimsSubgraph, keyAccountsSubgraph];
