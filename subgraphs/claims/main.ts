import 'reflect-metadata';
import { claimsTimeline } from './claims.timeline';
import {
  EnvReader,
  customerDirectoryFor,
  fetchEntities,
  openSubgraphDatabase,
  readCurrency,
  readInternalSecret,
  readSubgraphUrl,
  runSubgraphMain,
  serviceCredentials,
  startSubgraphServer,
  timelineFeedFor,
  type RunningServer,
  type ServiceCredentials,
  type SubgraphStartOptions,
} from '../platform';
import { createClaimsLoaders, type ClaimsSettings, type InvoiceDirectory } from './claims.loaders';
import { readSlaPolicy } from './claims.policy';
import { registerClaimsMetrics } from './claims.metrics';
import { buildClaimsSchema, claimsDataSourceOptions } from './claims.schema';
import { RollupCompactor, rollupIntervalFromEnv, withRollupCompactor } from '../platform/rollup';
import { CLAIMS_ROLLUPS } from './claims.rollups';

/** Asks the billing subgraph (BILLING_URL) whether an invoice exists and whose it is. */
export class HttpInvoiceDirectory implements InvoiceDirectory {
  constructor(
    private readonly url: string,
    /** Claims' service principal. */
    private readonly credentials: ServiceCredentials,
    private readonly timeoutMs = 5000,
  ) {}

  async find(ids: string[]) {
    const target = { url: this.url, serviceName: 'billing', timeoutMs: this.timeoutMs };
    const found = await fetchEntities<{ id: string; customer: { id: string } }>(target, 'Invoice', ids, 'id customer { id }', this.credentials);
    return new Map(found.map((i) => [i.id, { id: i.id, customerId: i.customer.id }]));
  }
}

/** SLA policy, currency and BILLING_URL from the environment; throws ConfigError on bad values. */
export function claimsSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): ClaimsSettings {
  const reader = new EnvReader(env);
  const sla = readSlaPolicy(reader);
  const currency = readCurrency(reader);
  const billingUrl = readSubgraphUrl(reader, 'billing');
  const secret = readInternalSecret(reader);
  reader.done();
  return { sla, currency, invoices: new HttpInvoiceDirectory(billingUrl, serviceCredentials(secret, 'claims')) };
}

export interface ClaimsStartOptions extends SubgraphStartOptions {
  /** Default: from the environment. */
  settings?: ClaimsSettings;
  /** How often the report rollups' journals are folded; default SEGMENT_ROLLUP_INTERVAL_MS, else 2000. */
  rollupIntervalMs?: number;
}

/** The SLA policy and invoice lookup: given in the options, else from the environment. */
export function claimsLoadersFor(options: ClaimsStartOptions) {
  const settings = options.settings ?? claimsSettingsFromEnv();
  if (options.peerUrls?.billing)
    settings.invoices = new HttpInvoiceDirectory(options.peerUrls.billing, serviceCredentials(options.server.internalAuthSecret, 'claims'));
  return createClaimsLoaders(settings);
}

/** Opens the database (migrating it if asked), binds the port, then starts folding the report rollups' journals. */
export async function startClaims(options: ClaimsStartOptions): Promise<RunningServer> {
  const createLoaders = claimsLoadersFor(options);
  const [schema, dataSource] = await Promise.all([buildClaimsSchema(), openSubgraphDatabase(options, claimsDataSourceOptions())]);
  const server = await startSubgraphServer({
    name: 'claims',
    schema,
    dataSource,
    config: options.server,
    createLoaders,
    clock: options.clock,
    customerDirectory: customerDirectoryFor(options, 'claims'),
    timeline: timelineFeedFor(options, claimsTimeline),
    metrics: registerClaimsMetrics(dataSource, options.clock),
  });
  return withRollupCompactor(server, new RollupCompactor(dataSource, CLAIMS_ROLLUPS, options.rollupIntervalMs ?? rollupIntervalFromEnv()));
}

if (require.main === module) runSubgraphMain('claims', startClaims);
