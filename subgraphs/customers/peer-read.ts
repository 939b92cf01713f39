import { GraphQLError } from 'graphql';
import { ErrorCode, peerCallLimits, serviceUnavailable } from '../platform';
import type { PeerSubgraph, PeerSources } from './peer-sources';

/** Error codes a peer's answer may carry through to this subgraph's caller: the caller's own mistakes, in the peer's words. */
const PASSED_THROUGH = new Set<string>([ErrorCode.BAD_USER_INPUT, ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN, ErrorCode.INVALID_TRANSITION]);

/** A peer that could not be reached, or did not answer in time: its retryable error. */
const unreachable = (peer: PeerSubgraph, error: unknown) =>
  serviceUnavailable(peer, error instanceof Error && error.name === 'TimeoutError' ? 'TIMEOUT' : 'UNAVAILABLE', true);

/**
 * One POST of JSON to a peer, outside any transaction: its deadline from the
 * request's, and a peer that cannot be reached (or does not answer in time)
 * as its retryable error rather than a list with a hole in it.
 */
async function postToPeer(sources: PeerSources, peer: PeerSubgraph, url: string, headers: Record<string, string>, body: object): Promise<Response> {
  try {
    const limits = peerCallLimits(sources.timeoutMs);
    return await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...limits.headers, ...headers },
      body: JSON.stringify(body),
      signal: limits.signal,
    });
  } catch (error) {
    throw unreachable(peer, error);
  }
}

/** A peer's answer that is not the one asked for: nothing of it reaches this subgraph's caller. */
const noAnswer = (peer: PeerSubgraph, what: string) =>
  new GraphQLError(`The ${peer} service did not answer its ${what}`, { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } });

/** One internal call of a peer's JSON field; a refusal of the caller's input keeps its code and message. */
export async function callPeerJson<T>(
  sources: PeerSources,
  peer: PeerSubgraph,
  request: { query: string; variables: Record<string, unknown>; field: string; headers: Record<string, string> },
  what: string,
): Promise<T> {
  const response = await postToPeer(sources, peer, sources.urls[peer], request.headers, { query: request.query, variables: request.variables });
  let body: { data?: Record<string, string | null> | null; errors?: { message?: string; extensions?: Record<string, unknown> }[] };
  try {
    body = (await response.json()) as typeof body;
  } catch (error) {
    throw unreachable(peer, error);
  }
  const refusal = body.errors?.find((e) => PASSED_THROUGH.has(String(e.extensions?.code)));
  if (refusal) {
    const { code, field } = refusal.extensions ?? {};
    throw new GraphQLError(String(refusal.message), { extensions: { code, ...(typeof field === 'string' ? { field } : {}) } });
  }
  const text = body.data?.[request.field];
  if (typeof text !== 'string' || body.errors?.length) throw noAnswer(peer, what);
  return JSON.parse(text) as T;
}

/** A read of a peer's internal JSON field as this subgraph's service principal. */
export async function readPeerJson<T>(sources: PeerSources, peer: PeerSubgraph, field: string, query: object, what: string): Promise<T> {
  return callPeerJson<T>(
    sources,
    peer,
    { query: `query($q: String!) { ${field}(query: $q) }`, variables: { q: JSON.stringify(query) }, field, headers: await sources.credentials.headers() },
    what,
  );
}
