import type { GraphQLError } from 'graphql';
import { peerCallLimits } from './deadline';
import { notFound, serviceUnavailable } from './errors';
import type { Identity, ServiceCredentials } from './auth';

/** What other subgraphs may need to know of a customer the customers subgraph owns. */
export interface CustomerInfo {
  id: string;
  kind: 'PERSON' | 'ORGANIZATION';
}

/**
 * How a subgraph learns whether a customer exists, and of what kind, without
 * reading the customers database: it asks the owner. Only writes ask (a
 * reference in a mutation must point at a real customer); reads never do.
 */
export interface CustomerDirectory {
  /** The customers among `ids` that exist; missing ones are left out. */
  find(ids: string[], identity?: Identity): Promise<Map<string, CustomerInfo>>;
}

/**
 * Peer lookups happen before anything is written (input is validated first,
 * no transaction is open), so the caller may safely repeat the request.
 */
function unavailable(serviceName: string, timedOut = false): GraphQLError {
  return serviceUnavailable(serviceName, timedOut ? 'TIMEOUT' : 'UNAVAILABLE', true);
}

/** Representations per request: large lookups are asked in slices. */
const SLICE = 1000;

/**
 * Asks another subgraph for entities by key through its federation
 * `_entities` field, the way the gateway resolves references: a slice of ids
 * per request, a deadline, the caller forwarded. Entities that do not exist
 * come back as null and are left out. A failed or erroring answer throws the
 * retryable "service unavailable" error: a write must not go ahead on a guess.
 */
export async function fetchEntities<T extends { id: string }>(
  target: { url: string; serviceName: string; timeoutMs: number },
  typename: string,
  ids: string[],
  selection: string,
  credentials: ServiceCredentials,
): Promise<T[]> {
  const query = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${typename} { ${selection} } } }`;
  const found: T[] = [];
  for (let i = 0; i < ids.length; i += SLICE) {
    const representations = ids.slice(i, i + SLICE).map((id) => ({ __typename: typename, id }));
    let body: { data?: { _entities?: (T | null)[] }; errors?: unknown[] };
    try {
      const limits = peerCallLimits(target.timeoutMs);
      const response = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...limits.headers, ...(await credentials.headers()) },
        body: JSON.stringify({ query, variables: { representations } }),
        signal: limits.signal,
      });
      body = (await response.json()) as typeof body;
    } catch (error) {
      throw unavailable(target.serviceName, error instanceof Error && error.name === 'TimeoutError');
    }
    if (!body.data?._entities || body.errors?.length) throw unavailable(target.serviceName);
    for (const entity of body.data._entities) if (entity) found.push(entity);
  }
  return found;
}

/** Asks the customers subgraph (CUSTOMERS_URL) for `id` and `kind`. */
export class HttpCustomerDirectory implements CustomerDirectory {
  constructor(
    private readonly url: string,
    /** The calling subgraph's service principal. */
    private readonly credentials: ServiceCredentials,
    /** Deadline of one lookup; default 5 s. */
    private readonly timeoutMs = 5000,
  ) {}

  async find(ids: string[]): Promise<Map<string, CustomerInfo>> {
    const target = { url: this.url, serviceName: 'customers', timeoutMs: this.timeoutMs };
    const found = await fetchEntities<CustomerInfo>(target, 'Customer', ids, 'id kind', this.credentials);
    return new Map(found.map((c) => [c.id, c]));
  }
}

/** The customer, or NOT_FOUND naming the input field that pointed at it. */
export async function requireCustomer(directory: CustomerDirectory, id: string, identity?: Identity): Promise<CustomerInfo> {
  const customer = (await directory.find([id], identity)).get(id);
  if (!customer) throw notFound('Customer', id);
  return customer;
}
