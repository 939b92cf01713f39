import { Table, TableIndex, type DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import type { Identity } from './auth';
import { isMysql } from './datasource';
import { placeholders, readInstant, sqlInstant } from './sql';

/**
 * The audit trail. Every mutation writes one row, in the same transaction as
 * its change, into the audit_events table of the subgraph that owns the data:
 * who (the signed principal), when, what (action, entity), and the changed
 * fields' before and after values, personal values masked. Refusals (the
 * subgraph's own FORBIDDEN, and the gateway's UNAUTHENTICATED/FORBIDDEN it
 * reports) and exports are rows too. The table is append-only: no API
 * changes or deletes a row, and triggers refuse UPDATE and DELETE.
 */
export interface AuditChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface AuditEvent {
  action: string;
  entityType: string;
  entityId: string | null;
  outcome?: 'OK' | 'FORBIDDEN' | 'UNAUTHENTICATED';
  changes?: AuditChange[];
  /** Who, when the event is not the request's own caller (e.g. a denial the gateway reports). */
  actor?: { sub: string; kind: string };
}

export interface StoredAuditEvent extends Required<Omit<AuditEvent, 'actor'>> {
  id: number;
  at: Date;
  actor: string;
  actorKind: string;
  /** Who decided: the subgraph, or `gateway` for the refusals it reports. */
  service: string;
  /** The subgraph whose table holds the row (ids are unique per source; the merged order and its cursors use it). */
  source: string;
}

/** What a masked personal value shows in the trail: that it changed, never what it was. */
export const MASKED = '[masked]';

/**
 * The fields that differ between two snapshots, in field order; `personal`
 * ones are masked on both sides (null stays null, so that "was set" and
 * "was cleared" remain visible).
 */
export function auditChanges(before: Record<string, unknown> | null, after: Record<string, unknown> | null, personal: readonly string[] = []): AuditChange[] {
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  const normal = (v: unknown) => (v instanceof Date ? v.toISOString() : v === undefined ? null : v);
  const mask = (field: string, v: unknown) => (personal.includes(field) && v !== null ? MASKED : v);
  const changes: AuditChange[] = [];
  for (const field of fields) {
    const a = normal(before?.[field]);
    const b = normal(after?.[field]);
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    changes.push({ field, before: mask(field, a), after: mask(field, b) });
  }
  return changes;
}

/** Writes one audit row with the manager of the write's own transaction. */
export async function recordAudit(manager: EntityManager, service: string, identity: Identity, at: Date, event: AuditEvent): Promise<void> {
  await manager.query(
    `INSERT INTO audit_events (at, service, actor, actor_kind, action, entity_type, entity_id, outcome, changes) VALUES (${placeholders(9)})`,
    [
      sqlInstant(manager.connection, at),
      service,
      event.actor?.sub ?? identity.userId ?? 'anonymous',
      event.actor?.kind ?? identity.kind ?? 'user',
      event.action,
      event.entityType,
      event.entityId,
      event.outcome ?? 'OK',
      JSON.stringify(event.changes ?? []),
    ],
  );
}

/** Which rows a page of the trail holds; newest first, `after` a cursor from an earlier page. */
/**
 * What the gateway decided itself, as it sends it to the customers
 * subgraph's audit trail (`_recordDenials`): a refused request, or (outcome
 * OK, entityType Export) a BI export it served, `exported` being its file.
 */
export interface GatewayAuditRecord {
  actor: string;
  actorKind: string;
  /** What was refused: a schema coordinate such as Mutation.recordPayment, Request for missing credentials; or Export. */
  entityType: string;
  outcome: 'UNAUTHENTICATED' | 'FORBIDDEN' | 'OK';
  /** With outcome OK: the export served, e.g. customers.csv (recorded as action EXPORT). */
  exported?: string;
  at: string;
}

export interface AuditQuery {
  entityType?: string;
  entityId?: string;
  actor?: string;
  from?: Date;
  to?: Date;
  /** Rows older than this (at, id) position in this subgraph; undefined from the newest. */
  before?: { at: Date; id: number };
  limit: number;
}

export async function findAuditEvents(dataSource: DataSource, source: string, query: AuditQuery): Promise<StoredAuditEvent[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    where.push(sql);
    params.push(...values);
  };
  if (query.entityType) add('entity_type = ?', query.entityType);
  if (query.entityId) add('entity_id = ?', query.entityId);
  if (query.actor) add('actor = ?', query.actor);
  if (query.from) add('at >= ?', sqlInstant(dataSource, query.from));
  if (query.to) add('at <= ?', sqlInstant(dataSource, query.to));
  if (query.before) {
    const at = sqlInstant(dataSource, query.before.at);
    add('(at < ? OR (at = ? AND id < ?))', at, at, query.before.id);
  }
  const rows: Record<string, unknown>[] = await dataSource.query(
    `SELECT id, at, service, actor, actor_kind, action, entity_type, entity_id, outcome, changes FROM audit_events
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT ${Math.floor(query.limit)}`,
    params,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    at: readInstant(r.at),
    // The column, not `service`: the customers subgraph also keeps the gateway's refusals.
    service: String(r.service),
    source,
    actor: String(r.actor),
    actorKind: String(r.actor_kind),
    action: String(r.action),
    entityType: String(r.entity_type),
    entityId: r.entity_id === null ? null : String(r.entity_id),
    outcome: String(r.outcome) as StoredAuditEvent['outcome'],
    changes: JSON.parse(String(r.changes)) as AuditChange[],
  }));
}

/**
 * The table, its indexes, and the triggers that make it append-only; for each
 * subgraph's migration (a helper, like createSequenceTable: the DDL is the
 * same everywhere).
 */
export async function createAuditTable(queryRunner: QueryRunner): Promise<void> {
  const mysql = isMysql(queryRunner.connection);
  await queryRunner.createTable(
    new Table({
      name: 'audit_events',
      columns: [
        mysql
          ? { name: 'id', type: 'bigint', isPrimary: true, isGenerated: true, generationStrategy: 'increment' }
          : { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        { name: 'at', type: 'datetime', precision: 3 },
        { name: 'service', type: 'varchar', length: '16' },
        { name: 'actor', type: 'varchar', length: '200' },
        { name: 'actor_kind', type: 'varchar', length: '16' },
        { name: 'action', type: 'varchar', length: '64' },
        { name: 'entity_type', type: 'varchar', length: '100' },
        { name: 'entity_id', type: 'varchar', length: '64', isNullable: true },
        { name: 'outcome', type: 'varchar', length: '16' },
        { name: 'changes', type: 'text' },
      ],
      indices: [
        new TableIndex({ name: 'ix_audit_entity', columnNames: ['entity_type', 'entity_id', 'at'] }),
        new TableIndex({ name: 'ix_audit_actor', columnNames: ['actor', 'at'] }),
        new TableIndex({ name: 'ix_audit_at', columnNames: ['at'] }),
      ],
    }),
  );
  for (const event of ['UPDATE', 'DELETE']) {
    const name = `audit_events_no_${event.toLowerCase()}`;
    await queryRunner.query(
      mysql
        ? `CREATE TRIGGER ${name} BEFORE ${event} ON audit_events FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit rows are append-only'`
        : `CREATE TRIGGER ${name} BEFORE ${event} ON audit_events BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END`,
    );
  }
}

export async function dropAuditTable(queryRunner: QueryRunner): Promise<void> {
  for (const event of ['update', 'delete']) await queryRunner.query(`DROP TRIGGER IF EXISTS audit_events_no_${event}`);
  await queryRunner.dropTable('audit_events');
}
