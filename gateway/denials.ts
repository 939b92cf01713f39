import type { GatewayAuditRecord } from '../subgraphs/platform';
import type { InternalSigner } from '../subgraphs/platform/auth';
import { createLogger } from '../subgraphs/platform/logger';

/** One refused request or served export, as the audit trail records it. */
export type Denial = GatewayAuditRecord;

/** The customers subgraph's internal mutation that takes the gateway's denials into its audit trail. */
export const DENIALS_MUTATION = '_recordDenials';

/** Most denials held between flushes; beyond it they are counted, not kept, so a flood of bad requests cannot grow the gateway. */
const MAX_QUEUE = 1000;

/**
 * Refusals the gateway decides itself (UNAUTHENTICATED, and FORBIDDEN
 * before planning) never reach a subgraph, so the gateway reports them to the
 * customers subgraph's audit trail: batched every `intervalMs` (default
 * 1000), after the response and never in its way, as a service principal.
 * A batch that cannot be delivered is logged and dropped; the request it
 * belongs to was answered long before.
 */
export class DenialReporter {
  private queue: Denial[] = [];
  private dropped = 0;
  private timer: NodeJS.Timeout | undefined;
  private failing = false;

  constructor(
    private readonly customersUrl: string,
    private readonly signer: InternalSigner,
    private readonly intervalMs = 1000,
    private readonly log: (line: string) => void = (line) => createLogger('gateway').warn(line),
  ) {}

  report(denial: Omit<Denial, 'at'>): void {
    if (this.queue.length >= MAX_QUEUE) this.dropped++;
    else this.queue.push({ ...denial, at: new Date().toISOString() });
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.intervalMs);
      this.timer.unref();
    }
  }

  async flush(): Promise<void> {
    this.timer = undefined;
    const batch = this.queue;
    this.queue = [];
    if (this.dropped > 0) {
      batch.push({
        actor: 'gateway',
        actorKind: 'service',
        entityType: `Request (${this.dropped} more not kept)`,
        outcome: 'UNAUTHENTICATED',
        at: new Date().toISOString(),
      });
      this.dropped = 0;
    }
    if (batch.length === 0) return;
    try {
      const response = await fetch(this.customersUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await this.signer.serviceHeaders('gateway')) },
        body: JSON.stringify({ query: `mutation($d: String!) { ${DENIALS_MUTATION}(denials: $d) }`, variables: { d: JSON.stringify(batch) } }),
        signal: AbortSignal.timeout(5000),
      });
      const body = (await response.json()) as { errors?: unknown[] };
      if (!response.ok || body.errors?.length) throw new Error(`HTTP ${response.status}`);
      if (this.failing) this.log('denials reach the audit trail again');
      this.failing = false;
    } catch (error) {
      if (!this.failing)
        this.log(`${batch.length} denials could not be written to the audit trail (${error instanceof Error ? error.message : String(error)})`);
      this.failing = true;
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await this.flush();
  }
}
