import type { DataSource } from 'typeorm';
import type { ServiceCredentials } from '../platform';
import { SEGMENT_REPLICA_PEERS, newestPerCustomer, replicationMutation, type SegmentReplicaPeer } from '../platform/segment-replica';
import { SegmentOutboxRepository } from './segment-outbox.repository';
import { createLogger } from '../platform/logger';

export interface SegmentOutboxOptions {
  /** How often pending rows are retried, e.g. after a peer outage (SEGMENT_OUTBOX_INTERVAL_MS); default 5000. */
  intervalMs: number;
  /** Rows per delivery; default 500 (about 40 KB of JSON). */
  batchSize: number;
  /** Deadline of one delivery; default 5000. */
  timeoutMs: number;
  log: (line: string) => void;
}

export const DEFAULT_SEGMENT_OUTBOX_OPTIONS: SegmentOutboxOptions = {
  intervalMs: 5000,
  batchSize: 500,
  timeoutMs: 5000,
  log: (line) => createLogger('customers').warn(line),
};

/** What one run delivered, and to whom it could not. */
export interface DeliveryReport {
  delivered: Record<SegmentReplicaPeer, number>;
  failed: SegmentReplicaPeer[];
}

/**
 * Delivers the segment outbox to billing, claims and contacts, each through
 * its internal replication mutation, in batches, and deletes what a peer
 * acknowledged. Runs after every committed customer write (kick), on a
 * timer, and once at start. A peer that is down keeps its rows, which the
 * next run retries: its figures lag, nothing is lost. Peers are independent;
 * one being down delays no other. Runs never overlap in this process; several
 * processes may deliver the same rows, which the peers' version guard makes
 * harmless.
 */
export class SegmentOutboxDispatcher {
  private readonly options: SegmentOutboxOptions;
  private timer: NodeJS.Timeout | undefined;
  /** The end of the run queue; never rejects. */
  private chain: Promise<unknown> = Promise.resolve();
  /** A kicked run is waiting to start: further kicks join it. */
  private queued = false;
  private stopped = false;
  private readonly down = new Set<SegmentReplicaPeer>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly peerUrls: Record<SegmentReplicaPeer, string>,
    /** The customers subgraph's service principal: the peers accept replication from a service only. */
    private readonly credentials: ServiceCredentials,
    options: Partial<SegmentOutboxOptions> = {},
  ) {
    // An option given as undefined keeps its default.
    const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
    this.options = { ...DEFAULT_SEGMENT_OUTBOX_OPTIONS, ...given };
  }

  /** A run now, then one every intervalMs until stop(). */
  start(): void {
    this.stopped = false;
    this.kick();
    this.timer = setInterval(() => this.kick(), this.options.intervalMs);
    // The timer alone must not keep a process alive that is otherwise done.
    this.timer.unref();
  }

  /** Asks for a run soon; kicks while a run waits to start are one run. */
  kick(): void {
    if (this.stopped || this.queued) return;
    this.queued = true;
    void this.enqueue().catch((error) => this.options.log(`segment outbox run failed: ${error instanceof Error ? error.message : String(error)}`));
  }

  /** Runs once, after any run in progress, and answers what it delivered (tests, operators). */
  drain(): Promise<DeliveryReport> {
    return this.enqueue();
  }

  /** Stops the timer and waits for the run in progress; rows not yet delivered wait for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.chain;
  }

  private enqueue(): Promise<DeliveryReport> {
    const run = this.chain.then(() => {
      this.queued = false;
      return this.runOnce();
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async runOnce(): Promise<DeliveryReport> {
    const results = await Promise.all(SEGMENT_REPLICA_PEERS.map(async (peer) => [peer, await this.deliverTo(peer)] as const));
    return {
      delivered: Object.fromEntries(results.map(([peer, r]) => [peer, r.delivered])) as Record<SegmentReplicaPeer, number>,
      failed: results.filter(([, r]) => !r.ok).map(([peer]) => peer),
    };
  }

  /** Batches until the peer's rows are gone, it fails, or the dispatcher stops. */
  private async deliverTo(peer: SegmentReplicaPeer): Promise<{ delivered: number; ok: boolean }> {
    const repository = SegmentOutboxRepository.of(this.dataSource);
    let delivered = 0;
    try {
      while (!this.stopped) {
        const rows = await repository.pending(peer, this.options.batchSize);
        if (rows.length === 0) break;
        await this.post(
          peer,
          newestPerCustomer(rows).map((r) => ({ customerId: r.customerId, segment: r.segment, version: r.version })),
        );
        // Only the rows sent: a change recorded meanwhile has a later id and stays for the next batch.
        await this.dataSource.transaction((manager) => SegmentOutboxRepository.of(manager).remove(rows.map((r) => r.id)));
        delivered += rows.length;
        if (rows.length < this.options.batchSize) break;
      }
    } catch (error) {
      if (!this.down.has(peer)) {
        this.down.add(peer);
        // fetch reports a refused connection as "fetch failed" with the reason in its cause.
        const cause = (error as { cause?: { code?: string } })?.cause?.code;
        const reason = `${error instanceof Error ? error.message : String(error)}${cause ? `: ${cause}` : ''}`;
        this.options.log(`segment outbox: ${peer} did not take its rows (${reason}); they are kept and retried every ${this.options.intervalMs} ms`);
      }
      return { delivered, ok: false };
    }
    if (this.down.delete(peer)) this.options.log(`segment outbox: ${peer} takes its rows again`);
    return { delivered, ok: true };
  }

  /** One delivery; throws unless the peer acknowledged every row. */
  private async post(peer: SegmentReplicaPeer, rows: { customerId: string; segment: string; version: number }[]): Promise<void> {
    const field = replicationMutation(peer);
    const response = await fetch(this.peerUrls[peer], {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await this.credentials.headers()) },
      body: JSON.stringify({ query: `mutation($rows: [CustomerSegmentInput!]!) { ${field}(rows: $rows) }`, variables: { rows } }),
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    const body = (await response.json().catch(() => ({}))) as { data?: Record<string, unknown> | null; errors?: { message?: string }[] };
    if (body.errors?.length) throw new Error(`HTTP ${response.status}: ${body.errors[0]?.message ?? 'error'}`);
    if (!response.ok || body.data?.[field] !== rows.length) throw new Error(`HTTP ${response.status}, no acknowledgement`);
  }
}
