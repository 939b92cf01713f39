import type { DelegatedCredentials, ServiceCredentials, SubgraphName } from '../platform';

/** The subgraphs whose audit rows the trail merges besides the customers subgraph's own. */
export const AUDIT_PEERS = ['contacts', 'billing', 'claims', 'key-accounts'] as const satisfies readonly SubgraphName[];
export type AuditPeer = (typeof AUDIT_PEERS)[number];

/** Where the peers' audit rows are read: each one's URL, as this subgraph's service principal. */
export interface AuditSources {
  urls: Record<AuditPeer, string>;
  credentials: ServiceCredentials;
  /** For writes a peer stores (a decision on its change request): the caller's own principal. */
  delegated?: DelegatedCredentials;
  timeoutMs: number;
}
