import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { DataSource } from 'typeorm';
import type { ServiceCredentials } from './auth';
import type { SubgraphName } from './config';
import { safeError, type Logger } from './logger';
import { isMysql } from './datasource';
import { placeholders } from './sql';
import { findTimeline, type TimelineRow, type TimelineSource } from './timeline';
import { MAX_DELIVERY_EVENTS, TIMELINE_SLICES_ROUTE, type TimelineSlice } from './timeline-slices';

export interface TimelineFeedOptions {
  /** TIMELINE_FEED_INTERVAL_MS: how often customers still pending are sent (after an outage, a seed, a write outside a mutation); default 1000. */
  intervalMs: number;
  /** Customers read and sent per batch; default 200. */
  batchSize: number;
  /** Deadline of one delivery; default 10,000 ms. */
  timeoutMs: number;
  /** How long a mutation's answer waits for its events to reach the projection; default 3000 ms (then the timer sends them). */
  mutationWaitMs: number;
}

export const DEFAULT_TIMELINE_FEED_OPTIONS: TimelineFeedOptions = { intervalMs: 1000, batchSize: 200, timeoutMs: 10_000, mutationWaitMs: 3000 };

type Delivery = TimelineSlice[];

/** Whole slices, in deliveries of at most MAX_DELIVERY_EVENTS events (a larger slice travels alone). */
export function deliveries(slices: TimelineSlice[], maxEvents = MAX_DELIVERY_EVENTS): Delivery[] {
  const out: Delivery[] = [];
  let current: Delivery = [];
  let events = 0;
  for (const slice of slices) {
    if (current.length > 0 && events + slice.events.length > maxEvents) {
      out.push(current);
      current = [];
      events = 0;
    }
    current.push(slice);
    events += slice.events.length;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/**
 * Sends a peer's timeline events to the customers subgraph's projection.
 * Triggers on the peer's event tables bump a customer's version and mark it
 * pending in the writer's transaction (timeline-feed.migration.ts). A run
 * reads pending customers' versions and all their events in one snapshot,
 * sends each customer's whole slice with its version, and clears `pending`
 * only where the version is still the one sent: a write that committed
 * meanwhile keeps its customer pending for the next run. The projection
 * keeps the highest version per slice, so duplicate, concurrent or
 * reordered deliveries (several processes, retries) are harmless.
 *
 * Runs after every mutation before its answer leaves (so a client reads its
 * own write), on a timer, and once at start. Runs never overlap in this
 * process. While the customers subgraph is down, the answers of mutations
 * do not wait, and the timer retries.
 */
export class TimelineFeed {
  private readonly options: TimelineFeedOptions;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private queued: Promise<number> | undefined;
  private stopped = false;
  private failing = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly service: SubgraphName,
    private readonly source: TimelineSource,
    /** The customers subgraph's /graphql URL and this subgraph's service principal. */
    private readonly target: { url: string; credentials: ServiceCredentials },
    private readonly logger: Logger,
    options: Partial<TimelineFeedOptions> = {},
  ) {
    const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
    this.options = { ...DEFAULT_TIMELINE_FEED_OPTIONS, ...given };
  }

  start(): void {
    this.stopped = false;
    void this.flush();
    this.timer = setInterval(() => void this.flush(), this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.queued;
    await this.running;
  }

  /** How many customers have events the projection does not have yet (the feed's lag). */
  async pending(): Promise<number> {
    const rows: { n: unknown }[] = await this.dataSource.query('SELECT COUNT(*) AS n FROM timeline_versions WHERE pending = 1');
    return Number(rows[0]?.n ?? 0);
  }

  /** A run that starts after this call (joining one already queued); answers how many customers it sent. Never rejects. */
  flush(): Promise<number> {
    if (!this.running) {
      this.running = this.run().finally(() => (this.running = undefined));
      return this.running;
    }
    this.queued ??= this.running.then(() => {
      this.queued = undefined;
      return this.flush();
    });
    return this.queued;
  }

  /** Apollo plugin: a mutation's answer waits (up to mutationWaitMs) until its events are in the projection. */
  plugin<C extends BaseContext>(): ApolloServerPlugin<C> {
    return {
      requestDidStart: async () => ({
        willSendResponse: async ({ operation }) => {
          if (operation?.operation !== 'mutation' || this.stopped) return;
          const run = this.flush();
          if (this.failing) return;
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([run, new Promise((resolve) => (timer = setTimeout(resolve, this.options.mutationWaitMs)))]);
          clearTimeout(timer);
        },
      }),
    };
  }

  private async run(): Promise<number> {
    let sent = 0;
    try {
      // Bounded: a customer written again during its batch stays pending, and a busy one must not hold the run forever.
      for (let batch = 0; batch < 10_000 && !this.stopped; batch++) {
        const rows: { customer_id: string }[] = await this.dataSource.query(
          `SELECT customer_id FROM timeline_versions WHERE pending = 1 ORDER BY customer_id LIMIT ${Math.floor(this.options.batchSize)}`,
        );
        if (rows.length === 0) break;
        const slices = await this.read(rows.map((r) => String(r.customer_id)));
        for (const delivery of deliveries(slices)) await this.post(delivery);
        await this.clear(slices);
        sent += slices.length;
        if (rows.length < this.options.batchSize) break;
      }
      if (this.failing) this.logger.warn('timeline feed: the customers subgraph takes events again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) {
        const cause = (error as { cause?: { code?: string } })?.cause?.code;
        this.logger.warn(
          { err: safeError(error), cause },
          `timeline feed: events not delivered; the customers stay pending and are retried every ${this.options.intervalMs} ms`,
        );
      }
      this.failing = true;
    }
    return sent;
  }

  /** The customers' versions and every event of theirs, in one snapshot: each slice is exactly what its version counts. */
  private async read(customerIds: string[]): Promise<TimelineSlice[]> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const versions: { customer_id: string; version: number | string }[] = await manager.query(
        `SELECT customer_id, version FROM timeline_versions WHERE customer_id IN (${placeholders(customerIds.length)})`,
        customerIds,
      );
      const events = await findTimeline(this.dataSource, this.service, this.source, { customerIds }, manager);
      const byCustomer = new Map<string, TimelineRow[]>();
      for (const e of events) {
        const list = byCustomer.get(e.customerId);
        if (list) list.push(e);
        else byCustomer.set(e.customerId, [e]);
      }
      return versions.map((v) => ({
        customerId: String(v.customer_id),
        version: Number(v.version),
        events: (byCustomer.get(String(v.customer_id)) ?? []).map((e) => ({
          at: e.at,
          key: e.key,
          kind: e.kind,
          entityType: e.entityType,
          entityId: e.entityId,
          summary: e.summary,
        })),
      }));
    });
  }

  /** One delivery; throws unless the projection acknowledged it. */
  private async post(slices: Delivery): Promise<void> {
    const response = await fetch(this.target.url.replace(/\/graphql$/, TIMELINE_SLICES_ROUTE), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await this.target.credentials.headers()) },
      body: JSON.stringify({ slices }),
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    const body = (await response.json().catch(() => ({}))) as { accepted?: unknown };
    if (!response.ok || typeof body.accepted !== 'number') throw new Error(`HTTP ${response.status}, no acknowledgement`);
  }

  /**
   * Clears `pending` where the version is still the one sent. On MariaDB one
   * autocommitted row at a time: a statement over many rows would hold one
   * customer's row while waiting for the next, and deadlock with a writer
   * (a seed, a batch job) whose multi-row insert fires the triggers on the
   * same customers in another order. Holding one lock, it cannot be in a
   * cycle. SQLite serialises writers, so there one transaction does it.
   */
  private async clear(slices: TimelineSlice[]): Promise<void> {
    const sql = 'UPDATE timeline_versions SET pending = 0 WHERE customer_id = ? AND version = ? AND pending = 1';
    if (!isMysql(this.dataSource)) {
      await this.dataSource.transaction(async (manager) => {
        for (const s of slices) await manager.query(sql, [s.customerId, s.version]);
      });
      return;
    }
    for (const s of slices) await this.dataSource.query(sql, [s.customerId, s.version]);
  }
}
