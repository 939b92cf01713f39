import type { DelegatedCredentials, ServiceCredentials, SubgraphName } from '../platform';

/**
 * The subgraphs the customers subgraph reads besides its own database: their
 * audit rows (the audit trail), their timeline events, their change requests.
 */
export const PEER_SUBGRAPHS = ['contacts', 'billing', 'claims', 'key-accounts'] as const satisfies readonly SubgraphName[];
export type PeerSubgraph = (typeof PEER_SUBGRAPHS)[number];

/** Where the peers are read: each one's URL, as this subgraph's service principal. */
export interface PeerSources {
  urls: Record<PeerSubgraph, string>;
  credentials: ServiceCredentials;
  /** For writes a peer stores (a decision on its change request): the caller's own principal. */
  delegated?: DelegatedCredentials;
  timeoutMs: number;
}
