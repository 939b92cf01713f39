import { GraphQLError } from 'graphql';
import { ErrorCode } from '../platform';

/**
 * How billing learns which invoices are disputed. The claims subgraph owns
 * complaints and contributes `Invoice.disputed` to the graph; during a dunning
 * run billing asks it, for the invoices the run would act on, through the
 * same federation `_entities` field the gateway uses. Nothing is copied, so
 * the answer is as current as the complaints themselves.
 */
export interface DisputeSource {
  /** The ids among `invoiceIds` that an open complaint disputes. */
  disputed(invoiceIds: string[]): Promise<Set<string>>;
}

const QUERY = `query($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Invoice { id disputed } }
}`;

/** Representations per request: large runs are asked in slices. */
const SLICE = 1000;

function unavailable(): GraphQLError {
  return new GraphQLError('The claims service is unavailable, so disputes cannot be checked; the dunning run did nothing', {
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, serviceName: 'claims', reason: 'UNAVAILABLE', retryable: true },
  });
}

/** Asks the claims subgraph at CLAIMS_URL. If it cannot answer, the run fails rather than dun a disputed invoice. */
export class HttpDisputeSource implements DisputeSource {
  constructor(
    private readonly url: string,
    /** Deadline per request; default 10 s. */
    private readonly timeoutMs = 10_000,
  ) {}

  async disputed(invoiceIds: string[]): Promise<Set<string>> {
    const disputed = new Set<string>();
    for (let i = 0; i < invoiceIds.length; i += SLICE) {
      const representations = invoiceIds.slice(i, i + SLICE).map((id) => ({ __typename: 'Invoice', id }));
      let body: { data?: { _entities?: ({ id: string; disputed: boolean } | null)[] }; errors?: unknown[] };
      try {
        const response = await fetch(this.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: QUERY, variables: { representations } }),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        body = (await response.json()) as typeof body;
      } catch {
        throw unavailable();
      }
      if (!body.data?._entities || body.errors?.length) throw unavailable();
      for (const entity of body.data._entities) if (entity?.disputed) disputed.add(entity.id);
    }
    return disputed;
  }
}

/** A stand-in with a fixed set of disputed invoices (tests, or a deployment without claims). */
export class StaticDisputeSource implements DisputeSource {
  constructor(readonly ids = new Set<string>()) {}

  async disputed(invoiceIds: string[]): Promise<Set<string>> {
    return new Set(invoiceIds.filter((id) => this.ids.has(id)));
  }
}
