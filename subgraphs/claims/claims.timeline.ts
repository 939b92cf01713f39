import type { DataSource } from 'typeorm';
import { eventKey, summaryAmount, type TimelineSource } from '../platform/timeline';

/** A claim's history event, the first (seq 1) being its report. */
const claimEvent = (ds: DataSource) => ({
  from: 'claim_events e JOIN claims cl ON cl.id = e.claim_id',
  customer: 'cl.customer_id',
  at: 'e.at',
  key: eventKey('clm', 'e.id', ds),
  entityType: 'Claim',
  entityId: 'cl.id',
  ref: 'cl.claim_number',
});

/**
 * Claims' events: complaints opened, escalated and resolved (from the
 * complaint's own history), claims filed and every status transition (the
 * claim's history, whose first event is the report). Categories,
 * descriptions, notes and messages stay out: free text, possibly personal.
 */
export const claimsTimeline: TimelineSource = {
  branches: (ds) => [
    {
      kind: 'COMPLAINT_OPENED',
      from: 'complaints c',
      customer: 'c.customer_id',
      at: 'c.received_at',
      key: eventKey('cmp', 'c.id', ds),
      entityType: 'Complaint',
      entityId: 'c.id',
      ref: 'c.channel',
      detail: 'c.priority',
    },
    ...(['ESCALATION', 'RESOLUTION'] as const).map((kind) => ({
      kind: kind === 'ESCALATION' ? ('COMPLAINT_ESCALATED' as const) : ('COMPLAINT_RESOLVED' as const),
      from: 'complaint_events ce JOIN complaints c ON c.id = ce.complaint_id',
      customer: 'c.customer_id',
      at: 'ce.at',
      key: eventKey('cme', 'ce.id', ds),
      entityType: 'Complaint',
      entityId: 'c.id',
      ref: 'c.channel',
      detail: 'c.priority',
      where: `ce.kind = '${kind}'`,
    })),
    { ...claimEvent(ds), kind: 'CLAIM_FILED', amountMinor: 'cl.claimed_minor', currency: 'cl.currency', detail: 'cl.type', where: 'e.seq = 1' },
    { ...claimEvent(ds), kind: 'CLAIM_TRANSITION', detail: 'e.from_status', extra: 'e.to_status', where: 'e.seq > 1' },
  ],
  summarize(row) {
    switch (row.kind) {
      case 'COMPLAINT_OPENED':
        return `Complaint received by ${row.ref}, priority ${row.detail}`;
      case 'COMPLAINT_ESCALATED':
        return `Complaint (${row.ref}, priority ${row.detail}) escalated to the next competence level`;
      case 'COMPLAINT_RESOLVED':
        return `Complaint (${row.ref}, priority ${row.detail}) resolved`;
      case 'CLAIM_FILED':
        return `Claim ${row.ref} filed (${row.detail}) over ${summaryAmount(row.amountMinor, row.currency)}`;
      default:
        return `Claim ${row.ref} moved from ${row.detail} to ${row.extra}`;
    }
  },
};
