import type { DataSource, EntityManager } from 'typeorm';
import { isMysql, retryConflicts } from '../platform/datasource';
import { placeholders, readInstant, sqlInstant } from '../platform/sql';
import type { TimelineKind, TimelineRow } from '../platform/timeline';
import type { TimelineSlice } from '../platform/timeline-slices';

/** Rows per INSERT: eight bound parameters each stay far below SQLite's 32,766. */
const INSERT_ROWS = 2000;

/** Slices in customer id order: concurrent deliveries lock the slice rows in one order. */
const byCustomer = (a: TimelineSlice, b: TimelineSlice) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0);

/**
 * Replaces each slice of `source` whose stored version is lower than the
 * one delivered: its version row, then its events, in one transaction. The
 * version rows are locked first (FOR UPDATE on MariaDB; SQLite transactions
 * are serialised), so two deliveries of one slice apply one after the
 * other and the higher version wins whatever their order. Answers how many
 * slices were replaced.
 */
export async function applySlices(dataSource: DataSource, source: string, delivered: TimelineSlice[]): Promise<number> {
  // A delivery naming a customer twice: its highest version counts.
  const newest = new Map<string, TimelineSlice>();
  for (const s of delivered) if ((newest.get(s.customerId)?.version ?? 0) < s.version) newest.set(s.customerId, s);
  const slices = [...newest.values()].sort(byCustomer);
  if (slices.length === 0) return 0;
  // READ COMMITTED: record locks only, no gap locks between neighbouring customers' events.
  return retryConflicts(() => dataSource.transaction('READ COMMITTED', (manager) => replaceNewer(manager, source, slices)), 5);
}

async function replaceNewer(manager: EntityManager, source: string, slices: TimelineSlice[]): Promise<number> {
  const mysql = isMysql(manager.connection);
  const ids = slices.map((s) => s.customerId);
  // On MariaDB an upsert, not INSERT IGNORE: IGNORE takes a shared lock on an existing row, and two deliveries
  // holding it would deadlock upgrading to the FOR UPDATE below; the upsert takes the exclusive lock at once.
  await manager.query(
    `INSERT INTO timeline_slices (customer_id, source, version) VALUES ${slices.map(() => '(?, ?, 0)').join(', ')}
     ${mysql ? 'ON DUPLICATE KEY UPDATE version = version' : 'ON CONFLICT (customer_id, source) DO NOTHING'}`,
    ids.flatMap((id) => [id, source]),
  );
  const stored: { customer_id: string; version: number | string }[] = await manager.query(
    `SELECT customer_id, version FROM timeline_slices WHERE source = ? AND customer_id IN (${placeholders(ids.length)}) ORDER BY customer_id${mysql ? ' FOR UPDATE' : ''}`,
    [source, ...ids],
  );
  const storedVersion = new Map(stored.map((r) => [String(r.customer_id), Number(r.version)]));
  const newer = slices.filter((s) => s.version > (storedVersion.get(s.customerId) ?? 0));
  if (newer.length === 0) return 0;
  const newerIds = newer.map((s) => s.customerId);
  await manager.query(
    `UPDATE timeline_slices SET version = CASE customer_id ${newer.map(() => 'WHEN ? THEN ?').join(' ')} END
     WHERE source = ? AND customer_id IN (${placeholders(newer.length)})`,
    [...newer.flatMap((s) => [s.customerId, s.version]), source, ...newerIds],
  );
  await manager.query(`DELETE FROM timeline_events WHERE source = ? AND customer_id IN (${placeholders(newer.length)})`, [source, ...newerIds]);
  const rows = newer.flatMap((s) =>
    s.events.map((e) => [s.customerId, source, e.key, sqlInstant(manager.connection, e.at), e.kind, e.entityType, e.entityId, e.summary]),
  );
  for (let i = 0; i < rows.length; i += INSERT_ROWS) {
    const chunk = rows.slice(i, i + INSERT_ROWS);
    await manager.query(
      `INSERT INTO timeline_events (customer_id, source, event_key, occurred_at, kind, entity_type, entity_id, summary)
       VALUES ${chunk.map(() => `(${placeholders(8)})`).join(', ')}`,
      chunk.flat(),
    );
  }
  return newer.length;
}

/** What a projected read asks: the page's filters and where it continues in the merged order. */
export interface ProjectedQuery {
  customerIds: string[];
  kinds?: TimelineKind[];
  from?: Date;
  to?: Date;
  /** The cursor: instant, source, key of the last event of the previous page. */
  after?: [at: Date, source: string, key: string];
  /** Most events per customer. */
  limit: number;
}

/**
 * The newest `limit` projected events of each customer after the cursor, in
 * the merged order (newest first; at one instant by source, then key
 * descending): one statement however many customers.
 */
export async function findProjected(dataSource: DataSource, query: ProjectedQuery): Promise<TimelineRow[]> {
  if (query.customerIds.length === 0) return [];
  const where = [`customer_id IN (${placeholders(query.customerIds.length)})`];
  const params: unknown[] = [...query.customerIds];
  if (query.kinds) {
    where.push(`kind IN (${placeholders(query.kinds.length)})`);
    params.push(...query.kinds);
  }
  if (query.from) {
    where.push('occurred_at >= ?');
    params.push(sqlInstant(dataSource, query.from));
  }
  if (query.to) {
    where.push('occurred_at < ?');
    params.push(sqlInstant(dataSource, query.to));
  }
  if (query.after) {
    const [at, source, key] = query.after;
    const instant = sqlInstant(dataSource, at);
    where.push('(occurred_at < ? OR (occurred_at = ? AND (source > ? OR (source = ? AND event_key < ?))))');
    params.push(instant, instant, source, source, key);
  }
  const order = 'occurred_at DESC, source ASC, event_key DESC';
  const columns = 'customer_id, source, event_key, occurred_at, kind, entity_type, entity_id, summary';
  const limit = Math.floor(query.limit);
  const sql =
    query.customerIds.length === 1
      ? `SELECT ${columns} FROM timeline_events WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${limit}`
      : `SELECT ${columns} FROM (
           SELECT ${columns}, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY ${order}) AS rn FROM timeline_events WHERE ${where.join(' AND ')}
         ) ranked WHERE rn <= ${limit}`;
  const rows: Record<string, unknown>[] = await dataSource.query(sql, params);
  return rows.map((r) => ({
    customerId: String(r.customer_id),
    source: String(r.source),
    key: String(r.event_key),
    at: readInstant(r.occurred_at),
    kind: String(r.kind) as TimelineKind,
    entityType: String(r.entity_type),
    entityId: String(r.entity_id),
    summary: String(r.summary),
  }));
}
