import { GraphQLError } from 'graphql';
import { ErrorCode, notFound } from './errors';
import { IDENTITY_HEADERS, actorOf, type Identity } from './context';

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

const ENTITIES_QUERY = `query($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Customer { id kind } }
}`;

function unavailable(): GraphQLError {
  return new GraphQLError('The customers service is unavailable; try again later', {
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, serviceName: 'customers', reason: 'UNAVAILABLE', retryable: true },
  });
}

/**
 * Asks the customers subgraph through its federation `_entities` field, the
 * same way the gateway resolves a Customer reference: one request for any
 * number of ids, a deadline, and the caller forwarded.
 */
export class HttpCustomerDirectory implements CustomerDirectory {
  constructor(
    private readonly url: string,
    /** Deadline of one lookup; default 5 s. */
    private readonly timeoutMs = 5000,
  ) {}

  async find(ids: string[], identity?: Identity): Promise<Map<string, CustomerInfo>> {
    const found = new Map<string, CustomerInfo>();
    if (ids.length === 0) return found;
    let body: { data?: { _entities?: (CustomerInfo | null)[] }; errors?: unknown[] };
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(identity ? { [IDENTITY_HEADERS.user]: actorOf(identity), [IDENTITY_HEADERS.roles]: identity.roles.join(',') } : {}),
        },
        body: JSON.stringify({ query: ENTITIES_QUERY, variables: { representations: ids.map((id) => ({ __typename: 'Customer', id })) } }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      body = (await response.json()) as typeof body;
    } catch {
      throw unavailable();
    }
    if (!body.data?._entities || body.errors?.length) throw unavailable();
    for (const entity of body.data._entities) if (entity) found.set(entity.id, entity);
    return found;
  }
}

/** The customer, or NOT_FOUND naming the input field that pointed at it. */
export async function requireCustomer(directory: CustomerDirectory, id: string, identity?: Identity): Promise<CustomerInfo> {
  const customer = (await directory.find([id], identity)).get(id);
  if (!customer) throw notFound('Customer', id);
  return customer;
}
