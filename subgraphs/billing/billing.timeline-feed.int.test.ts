import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { billingHarness } from '../../test/support/billing';
import { DATABASE_KINDS, databaseOf } from '../../test/support/database';
import { createLogger } from '../platform/logger';
import { findTimeline } from '../platform/timeline';
import { TimelineFeed } from '../platform/timeline-feed';
import { withTimelineTriggersOff } from '../platform/timeline-feed.migration';
import { readTimelineSlices, type TimelineSlice } from '../platform/timeline-slices';
import { billingTimeline } from './billing.timeline';

/**
 * Billing's triggers and its feed, against its real database in both
 * dialects. The customers subgraph is stood in for by an HTTP server that
 * keeps, per customer, the slice of the highest version it was sent (the
 * projection's rule) and can be made to fail.
 */
describe.each(DATABASE_KINDS)('the billing timeline feed on %s', (kind) => {
  let t: Awaited<ReturnType<typeof billingHarness>>;
  let server: Server;
  let feed: TimelineFeed;
  const kept = new Map<string, TimelineSlice>();
  let deliveries = 0;
  let failing = false;

  beforeAll(async () => {
    t = await billingHarness(undefined, { database: databaseOf(kind, 'billing') });
    t.directory.add('c1', 'PERSON').add('c2', 'ORGANIZATION');
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        deliveries++;
        if (failing) {
          res.writeHead(503).end();
          return;
        }
        const slices = readTimelineSlices(JSON.parse(Buffer.concat(chunks).toString()));
        for (const s of slices) if ((kept.get(s.customerId)?.version ?? 0) < s.version) kept.set(s.customerId, s);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: slices.length }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    const credentials = { headers: async () => ({}) };
    feed = new TimelineFeed(t.h.dataSource, 'billing', billingTimeline, { url, credentials }, createLogger('billing', { level: 'silent' }), {
      batchSize: 3,
    });
  });
  afterAll(async () => {
    await feed?.stop();
    server?.close();
    await t?.h.close();
  });

  const versions = async () =>
    new Map(
      ((await t.h.dataSource.query('SELECT customer_id, version, pending FROM timeline_versions')) as Record<string, unknown>[]).map((r) => [
        String(r.customer_id),
        { version: Number(r.version), pending: Number(r.pending) },
      ]),
    );
  const raw = async (customerId: string) =>
    (await findTimeline(t.h.dataSource, 'billing', billingTimeline, { customerIds: [customerId] }))
      .map((e) => `${e.kind} ${e.key} ${e.at.toISOString()}`)
      .sort();
  const sent = (customerId: string) => (kept.get(customerId)?.events ?? []).map((e) => `${e.kind} ${e.key} ${e.at.toISOString()}`).sort();

  it('marks a customer pending in the writing transaction, through the invoice for payments, and sends its whole slice', async () => {
    const invoice = (await t.invoice('c1', '2026-10-01', '2026-10-15', '100.00')).id;
    await t.pay(invoice, '40.00', 'feed-1', '2026-10-05T10:00:00Z');
    const before = (await versions()).get('c1')!;
    expect(before.pending).toBe(1);
    // The invoice row (insert, then the payment's update of its paid amount) and the payment row.
    expect(before.version).toBeGreaterThanOrEqual(3);
    expect(await feed.flush()).toBe(1);
    expect(kept.get('c1')!.version).toBe(before.version);
    expect(sent('c1')).toEqual(await raw('c1'));
    expect(sent('c1').filter((e) => e.startsWith('PAYMENT_RECEIVED'))).toHaveLength(1);
    expect((await versions()).get('c1')!.pending).toBe(0);
    // Nothing pending: a run sends nothing.
    expect(await feed.flush()).toBe(0);
  });

  it('sends a deletion too: the slice is what the tables hold now', async () => {
    await t.h.dataSource.transaction((m) => m.query(`DELETE FROM payments WHERE idempotency_key = ?`, ['feed-1']));
    expect((await versions()).get('c1')!.pending).toBe(1);
    await feed.flush();
    expect(sent('c1')).toEqual(await raw('c1'));
    expect(sent('c1').some((e) => e.startsWith('PAYMENT_RECEIVED'))).toBe(false);
  });

  it('keeps customers pending while the customers subgraph fails, and sends them once it is back', async () => {
    failing = true;
    await t.invoice('c2', '2026-10-02', '2026-10-16', '70.00');
    expect(await feed.flush()).toBe(0);
    expect((await versions()).get('c2')!.pending).toBe(1);
    // What the c360_timeline_feed_pending gauge shows.
    expect(await feed.pending()).toBe(1);
    failing = false;
    expect(await feed.flush()).toBe(1);
    expect(sent('c2')).toEqual(await raw('c2'));
    expect(await feed.pending()).toBe(0);
  });

  it('ends with every parallel write sent, however runs and writes interleave', async () => {
    const invoice = (await t.invoice('c1', '2026-10-03', '2026-10-17', '500.00')).id;
    const deliveredBefore = deliveries;
    await Promise.all([
      ...Array.from({ length: 12 }, (_, i) => t.pay(invoice, '1.00', `feed-par-${i}`, `2026-10-06T10:${String(i).padStart(2, '0')}:00Z`)),
      ...Array.from({ length: 6 }, () => feed.flush()),
    ]);
    await feed.flush();
    const now = (await versions()).get('c1')!;
    expect(now.pending).toBe(0);
    expect(kept.get('c1')!.version).toBe(now.version);
    expect(sent('c1')).toEqual(await raw('c1'));
    expect(sent('c1').filter((e) => e.startsWith('PAYMENT_RECEIVED'))).toHaveLength(12);
    expect(deliveries).toBeGreaterThan(deliveredBefore);
  });

  it('runs beside a bulk write over many customers (as a seed or batch job does) without a deadlock, and ends with all sent', async () => {
    const ids = Array.from({ length: 24 }, (_, i) => `bulk-${String(i).padStart(2, '0')}`);
    for (const id of ids) t.directory.add(id, 'ORGANIZATION');
    for (const id of ids) await t.invoice(id, '2026-10-04', '2026-10-18', '10.00');
    // Each statement fires the triggers of every customer, newest id first: the opposite order of the feed's batches.
    const order = kind === 'mariadb' ? ' ORDER BY customer_id DESC' : '';
    const bulk = () => t.h.dataSource.query(`UPDATE invoices SET dunning_level = dunning_level WHERE customer_id LIKE 'bulk-%'${order}`);
    await Promise.all([...Array.from({ length: 8 }, bulk), ...Array.from({ length: 8 }, () => feed.flush())]);
    await feed.flush();
    expect(await feed.pending()).toBe(0);
    const now = await versions();
    for (const id of ids) {
      expect(kept.get(id)!.version).toBe(now.get(id)!.version);
      expect(sent(id)).toEqual(await raw(id));
    }
  });

  it('loads in bulk with the triggers off, then restores them and marks every customer pending, also when the load fails', async () => {
    t.directory.add('seeded', 'PERSON');
    await feed.flush();
    const before = await versions();
    await withTimelineTriggersOff(t.h.dataSource, async () => {
      await t.invoice('seeded', '2026-10-05', '2026-10-19', '30.00');
      // Off during the load: the write marked nothing.
      expect((await versions()).has('seeded')).toBe(false);
    });
    const after = await versions();
    expect(after.get('seeded')!.pending).toBe(1);
    // Every customer with events is sent again, with a higher version.
    for (const [id, v] of before) expect(after.get(id)!.version).toBeGreaterThan(v.version);
    await expect(
      withTimelineTriggersOff(t.h.dataSource, async () => {
        throw new Error('load failed');
      }),
    ).rejects.toThrow('load failed');
    // Restored: a write after the failed load bumps the version again.
    const version = (await versions()).get('seeded')!.version;
    await t.invoice('seeded', '2026-10-06', '2026-10-20', '31.00');
    expect((await versions()).get('seeded')!.version).toBeGreaterThan(version);
    await feed.flush();
    expect(await feed.pending()).toBe(0);
    expect(sent('seeded')).toEqual(await raw('seeded'));
  });
});
