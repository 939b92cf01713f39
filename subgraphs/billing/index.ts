import type { SubgraphModule } from '../platform';
import { BILLING_ROLLUPS } from './billing.rollups';
import { billingDataSourceOptions, buildBillingSchema } from './billing.schema';
import { seedBilling } from './billing.seed';
import { billingLoadersFor, startBilling } from './main';

export { billingDataSourceOptions, buildBillingSchema, startBilling };

export const billingSubgraph: SubgraphModule = {
  name: 'billing',
  buildSchema: buildBillingSchema,
  dataSourceOptions: billingDataSourceOptions,
  start: startBilling,
  seed: seedBilling,
  createLoaders: billingLoadersFor,
  rollups: BILLING_ROLLUPS,
};
