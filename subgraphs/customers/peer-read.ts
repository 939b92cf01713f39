import { GraphQLError } from 'graphql';
import { ErrorCode, peerCallLimits, serviceUnavailable } from '../platform';
import type { AuditPeer, AuditSources } from './audit-sources';

/**
 * One internal read of a peer's JSON field (its audit rows, its timeline
 * events), as this subgraph's service principal, outside any transaction.
 * A peer that cannot answer fails the read with its retryable error rather
 * than showing a list with a hole in it.
 */
export async function readPeerJson<T>(sources: AuditSources, peer: AuditPeer, field: string, query: object, what: string): Promise<T> {
  let body: { data?: Record<string, string> | null; errors?: unknown[] };
  try {
    const limits = peerCallLimits(sources.timeoutMs);
    const response = await fetch(sources.urls[peer], {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...limits.headers, ...(await sources.credentials.headers()) },
      body: JSON.stringify({ query: `query($q: String!) { ${field}(query: $q) }`, variables: { q: JSON.stringify(query) } }),
      signal: limits.signal,
    });
    body = (await response.json()) as typeof body;
  } catch (error) {
    throw serviceUnavailable(peer, error instanceof Error && error.name === 'TimeoutError' ? 'TIMEOUT' : 'UNAVAILABLE', true);
  }
  const text = body.data?.[field];
  if (typeof text !== 'string' || body.errors?.length) {
    throw new GraphQLError(`The ${peer} service did not answer its ${what}`, { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } });
  }
  return JSON.parse(text) as T;
}
