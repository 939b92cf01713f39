import { GraphQLError } from 'graphql';
import { ErrorCode, peerCallLimits, serviceUnavailable } from '../platform';
import type { AuditPeer, AuditSources } from './audit-sources';

/** Error codes a peer's answer may carry through to this subgraph's caller: the caller's own mistakes, in the peer's words. */
const PASSED_THROUGH = new Set<string>([ErrorCode.BAD_USER_INPUT, ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN, ErrorCode.INVALID_TRANSITION]);

/**
 * One internal call of a peer's JSON field, outside any transaction. A peer
 * that cannot answer fails the call with its retryable error rather than
 * showing a list with a hole in it; a refusal of the caller's input keeps
 * its code and message.
 */
export async function callPeerJson<T>(
  sources: AuditSources,
  peer: AuditPeer,
  request: { query: string; variables: Record<string, unknown>; field: string; headers: Record<string, string> },
  what: string,
): Promise<T> {
  let body: { data?: Record<string, string | null> | null; errors?: { message?: string; extensions?: Record<string, unknown> }[] };
  try {
    const limits = peerCallLimits(sources.timeoutMs);
    const response = await fetch(sources.urls[peer], {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...limits.headers, ...request.headers },
      body: JSON.stringify({ query: request.query, variables: request.variables }),
      signal: limits.signal,
    });
    body = (await response.json()) as typeof body;
  } catch (error) {
    throw serviceUnavailable(peer, error instanceof Error && error.name === 'TimeoutError' ? 'TIMEOUT' : 'UNAVAILABLE', true);
  }
  const refusal = body.errors?.find((e) => PASSED_THROUGH.has(String(e.extensions?.code)));
  if (refusal) {
    const { code, field } = refusal.extensions ?? {};
    throw new GraphQLError(String(refusal.message), { extensions: { code, ...(typeof field === 'string' ? { field } : {}) } });
  }
  const text = body.data?.[request.field];
  if (typeof text !== 'string' || body.errors?.length) {
    throw new GraphQLError(`The ${peer} service did not answer its ${what}`, { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } });
  }
  return JSON.parse(text) as T;
}

/** A read of a peer's internal JSON field as this subgraph's service principal. */
export async function readPeerJson<T>(sources: AuditSources, peer: AuditPeer, field: string, query: object, what: string): Promise<T> {
  return callPeerJson<T>(
    sources,
    peer,
    { query: `query($q: String!) { ${field}(query: $q) }`, variables: { q: JSON.stringify(query) }, field, headers: await sources.credentials.headers() },
    what,
  );
}

/** A POST of JSON to one of a peer's internal routes beside /graphql (TIMELINE_ROUTE), as this subgraph's service principal. */
export async function postPeerRoute<T>(sources: AuditSources, peer: AuditPeer, route: string, body: object, what: string): Promise<T> {
  let response: Response;
  try {
    const limits = peerCallLimits(sources.timeoutMs);
    response = await fetch(sources.urls[peer].replace(/\/graphql$/, route), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...limits.headers, ...(await sources.credentials.headers()) },
      body: JSON.stringify(body),
      signal: limits.signal,
    });
    if (response.ok) return (await response.json()) as T;
  } catch (error) {
    throw serviceUnavailable(peer, error instanceof Error && error.name === 'TimeoutError' ? 'TIMEOUT' : 'UNAVAILABLE', true);
  }
  await response.body?.cancel();
  if (response.status >= 500) throw serviceUnavailable(peer, 'UNAVAILABLE', true);
  throw new GraphQLError(`The ${peer} service did not answer its ${what}`, { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } });
}
