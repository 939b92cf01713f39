import { randomUUID } from 'node:crypto';
import { Table, TableIndex, type DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { satisfies } from './access';
import type { AuditChange } from './audit';
import { EnvReader } from './config';
import { actorOf, type RequestContext } from './context';
import { isMysql } from './datasource';
import { forbidden, invalidTransition, notFound } from './errors';
import { execute, placeholders, readInstant, sqlInstant } from './sql';

/**
 * Four-eyes change requests ("Mutationen"). A risky change (a name, a
 * status, a segment, a bank account) is not written when asked for: it is
 * stored as a PENDING request by the subgraph that owns the data, and a
 * second person (a supervisor, never the requester) approves or rejects it.
 * Approval applies the change in the same local transaction, under the
 * optimistic lock the request was made against: when the data changed in
 * between, the request is SUPERSEDED and nothing is written. A PENDING
 * request past its expiry reads as EXPIRED, and is stored so at the first
 * attempt to decide it.
 */
export const CHANGE_REQUEST_STATUSES = ['PENDING', 'APPROVED', 'REJECTED', 'SUPERSEDED', 'EXPIRED'] as const;
export type ChangeRequestStatusName = (typeof CHANGE_REQUEST_STATUSES)[number];
export type ChangeRequestEntityName = 'CUSTOMER' | 'PAYMENT_METHOD';

/** Which changes need a second person, and who may still write them directly. */
export interface FourEyesPolicy {
  /** CUSTOMER_APPROVAL_FIELDS: customer fields that take a change request; default firstName,lastName,companyName,status,segment. */
  customerFields: string[];
  /** PAYMENT_METHOD_APPROVAL: whether payment-method (and so IBAN) changes take one; default true. */
  paymentMethod: boolean;
  /** FOUR_EYES_BYPASS_ROLES: roles that may still write those fields directly; default admin. */
  bypassRoles: string[];
  /** CHANGE_REQUEST_TTL_SECONDS: how long a request waits for a decision before it expires; default 604800 (7 days). */
  ttlSeconds: number;
}

export const CUSTOMER_APPROVAL_FIELD_NAMES = [
  'firstName',
  'lastName',
  'companyName',
  'status',
  'segment',
  'kind',
  'email',
  'phone',
  'preferredChannel',
  'addresses',
];

export const DEFAULT_FOUR_EYES: FourEyesPolicy = {
  customerFields: ['firstName', 'lastName', 'companyName', 'status', 'segment'],
  paymentMethod: true,
  bypassRoles: ['admin'],
  ttlSeconds: 604_800,
};

/** Reads the four-eyes settings; throws ConfigError naming every bad value. */
export function fourEyesFromEnv(env: NodeJS.ProcessEnv = process.env): FourEyesPolicy {
  const reader = new EnvReader(env);
  const list = (name: string, fallback: string[], allowed?: readonly string[]) => {
    const raw = reader.raw(name);
    if (raw === undefined) return fallback;
    const values = raw
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    const bad = allowed ? values.filter((v) => !allowed.includes(v)) : [];
    if (bad.length > 0) reader.fail(`${name} names unknown fields: ${bad.join(', ')}`);
    return values;
  };
  const approval = reader.raw('PAYMENT_METHOD_APPROVAL');
  if (approval !== undefined && approval !== 'true' && approval !== 'false') reader.fail('PAYMENT_METHOD_APPROVAL must be true or false');
  const policy: FourEyesPolicy = {
    customerFields: list('CUSTOMER_APPROVAL_FIELDS', DEFAULT_FOUR_EYES.customerFields, CUSTOMER_APPROVAL_FIELD_NAMES),
    paymentMethod: approval === undefined ? DEFAULT_FOUR_EYES.paymentMethod : approval === 'true',
    bypassRoles: list('FOUR_EYES_BYPASS_ROLES', DEFAULT_FOUR_EYES.bypassRoles),
    ttlSeconds: reader.int('CHANGE_REQUEST_TTL_SECONDS', DEFAULT_FOUR_EYES.ttlSeconds, 1, 31_536_000),
  };
  reader.done();
  return policy;
}

/** Whether the caller may write an approval-required change directly. */
export function bypassesFourEyes(policy: FourEyesPolicy, roles: readonly string[]): boolean {
  return satisfies(
    roles,
    policy.bypassRoles.map((r) => [r]),
  );
}

export interface StoredChangeRequest {
  id: string;
  entity: ChangeRequestEntityName;
  customerId: string;
  /** The optimistic lock: the customer's version, or the id of the payment method in force ('' for none). */
  expected: string;
  /** Requested fields with their old and new values, unmasked (the owning subgraph masks them on the way out). */
  changes: AuditChange[];
  /** What approval applies: the owning subgraph's input. */
  payload: Record<string, unknown>;
  reason: string;
  /** As stored; see effectiveStatus. */
  status: ChangeRequestStatusName;
  requestedBy: string;
  createdAt: Date;
  expiresAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionReason: string | null;
}

/** What the request is now: a PENDING one past its expiry is EXPIRED, whether or not that is stored yet. */
export function effectiveStatus(request: StoredChangeRequest, now: Date): ChangeRequestStatusName {
  return request.status === 'PENDING' && request.expiresAt.getTime() <= now.getTime() ? 'EXPIRED' : request.status;
}

const COLUMNS =
  'id, entity, customer_id, expected, changes, payload, reason, status, requested_by, created_at, expires_at, decided_by, decided_at, decision_reason';

function fromRow(r: Record<string, unknown>): StoredChangeRequest {
  return {
    id: String(r.id),
    entity: String(r.entity) as ChangeRequestEntityName,
    customerId: String(r.customer_id),
    expected: String(r.expected),
    changes: JSON.parse(String(r.changes)) as AuditChange[],
    payload: JSON.parse(String(r.payload)) as Record<string, unknown>,
    reason: String(r.reason),
    status: String(r.status) as ChangeRequestStatusName,
    requestedBy: String(r.requested_by),
    createdAt: readInstant(r.created_at),
    expiresAt: readInstant(r.expires_at),
    decidedBy: r.decided_by == null ? null : String(r.decided_by),
    decidedAt: r.decided_at == null ? null : readInstant(r.decided_at),
    decisionReason: r.decision_reason == null ? null : String(r.decision_reason),
  };
}

export type NewChangeRequest = Pick<StoredChangeRequest, 'entity' | 'customerId' | 'expected' | 'changes' | 'payload' | 'reason'>;

/** Stores a PENDING request with the manager of the caller's transaction, and its audit row. */
export async function insertChangeRequest(
  manager: EntityManager,
  ctx: RequestContext<unknown>,
  policy: FourEyesPolicy,
  input: NewChangeRequest,
): Promise<StoredChangeRequest> {
  const now = ctx.clock.now();
  const request: StoredChangeRequest = {
    ...input,
    id: randomUUID(),
    status: 'PENDING',
    requestedBy: actorOf(ctx.identity),
    createdAt: now,
    expiresAt: new Date(now.getTime() + policy.ttlSeconds * 1000),
    decidedBy: null,
    decidedAt: null,
    decisionReason: null,
  };
  const ds = manager.connection;
  await manager.query(`INSERT INTO change_requests (${COLUMNS}) VALUES (${placeholders(14)})`, [
    request.id,
    request.entity,
    request.customerId,
    request.expected,
    JSON.stringify(request.changes),
    JSON.stringify(request.payload),
    request.reason,
    request.status,
    request.requestedBy,
    sqlInstant(ds, request.createdAt),
    sqlInstant(ds, request.expiresAt),
    null,
    null,
    null,
  ]);
  await ctx.audit(manager, {
    action: 'requestChange',
    entityType: 'ChangeRequest',
    entityId: request.id,
    changes: [
      { field: 'entity', before: null, after: request.entity },
      { field: 'customerId', before: null, after: request.customerId },
      { field: 'fields', before: null, after: request.changes.map((c) => c.field) },
      { field: 'status', before: null, after: 'PENDING' },
    ],
  });
  return request;
}

/** What approving found: the change written, or the data changed since the request (nothing written). */
export type ApplyOutcome = 'APPLIED' | 'SUPERSEDED';

export async function findChangeRequest(dataSource: DataSource | EntityManager, id: string): Promise<StoredChangeRequest | null> {
  const rows: Record<string, unknown>[] = await dataSource.query(`SELECT ${COLUMNS} FROM change_requests WHERE id = ?`, [id]);
  return rows[0] ? fromRow(rows[0]) : null;
}

/**
 * Approves or rejects, in one transaction: the request locked, the rules
 * checked (supervisor rights are the schema's; never the requester), and on
 * approval `apply` run with the same manager. The status moves only from
 * PENDING (a conditional UPDATE), so of two concurrent decisions exactly one
 * wins and the other gets INVALID_TRANSITION with nothing written.
 */
export async function decideChangeRequest(
  ctx: RequestContext<unknown>,
  id: string,
  decision: 'APPROVE' | 'REJECT',
  reason: string | null,
  apply: (manager: EntityManager, request: StoredChangeRequest) => Promise<ApplyOutcome>,
): Promise<StoredChangeRequest> {
  const decider = actorOf(ctx.identity);
  const now = ctx.clock.now();
  let refusal: 'SELF' | 'EXPIRED' | undefined;
  const decided = await ctx.dataSource.transaction(async (manager) => {
    const ds = manager.connection;
    const rows: Record<string, unknown>[] = await manager.query(`SELECT ${COLUMNS} FROM change_requests WHERE id = ?${isMysql(ds) ? ' FOR UPDATE' : ''}`, [id]);
    if (!rows[0]) throw notFound('ChangeRequest', id);
    const request = fromRow(rows[0]);
    if (request.requestedBy === decider) {
      refusal = 'SELF';
      return request;
    }
    const status = effectiveStatus(request, now);
    if (status === 'EXPIRED' && request.status === 'PENDING') {
      await setStatus(manager, request, 'EXPIRED', null, now, null);
      await ctx.audit(manager, {
        action: 'expireChangeRequest',
        entityType: 'ChangeRequest',
        entityId: id,
        changes: [{ field: 'status', before: 'PENDING', after: 'EXPIRED' }],
      });
      refusal = 'EXPIRED';
      return request;
    }
    if (status !== 'PENDING') throw invalidTransition(`the change request is ${status} and cannot be decided any more`);
    const outcome: ChangeRequestStatusName = decision === 'REJECT' ? 'REJECTED' : (await apply(manager, request)) === 'APPLIED' ? 'APPROVED' : 'SUPERSEDED';
    await setStatus(manager, request, outcome, decider, now, reason);
    await ctx.audit(manager, {
      action: decision === 'REJECT' ? 'rejectChangeRequest' : 'approveChangeRequest',
      entityType: 'ChangeRequest',
      entityId: id,
      changes: [{ field: 'status', before: 'PENDING', after: outcome }, ...(reason ? [{ field: 'decisionReason', before: null, after: reason }] : [])],
    });
    return { ...request, status: outcome, decidedBy: decider, decidedAt: now, decisionReason: reason };
  });
  if (refusal === 'SELF') {
    await ctx.auditAlone({
      action: decision === 'REJECT' ? 'rejectChangeRequest' : 'approveChangeRequest',
      entityType: 'ChangeRequest',
      entityId: id,
      outcome: 'FORBIDDEN',
    });
    throw forbidden('a change request must be decided by someone other than its requester');
  }
  if (refusal === 'EXPIRED') throw invalidTransition('the change request expired before it was decided');
  return decided;
}

async function setStatus(
  manager: EntityManager,
  request: StoredChangeRequest,
  status: ChangeRequestStatusName,
  decidedBy: string | null,
  at: Date,
  reason: string | null,
): Promise<void> {
  const { affected } = await execute(
    manager,
    `UPDATE change_requests SET status = ?, decided_by = ?, decided_at = ?, decision_reason = ? WHERE id = ? AND status = 'PENDING'`,
    [status, decidedBy, sqlInstant(manager.connection, at), reason, request.id],
  );
  if (affected !== 1) throw invalidTransition('the change request was decided by someone else meanwhile');
}

export interface ChangeRequestQuery {
  status?: ChangeRequestStatusName;
  entity?: ChangeRequestEntityName;
  customerIds?: string[];
  /** Only these requests (the timeline's references). */
  ids?: string[];
  /** Requests older than this (createdAt, id) position; undefined from the newest. */
  before?: { at: Date; id: string };
  limit: number;
  now: Date;
}

/** Newest first; `status` as effectiveStatus reads it (PENDING excludes the expired, EXPIRED includes them). */
export async function listChangeRequests(dataSource: DataSource, query: ChangeRequestQuery): Promise<StoredChangeRequest[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const now = sqlInstant(dataSource, query.now);
  if (query.status === 'PENDING') {
    where.push(`status = 'PENDING' AND expires_at > ?`);
    params.push(now);
  } else if (query.status === 'EXPIRED') {
    where.push(`(status = 'EXPIRED' OR (status = 'PENDING' AND expires_at <= ?))`);
    params.push(now);
  } else if (query.status) {
    where.push('status = ?');
    params.push(query.status);
  }
  if (query.entity) {
    where.push('entity = ?');
    params.push(query.entity);
  }
  for (const [column, values] of [
    ['customer_id', query.customerIds],
    ['id', query.ids],
  ] as const) {
    if (!values) continue;
    if (values.length === 0) return [];
    where.push(`${column} IN (${placeholders(values.length)})`);
    params.push(...values);
  }
  if (query.before) {
    const at = sqlInstant(dataSource, query.before.at);
    where.push('(created_at < ? OR (created_at = ? AND id < ?))');
    params.push(at, at, query.before.id);
  }
  const rows: Record<string, unknown>[] = await dataSource.query(
    `SELECT ${COLUMNS} FROM change_requests ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ${Math.floor(query.limit)}`,
    params,
  );
  return rows.map(fromRow);
}

/** The table, for the migrations of the customers and billing subgraphs (the same DDL in both). */
export async function createChangeRequestTable(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.createTable(
    new Table({
      name: 'change_requests',
      columns: [
        { name: 'id', type: 'varchar', length: '36', isPrimary: true },
        { name: 'entity', type: 'varchar', length: '16' },
        { name: 'customer_id', type: 'varchar', length: '36' },
        { name: 'expected', type: 'varchar', length: '64' },
        { name: 'changes', type: 'text' },
        { name: 'payload', type: 'text' },
        { name: 'reason', type: 'varchar', length: '500' },
        { name: 'status', type: 'varchar', length: '16' },
        { name: 'requested_by', type: 'varchar', length: '200' },
        { name: 'created_at', type: 'datetime', precision: 3 },
        { name: 'expires_at', type: 'datetime', precision: 3 },
        { name: 'decided_by', type: 'varchar', length: '200', isNullable: true },
        { name: 'decided_at', type: 'datetime', precision: 3, isNullable: true },
        { name: 'decision_reason', type: 'varchar', length: '500', isNullable: true },
      ],
      indices: [
        new TableIndex({ name: 'ix_change_requests_customer', columnNames: ['customer_id', 'created_at'] }),
        new TableIndex({ name: 'ix_change_requests_status', columnNames: ['status', 'created_at', 'id'] }),
        new TableIndex({ name: 'ix_change_requests_created', columnNames: ['created_at', 'id'] }),
      ],
    }),
  );
}

export async function dropChangeRequestTable(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.dropTable('change_requests');
}
