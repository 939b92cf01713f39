import type { Connection } from 'mysql2/promise';
import { request } from 'undici';

/** First-page latency of Customer.timeline at our gateway (issue 17: p50 at most 20 ms for a customer with 200 events). */
export interface TimelineLatency {
  customerEvents: number;
  first: number;
  p50: number;
  p95: number;
  max: number;
}

const PAGE = `query($id: ID!, $first: Int) { customer(id: $id) { timeline(first: $first) { nodes { kind occurredAt domain summary entityId } pageInfo { hasNextPage endCursor } } } }`;

/** Every event the timeline derives for one customer, counted from the raw tables of the five databases. */
async function eventsOf(db: Connection, id: string): Promise<number> {
  const counts = [
    `SELECT 1 + (SELECT COUNT(*) FROM customer360_customers.audit_events WHERE entity_type = 'Customer' AND action = 'updateCustomer' AND entity_id = ?) n`,
    'SELECT COUNT(*) n FROM customer360_contacts.interactions WHERE customer_id = ?',
    `SELECT (SELECT COUNT(*) FROM customer360_billing.invoices WHERE customer_id = ?) + (SELECT COUNT(*) FROM customer360_billing.payments p JOIN customer360_billing.invoices i ON i.id = p.invoice_id WHERE i.customer_id = ?)
       + (SELECT COUNT(*) FROM customer360_billing.dunning_notices n JOIN customer360_billing.invoices i ON i.id = n.invoice_id WHERE i.customer_id = ?)
       + (SELECT COUNT(*) FROM customer360_billing.payment_methods WHERE customer_id = ?) n`,
    `SELECT (SELECT COUNT(*) FROM customer360_claims.complaints WHERE customer_id = ?) + (SELECT COUNT(*) FROM customer360_claims.claim_events e JOIN customer360_claims.claims c ON c.id = e.claim_id WHERE c.customer_id = ?) n`,
  ];
  let total = 0;
  for (const sql of counts) {
    const [rows] = await db.query(
      sql,
      Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => id),
    );
    total += Number((rows as { n: unknown }[])[0]!.n);
  }
  return total;
}

/** The peers' databases, whose timeline feeds fill the customers subgraph's projection. */
const FEED_DATABASES = ['billing', 'claims', 'contacts', 'key_accounts'].map((name) => `customer360_${name}`);

/**
 * Waits until no peer has a customer pending for its timeline feed (after a
 * seed, every customer with events is): answers the seconds it took.
 */
export async function feedCaughtUp(db: Connection, timeoutMs = 15 * 60_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    let pending = 0;
    for (const database of FEED_DATABASES) {
      const [rows] = await db.query(`SELECT COUNT(*) n FROM ${database}.timeline_versions WHERE pending = 1`);
      pending += Number((rows as { n: number }[])[0]!.n);
    }
    if (pending === 0) return (Date.now() - started) / 1000;
    if (Date.now() - started > timeoutMs) throw new Error(`the timeline feeds still have ${pending} customers pending`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * Picks the customer with the most interactions, tops it up to `target`
 * events with logged interactions (through the gateway, as an agent would),
 * then times `runs` first pages one after another over a kept-alive
 * connection, after a warm-up.
 */
export async function timelineLatency(url: string, authorization: string, db: Connection, target = 200, runs = 200): Promise<TimelineLatency> {
  await feedCaughtUp(db);
  const [top] = await db.query('SELECT customer_id id FROM customer360_contacts.interactions GROUP BY customer_id ORDER BY COUNT(*) DESC LIMIT 1');
  const id = (top as { id: string }[])[0]!.id;
  const headers = { 'content-type': 'application/json', authorization };
  const missing = Math.max(0, target - (await eventsOf(db, id)));
  for (let i = 0; i < missing; i++) {
    const occurredAt = new Date(Date.now() - (i + 1) * 3_600_000).toISOString();
    const body = JSON.stringify({
      query: `mutation($i: LogInteractionInput!) { logInteraction(input: $i) { id } }`,
      variables: {
        i: {
          customerId: id,
          channel: 'PHONE',
          direction: 'INBOUND',
          serviceArea: 'HELPDESK',
          competenceLevel: 'FIRST_LEVEL',
          handledBy: 'bench',
          subject: 'bench',
          resolvedOnFirstContact: true,
          occurredAt,
        },
      },
    });
    const response = await request(url, { method: 'POST', headers, body });
    const text = await response.body.text();
    if (text.includes('"errors"')) throw new Error(`topping up the timeline failed: ${text.slice(0, 200)}`);
  }
  const customerEvents = await eventsOf(db, id);
  const body = JSON.stringify({ query: PAGE, variables: { id, first: 20 } });
  const times: number[] = [];
  for (let i = 0; i < runs + 20; i++) {
    const started = process.hrtime.bigint();
    const response = await request(url, { method: 'POST', headers, body });
    const text = await response.body.text();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (!text.includes('"timeline"') || text.includes('"errors"')) throw new Error(`the timeline page failed: ${text.slice(0, 200)}`);
    if (i >= 20) times.push(ms);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(times.length * q))]!;
  return { customerEvents, first: 20, p50: at(0.5), p95: at(0.95), max: times[times.length - 1]! };
}
