import type { SubgraphModule } from '../platform';
import { CLAIMS_ROLLUPS } from './claims.rollups';
import { buildClaimsSchema, claimsDataSourceOptions } from './claims.schema';
import { seedClaims } from './claims.seed';
import { claimsLoadersFor, startClaims } from './main';

export { buildClaimsSchema, claimsDataSourceOptions, startClaims };

export const claimsSubgraph: SubgraphModule = {
  name: 'claims',
  buildSchema: buildClaimsSchema,
  dataSourceOptions: claimsDataSourceOptions,
  start: startClaims,
  seed: seedClaims,
  createLoaders: claimsLoadersFor,
  // Disputes need billing's overdue invoices.
  seedAfter: ['billing'],
  rollups: CLAIMS_ROLLUPS,
};
