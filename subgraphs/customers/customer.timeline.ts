import { eventKey, type TimelineBranch, type TimelineRawRow, type TimelineSource } from '../platform/timeline';
import type { DataSource } from 'typeorm';

/** The audit actions that change a customer's master data. */
const MASTER_DATA_ACTIONS = ['updateCustomer'];

/** The names of the fields an audit row changed (never their values: they may be personal). */
function changedFields(changes: string | null): string {
  try {
    const list = JSON.parse(changes ?? '[]') as { field?: unknown }[];
    return list
      .map((c) => String(c.field))
      .filter((f) => f !== 'version')
      .join(', ');
  } catch {
    return '';
  }
}

/** Branches and wording that other sources add to the customers subgraph's timeline (the change requests). */
export interface ExtraTimeline {
  branches(dataSource: DataSource): TimelineBranch[];
  summarize(row: TimelineRawRow): string | undefined;
}

/**
 * The customers subgraph's events: the customer created (its row) and each
 * master-data change (its audit row: which fields, never the values),
 * plus whatever `extra` adds.
 */
export function customerTimeline(extra?: ExtraTimeline): TimelineSource {
  return {
    branches: (ds) => [
      {
        kind: 'CUSTOMER_CREATED',
        from: 'customers c',
        customer: 'c.id',
        at: 'c.created_at',
        key: eventKey('cus', 'c.id', ds),
        entityType: 'Customer',
        entityId: 'c.id',
        ref: 'c.customer_number',
        detail: 'c.kind',
        extra: 'c.segment',
      },
      {
        kind: 'MASTER_DATA_CHANGED',
        from: 'audit_events a',
        customer: 'a.entity_id',
        at: 'a.at',
        key: eventKey('aud', 'a.id', ds),
        entityType: 'Customer',
        entityId: 'a.entity_id',
        detail: 'a.changes',
        where: `a.entity_type = 'Customer' AND a.outcome = 'OK' AND a.action IN (${MASTER_DATA_ACTIONS.map((a) => `'${a}'`).join(', ')})`,
      },
      ...(extra?.branches(ds) ?? []),
    ],
    summarize(row) {
      if (row.kind === 'CUSTOMER_CREATED') return `Customer ${row.ref} created (kind ${row.detail}, segment ${row.extra})`;
      if (row.kind === 'MASTER_DATA_CHANGED') return `Master data changed: ${changedFields(row.detail)}`;
      return extra?.summarize(row) ?? row.kind;
    },
  };
}
