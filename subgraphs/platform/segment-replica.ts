import { Column, Entity, Index, PrimaryColumn, type DataSource, type EntityManager } from 'typeorm';
import { isMysql, retryConflicts } from './datasource';
import { badUserInput } from './errors';
import { insertRows } from './seed';
import { placeholders, sqlInstant } from './sql';
import type { SeedInput } from './subgraph';

/**
 * Which segment each customer is in, replicated from the customers subgraph
 * to the subgraphs that report per segment (SegmentReport). Each of them keeps
 * the fact in a table of its own database, so that a report is a JOIN there
 * and no list of customer ids ever travels through the gateway. The customers
 * subgraph delivers changes from its outbox (subgraphs/customers/segment-outbox.*).
 */
export const SEGMENT_REPLICA_PEERS = ['billing', 'claims', 'contacts'] as const;
export type SegmentReplicaPeer = (typeof SEGMENT_REPLICA_PEERS)[number];

/**
 * The internal mutation through which a peer receives segment changes. One
 * name per peer: Federation lets a root field live in several subgraphs only
 * as @shareable, which would claim the three are interchangeable; they are
 * not, each writes its own replica. @inaccessible keeps them out of the API.
 */
export function replicationMutation(peer: SegmentReplicaPeer): string {
  return `_replicateCustomerSegmentsTo${peer.charAt(0).toUpperCase()}${peer.slice(1)}`;
}

/** One delivered fact: the customer is in `segment` as of its `version` (the customer's optimistic-lock version). */
export interface CustomerSegmentRow {
  customerId: string;
  segment: string;
  version: number;
}

/** Most rows one delivery may carry: four bound parameters each stay far below SQLite's 32,766. */
export const MAX_REPLICATION_ROWS = 1000;

/** The replica table; created by each peer's own migration (1764500000000-CustomerSegments). */
@Entity({ name: 'customer_segments' })
@Index('ix_customer_segments_segment', ['segment', 'customerId'])
export class CustomerSegmentEntity {
  @PrimaryColumn({ name: 'customer_id', type: 'varchar', length: 36 })
  customerId!: string;

  @Column({ type: 'varchar', length: 1 })
  segment!: string;

  /** The customer's version this row reflects: a delivery only replaces a lower one. */
  @Column({ type: 'int' })
  version!: number;

  /** When this replica row was last written. */
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}

/** The highest version per customer, in customer id order (a stable lock order across concurrent deliveries). */
export function newestPerCustomer<T extends CustomerSegmentRow>(rows: readonly T[]): T[] {
  const newest = new Map<string, T>();
  for (const row of rows) {
    const seen = newest.get(row.customerId);
    if (!seen || row.version > seen.version) newest.set(row.customerId, row);
  }
  return [...newest.values()].sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
}

/**
 * The version-guarded upsert, one statement for the whole batch: a row is
 * inserted, or overwrites a stored row of a lower version; an equal or
 * higher stored version stays. Duplicates and reordered deliveries are
 * therefore harmless.
 */
export async function upsertNewerSegments(manager: EntityManager, rows: readonly CustomerSegmentRow[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  const at = sqlInstant(manager.dataSource, now);
  const params = rows.flatMap((r) => [r.customerId, r.segment, r.version, at]);
  const insert = `INSERT INTO customer_segments (customer_id, segment, version, updated_at) VALUES ${rows.map(() => `(${placeholders(4)})`).join(', ')}`;
  // MySQL evaluates the assignments left to right, each seeing the ones before: version goes last.
  const upsert = isMysql(manager.dataSource)
    ? `${insert} ON DUPLICATE KEY UPDATE
         segment = IF(VALUES(version) > version, VALUES(segment), segment),
         updated_at = IF(VALUES(version) > version, VALUES(updated_at), updated_at),
         version = GREATEST(version, VALUES(version))`
    : `${insert} ON CONFLICT (customer_id) DO UPDATE SET
         segment = excluded.segment, version = excluded.version, updated_at = excluded.updated_at
         WHERE excluded.version > customer_segments.version`;
  await manager.query(upsert, params);
}

function validate(rows: readonly CustomerSegmentRow[]): void {
  if (rows.length > MAX_REPLICATION_ROWS) throw badUserInput('rows', `at most ${MAX_REPLICATION_ROWS} rows per delivery`);
  rows.forEach((row, i) => {
    if (row.customerId.length === 0 || row.customerId.length > 36) throw badUserInput(`rows[${i}].customerId`, 'customerId must be 1-36 characters');
    if (!Number.isInteger(row.version) || row.version < 1) throw badUserInput(`rows[${i}].version`, 'version must be a positive integer');
  });
}

/**
 * What a peer's replication mutation does: validates, then applies the batch
 * in one transaction (every write goes through `transaction()`, see
 * datasource.ts). Concurrent deliveries touching the same customers may
 * deadlock on InnoDB; the loser is simply run again, as the outcome does not
 * depend on the order. Answers how many rows were accepted.
 */
export async function replicateCustomerSegments(dataSource: DataSource, rows: readonly CustomerSegmentRow[], now: Date): Promise<number> {
  validate(rows);
  const newest = newestPerCustomer(rows);
  // READ COMMITTED: the peers' triggers then move each customer's rows (e.g. billing's invoices) under
  // record locks only, without the gap locks that made concurrent inserts for neighbouring customers deadlock.
  await retryConflicts(() => dataSource.transaction('READ COMMITTED', (manager) => upsertNewerSegments(manager, newest, now)), 5);
  return rows.length;
}

/** A peer's seed: every seed customer's segment, at version 1 (the customers seed writes version 1). */
export async function seedCustomerSegments(dataSource: DataSource, input: SeedInput): Promise<number> {
  await insertRows(
    dataSource,
    'customer_segments',
    input.customers.map((c) => ({ customer_id: c.id, segment: c.segment, version: 1, updated_at: new Date(`${c.customerSince}T08:00:00.000Z`) })),
  );
  return input.customers.length;
}
