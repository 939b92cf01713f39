import 'reflect-metadata';
import { fourEyesFromEnv, type FourEyesPolicy } from '../platform/change-request';
import {
  EnvReader,
  customerDirectoryFor,
  delegatedCredentials,
  openSubgraphDatabase,
  readSubgraphUrl,
  runSubgraphMain,
  serviceCredentials,
  startSubgraphServer,
  type RunningServer,
  type SubgraphStartOptions,
} from '../platform';
import { SEGMENT_REPLICA_PEERS, type SegmentReplicaPeer } from '../platform/segment-replica';
import { customerLoadersWith } from './customer.loaders';
import { buildCustomersSchema, customersDataSourceOptions } from './customers.schema';
import { DEFAULT_SEGMENT_OUTBOX_OPTIONS, SegmentOutboxDispatcher, type SegmentOutboxOptions } from './segment-outbox.dispatcher';
import { SegmentOutbox } from './segment-outbox.service';
import type { PeerSources } from './peer-sources';
import { timelineSlicesRoute } from './timeline-projection.routes';

export interface CustomersStartOptions extends SubgraphStartOptions {
  /** Default: the four-eyes settings of the environment (platform/change-request.ts). */
  fourEyes?: FourEyesPolicy;
  /** Default: SEGMENT_OUTBOX_INTERVAL_MS from the environment, the rest as DEFAULT_SEGMENT_OUTBOX_OPTIONS. */
  outbox?: Partial<SegmentOutboxOptions>;
}

export interface CustomersSettings {
  /** Where segment changes go: BILLING_URL, CLAIMS_URL, CONTACTS_URL (default http://localhost:<port>/graphql). */
  peerUrls: Record<SegmentReplicaPeer, string>;
  /** SEGMENT_OUTBOX_INTERVAL_MS: how often undelivered changes are retried; default 5000. */
  outboxIntervalMs: number;
  /** KEY_ACCOUNTS_URL: the one audit peer that is no segment peer; default http://localhost:4005/graphql. */
  keyAccountsUrl: string;
}

/** Reads the customers-specific settings once; throws ConfigError naming every bad value. */
export function customersSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): CustomersSettings {
  const reader = new EnvReader(env);
  const peerUrls = Object.fromEntries(SEGMENT_REPLICA_PEERS.map((peer) => [peer, readSubgraphUrl(reader, peer)])) as Record<SegmentReplicaPeer, string>;
  const outboxIntervalMs = reader.int('SEGMENT_OUTBOX_INTERVAL_MS', DEFAULT_SEGMENT_OUTBOX_OPTIONS.intervalMs, 100, 3_600_000);
  const keyAccountsUrl = readSubgraphUrl(reader, 'key-accounts');
  reader.done();
  return { peerUrls, outboxIntervalMs, keyAccountsUrl };
}

/** Peer URLs and outbox timing: given in the options, else from the environment. */
function settingsFor(options: CustomersStartOptions): {
  peerUrls: Record<SegmentReplicaPeer, string>;
  outbox: Partial<SegmentOutboxOptions>;
  keyAccountsUrl: string;
} {
  const given =
    SEGMENT_REPLICA_PEERS.every((peer) => options.peerUrls?.[peer]) && options.outbox?.intervalMs !== undefined && options.peerUrls?.['key-accounts'];
  const env = given ? undefined : customersSettingsFromEnv();
  const peerUrls = Object.fromEntries(SEGMENT_REPLICA_PEERS.map((peer) => [peer, options.peerUrls?.[peer] ?? env!.peerUrls[peer]])) as Record<
    SegmentReplicaPeer,
    string
  >;
  return {
    peerUrls,
    outbox: { intervalMs: env?.outboxIntervalMs, ...options.outbox },
    keyAccountsUrl: options.peerUrls?.['key-accounts'] ?? env!.keyAccountsUrl,
  };
}

/**
 * Opens the database (migrating it if asked), binds the port, then starts the
 * segment outbox dispatcher (a run now, then every interval); stopping the
 * server stops the dispatcher first, before the database closes.
 */
export async function startCustomers(options: CustomersStartOptions): Promise<RunningServer> {
  const settings = settingsFor(options);
  const [schema, dataSource] = await Promise.all([buildCustomersSchema(), openSubgraphDatabase(options, customersDataSourceOptions())]);
  const credentials = serviceCredentials(options.server.internalAuthSecret, 'customers');
  const dispatcher = new SegmentOutboxDispatcher(dataSource, settings.peerUrls, credentials, settings.outbox);
  // auditTrail and auditEvents merge the peers' rows, read as this subgraph's service principal.
  const peerSources: PeerSources = {
    urls: { ...settings.peerUrls, 'key-accounts': settings.keyAccountsUrl },
    credentials,
    delegated: delegatedCredentials(options.server.internalAuthSecret),
    timeoutMs: 5000,
  };
  const server = await startSubgraphServer({
    name: 'customers',
    schema,
    dataSource,
    config: options.server,
    createLoaders: customerLoadersWith(new SegmentOutbox(dispatcher), peerSources, options.fourEyes ?? fourEyesFromEnv()),
    clock: options.clock,
    customerDirectory: customerDirectoryFor(options, 'customers'),
    routes: timelineSlicesRoute(dataSource, options.server.internalAuthSecret),
  });
  dispatcher.start();
  return {
    ...server,
    async stop() {
      await dispatcher.stop();
      await server.stop();
    },
  };
}

if (require.main === module) runSubgraphMain('customers', startCustomers);
