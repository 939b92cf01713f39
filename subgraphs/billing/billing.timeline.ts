import { changeRequestTimelineBranches, summarizeChangeRequestEvent } from '../platform/change-request.types';
import { dayStart, eventKey, summaryAmount, type TimelineSource } from '../platform/timeline';

/**
 * Billing's events: invoices issued, payments, dunning notices, handovers to
 * collection and payment-method changes. Payments, notices and handovers
 * reach the customer through their invoice. Never an IBAN, not even masked.
 */
const ownEvents: TimelineSource = {
  branches: (ds) => [
    {
      kind: 'INVOICE_ISSUED',
      from: 'invoices inv',
      customer: 'inv.customer_id',
      at: 'inv.created_at',
      key: eventKey('inv', 'inv.id', ds),
      entityType: 'Invoice',
      entityId: 'inv.id',
      ref: 'inv.invoice_number',
      amountMinor: 'inv.total_minor',
      currency: 'inv.currency',
      detail: 'inv.due_date',
    },
    {
      kind: 'PAYMENT_RECEIVED',
      from: 'payments p JOIN invoices inv ON inv.id = p.invoice_id',
      customer: 'inv.customer_id',
      at: 'p.received_at',
      key: eventKey('pay', 'p.id', ds),
      entityType: 'Invoice',
      entityId: 'inv.id',
      ref: 'inv.invoice_number',
      amountMinor: 'p.amount_minor',
      currency: 'p.currency',
      detail: 'p.method',
    },
    {
      kind: 'DUNNING_NOTICE',
      from: 'dunning_notices n JOIN invoices inv ON inv.id = n.invoice_id',
      customer: 'inv.customer_id',
      at: dayStart(ds, 'n.issued_on'),
      key: eventKey('dun', 'n.id', ds),
      entityType: 'Invoice',
      entityId: 'inv.id',
      ref: 'inv.invoice_number',
      amountMinor: 'n.fee_minor',
      currency: 'inv.currency',
      detail: 'n.level',
      extra: 'n.channel',
    },
    {
      kind: 'COLLECTION_HANDOVER',
      from: 'collection_handovers h JOIN invoices inv ON inv.id = h.invoice_id',
      customer: 'inv.customer_id',
      at: dayStart(ds, 'h.handed_over_on'),
      key: eventKey('col', 'h.invoice_id', ds),
      entityType: 'Invoice',
      entityId: 'inv.id',
      ref: 'inv.invoice_number',
    },
    {
      kind: 'PAYMENT_METHOD_CHANGED',
      from: 'payment_methods m',
      customer: 'm.customer_id',
      at: 'm.created_at',
      key: eventKey('pm', 'm.id', ds),
      entityType: 'Customer',
      entityId: 'm.customer_id',
      detail: 'm.type',
      extra: 'm.valid_from',
    },
  ],
  summarize(row) {
    switch (row.kind) {
      case 'INVOICE_ISSUED':
        return `Invoice ${row.ref} issued over ${summaryAmount(row.amountMinor, row.currency)}, due ${row.detail}`;
      case 'PAYMENT_RECEIVED':
        return `Payment of ${summaryAmount(row.amountMinor, row.currency)} received for invoice ${row.ref} (${row.detail})`;
      case 'DUNNING_NOTICE':
        return `Dunning notice level ${row.detail} for invoice ${row.ref} by ${row.extra}, fee ${summaryAmount(row.amountMinor, row.currency)}`;
      case 'COLLECTION_HANDOVER':
        return `Invoice ${row.ref} handed to collection`;
      default:
        return `Payment method set to ${row.detail} from ${row.extra}`;
    }
  },
};

/** Billing's events and those of the change requests it stores (payment methods). */
export const billingTimeline: TimelineSource = {
  branches: (ds) => [...ownEvents.branches(ds), ...changeRequestTimelineBranches(ds)],
  summarize: (row) => summarizeChangeRequestEvent(row) ?? ownEvents.summarize(row),
};
