import type { DataSource, EntityManager } from 'typeorm';
import { isMysql } from './datasource';
import { formatMinor } from './money';
import { placeholders, readInstant, sqlInstant } from './sql';

/**
 * The customer timeline, source side. Every kind of event is derived from
 * the rows the owning subgraph already keeps as its record of what happened
 * (interactions, invoices, payments, notices, complaint and claim events,
 * membership history, the audit trail). The customers subgraph derives its
 * own events at read time; each peer sends its customers' events to the
 * customers subgraph's projection whenever they change (timeline-feed.ts),
 * so that a page is one read in one database (README, "Customer timeline").
 */
export const TIMELINE_KINDS = [
  'CUSTOMER_CREATED',
  'MASTER_DATA_CHANGED',
  'CHANGE_REQUESTED',
  'CHANGE_DECIDED',
  'INTERACTION',
  'INVOICE_ISSUED',
  'PAYMENT_RECEIVED',
  'DUNNING_NOTICE',
  'COLLECTION_HANDOVER',
  'PAYMENT_METHOD_CHANGED',
  'COMPLAINT_OPENED',
  'COMPLAINT_ESCALATED',
  'COMPLAINT_RESOLVED',
  'CLAIM_FILED',
  'CLAIM_TRANSITION',
  'KEY_ACCOUNT_JOINED',
  'KEY_ACCOUNT_LEFT',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/** What every event has, raw or worded. */
interface TimelineEventBase {
  customerId: string;
  at: Date;
  /** Orders events of one source at the same instant, and is unique in it. */
  key: string;
  kind: TimelineKind;
  /** The entity the event is about (Invoice, Interaction, …) and its id. */
  entityType: string;
  entityId: string;
}

/** One event as a source answers it. */
export interface TimelineRow extends TimelineEventBase {
  /** One line, codes, numbers and amounts only: never a name, subject, free text or IBAN. */
  summary: string;
  /** The subgraph that answered it. */
  source: string;
}

/**
 * Where a source continues: events strictly before `at`, or with `key`
 * also those at `at` whose key is smaller; `inclusive` (no key) takes every
 * event at `at` too (a source the merged order puts after the cursor's).
 */
export interface TimelineBefore {
  at: Date;
  key?: string;
  inclusive?: boolean;
}

export interface TimelineQuery {
  customerIds: string[];
  kinds?: TimelineKind[];
  /** occurredAt >= from. */
  from?: Date;
  /** occurredAt < to. */
  to?: Date;
  before?: TimelineBefore;
  /** Most events per customer. */
  limit: number;
}

/** The raw columns of one derived event, before its source writes the summary. */
export interface TimelineRawRow extends TimelineEventBase {
  ref: string | null;
  amountMinor: number | null;
  currency: string | null;
  detail: string | null;
  extra: string | null;
}

/**
 * One kind of event, as a SELECT over the source's own tables. The
 * expressions are SQL over the FROM clause's aliases; `key` must yield
 * lowercase ASCII only (so that MariaDB's collation and a byte order agree)
 * and be unique among the source's events.
 */
export interface TimelineBranch {
  kind: TimelineKind;
  from: string;
  customer: string;
  at: string;
  key: string;
  entityType: string;
  entityId: string;
  ref?: string;
  amountMinor?: string;
  currency?: string;
  detail?: string;
  extra?: string;
  where?: string;
}

/** A DATE column as the instant its day starts (UTC), in either dialect. */
export function dayStart(dataSource: DataSource, column: string): string {
  return isMysql(dataSource) ? `CAST(${column} AS DATETIME(3))` : `(${column} || ' 00:00:00.000')`;
}

/** A key: a lowercase tag and the row's id, so keys of different branches never collide. */
export function eventKey(tag: string, idExpr: string, dataSource: DataSource): string {
  return isMysql(dataSource) ? `CONCAT('${tag}:', LOWER(${idExpr}))` : `('${tag}:' || LOWER(${idExpr}))`;
}

/**
 * The newest `limit` events of each customer over the given branches, in one
 * statement however many customers are asked for: each branch filtered by
 * customer (on its index), then ranked per customer.
 */
/** One branch as a SELECT of the common columns, its filters bound into `params`. */
function branchSelect(dataSource: DataSource, b: TimelineBranch, query: Omit<TimelineQuery, 'limit'>, params: unknown[]): string {
  const where = [`${b.customer} IN (${placeholders(query.customerIds.length)})`];
  params.push(...query.customerIds);
  if (b.where) where.push(b.where);
  if (query.from) {
    where.push(`${b.at} >= ?`);
    params.push(sqlInstant(dataSource, query.from));
  }
  if (query.to) {
    where.push(`${b.at} < ?`);
    params.push(sqlInstant(dataSource, query.to));
  }
  const before = query.before;
  if (before) {
    const at = sqlInstant(dataSource, before.at);
    if (before.key !== undefined) {
      where.push(`(${b.at} < ? OR (${b.at} = ? AND ${b.key} < ?))`);
      params.push(at, at, before.key);
    } else {
      where.push(`${b.at} ${before.inclusive ? '<=' : '<'} ?`);
      params.push(at);
    }
  }
  return `SELECT ${b.customer} AS customer_id, ${b.at} AS occurred_at, ${b.key} AS event_key, '${b.kind}' AS kind,
      '${b.entityType}' AS entity_type, ${b.entityId} AS entity_id, ${b.ref ?? 'NULL'} AS ref, ${b.amountMinor ?? 'NULL'} AS amount_minor,
      ${b.currency ?? 'NULL'} AS currency, ${b.detail ?? 'NULL'} AS detail, ${b.extra ?? 'NULL'} AS extra
      FROM ${b.from} WHERE ${where.join(' AND ')}`;
}

/**
 * The newest `limit` events of each customer over the given branches, in one
 * statement however many customers are asked for: each branch filtered by
 * customer (on its index), then ranked per customer. Without `limit`: every
 * event of each customer (what the timeline feed sends), unranked.
 */
export async function findTimelineRows(
  dataSource: DataSource,
  branches: TimelineBranch[],
  query: Omit<TimelineQuery, 'limit'> & { limit?: number },
  /** Where to read: default the data source; a transaction's manager reads in its snapshot. */
  manager?: EntityManager,
): Promise<TimelineRawRow[]> {
  const chosen = branches.filter((b) => !query.kinds || query.kinds.includes(b.kind));
  if (chosen.length === 0 || query.customerIds.length === 0) return [];
  const params: unknown[] = [];
  const parts = chosen.map((b) => branchSelect(dataSource, b, query, params));
  const limit = query.limit === undefined ? undefined : Math.floor(query.limit);
  // One customer (a timeline page): each branch reads at most `limit` rows down its index, and the
  // union is cut once; no window, no materialized derived table. Many customers: ranked per customer.
  const sql =
    limit === undefined
      ? parts.join('\nUNION ALL\n')
      : query.customerIds.length === 1
        ? `${parts.map((p, i) => `SELECT * FROM (${p} ORDER BY occurred_at DESC, event_key DESC LIMIT ${limit}) b${i}`).join('\nUNION ALL\n')}
         ORDER BY occurred_at DESC, event_key DESC LIMIT ${limit}`
        : `SELECT * FROM (
           SELECT e.*, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY occurred_at DESC, event_key DESC) AS rn
           FROM (${parts.join('\nUNION ALL\n')}) e
         ) ranked WHERE rn <= ${limit} ORDER BY customer_id, occurred_at DESC, event_key DESC`;
  const rows: Record<string, unknown>[] = await (manager ?? dataSource).query(sql, params);
  return rows.map((r) => ({
    customerId: String(r.customer_id),
    at: readInstant(r.occurred_at),
    key: String(r.event_key),
    kind: String(r.kind) as TimelineKind,
    entityType: String(r.entity_type),
    entityId: String(r.entity_id),
    ref: text(r.ref),
    amountMinor: r.amount_minor === null || r.amount_minor === undefined ? null : Number(r.amount_minor),
    currency: text(r.currency),
    detail: text(r.detail),
    extra: text(r.extra),
  }));
}

const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

/** A subgraph's timeline: its branches and how it words each kind. */
export interface TimelineSource {
  branches(dataSource: DataSource): TimelineBranch[];
  summarize(row: TimelineRawRow): string;
}

export async function findTimeline(
  dataSource: DataSource,
  service: string,
  source: TimelineSource,
  query: Omit<TimelineQuery, 'limit'> & { limit?: number },
  manager?: EntityManager,
): Promise<TimelineRow[]> {
  const rows = await findTimelineRows(dataSource, source.branches(dataSource), query, manager);
  return rows.map((r) => ({
    customerId: r.customerId,
    at: r.at,
    key: r.key,
    kind: r.kind,
    entityType: r.entityType,
    entityId: r.entityId,
    summary: source.summarize(r),
    source: service,
  }));
}

/** An amount in minor units as the summary shows it: 1234.50 EUR. */
export function summaryAmount(minor: number | null, currency: string | null): string {
  return minor === null ? '' : `${formatMinor(minor)}${currency ? ` ${currency}` : ''}`;
}
