import 'reflect-metadata';
import { billingTimeline } from './billing.timeline';
import { fourEyesFromEnv, type FourEyesPolicy } from '../platform/change-request';
import {
  EnvReader,
  customerDirectoryFor,
  openSubgraphDatabase,
  readSubgraphUrl,
  runSubgraphMain,
  serviceCredentials,
  startSubgraphServer,
  timelineFeedFor,
  type RunningServer,
  type SubgraphStartOptions,
} from '../platform';
import { RollupCompactor, rollupIntervalFromEnv, withRollupCompactor } from '../platform/rollup';
import { createBillingLoaders } from './billing.loaders';
import { readBillingPolicy, type BillingPolicy } from './billing.policy';
import { billingDataSourceOptions, buildBillingSchema } from './billing.schema';
import { HttpDisputeSource, type DisputeSource } from './dispute-source';
import { registerBillingMetrics } from './billing.metrics';
import { BILLING_ROLLUPS } from './billing.rollups';

export interface BillingStartOptions extends SubgraphStartOptions {
  /** Default: from the environment (README, "Dunning policy"). */
  policy?: BillingPolicy;
  /** Default: ask the claims subgraph at CLAIMS_URL (default http://localhost:4004/graphql). */
  disputes?: DisputeSource;
  /** Default: the four-eyes settings of the environment (platform/change-request.ts). */
  fourEyes?: FourEyesPolicy;
  /** How often the segment balance journal is folded; default SEGMENT_ROLLUP_INTERVAL_MS, else 2000. */
  rollupIntervalMs?: number;
}

/** Reads the billing-specific settings once; throws ConfigError naming every bad value. */
export function billingSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): { policy: BillingPolicy; claimsUrl: string } {
  const reader = new EnvReader(env);
  const policy = readBillingPolicy(reader);
  const claimsUrl = readSubgraphUrl(reader, 'claims');
  reader.done();
  return { policy, claimsUrl };
}

/** The policy and the dispute source: given in the options, else from the environment. */
export function billingLoadersFor(options: BillingStartOptions) {
  const env = options.policy && options.disputes ? undefined : billingSettingsFromEnv();
  const claimsUrl = options.peerUrls?.claims ?? env!.claimsUrl;
  return createBillingLoaders({
    policy: options.policy ?? env!.policy,
    fourEyes: options.fourEyes ?? fourEyesFromEnv(),
    disputes: options.disputes ?? new HttpDisputeSource(claimsUrl, serviceCredentials(options.server.internalAuthSecret, 'billing')),
  });
}

/** Opens the database (migrating it if asked), binds the port, then starts folding the segment balance journal. */
export async function startBilling(options: BillingStartOptions): Promise<RunningServer> {
  const createLoaders = billingLoadersFor(options);
  const [schema, dataSource] = await Promise.all([buildBillingSchema(), openSubgraphDatabase(options, billingDataSourceOptions())]);
  const server = await startSubgraphServer({
    name: 'billing',
    schema,
    dataSource,
    config: options.server,
    createLoaders,
    clock: options.clock,
    customerDirectory: customerDirectoryFor(options, 'billing'),
    timeline: timelineFeedFor(options, billingTimeline),
    metrics: registerBillingMetrics(dataSource),
  });
  const compactor = new RollupCompactor(dataSource, BILLING_ROLLUPS, options.rollupIntervalMs ?? rollupIntervalFromEnv());
  return withRollupCompactor(server, compactor);
}

if (require.main === module) runSubgraphMain('billing', startBilling);
