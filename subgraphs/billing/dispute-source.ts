import { fetchEntities, type ServiceCredentials } from '../platform';

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

/** Asks the claims subgraph at CLAIMS_URL. If it cannot answer, the run fails rather than dun a disputed invoice. */
export class HttpDisputeSource implements DisputeSource {
  constructor(
    private readonly url: string,
    /** Billing's service principal. */
    private readonly credentials: ServiceCredentials,
    /** Deadline per request; default 10 s. */
    private readonly timeoutMs = 10_000,
  ) {}

  async disputed(invoiceIds: string[]): Promise<Set<string>> {
    const target = { url: this.url, serviceName: 'claims', timeoutMs: this.timeoutMs };
    const invoices = await fetchEntities<{ id: string; disputed: boolean }>(target, 'Invoice', invoiceIds, 'id disputed', this.credentials);
    return new Set(invoices.filter((i) => i.disputed).map((i) => i.id));
  }
}

/** A stand-in with a fixed set of disputed invoices (tests, or a deployment without claims). */
export class StaticDisputeSource implements DisputeSource {
  constructor(readonly ids = new Set<string>()) {}

  async disputed(invoiceIds: string[]): Promise<Set<string>> {
    return new Set(invoiceIds.filter((id) => this.ids.has(id)));
  }
}
