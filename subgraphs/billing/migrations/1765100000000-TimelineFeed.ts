import { timelineFeedMigration, type TimelineFeedTable } from '../../platform/timeline-feed.migration';

/** Billing's timeline tables: invoices and payment methods name their customer; payments, notices and handovers reach it through their invoice. */
const TABLES: TimelineFeedTable[] = [
  { table: 'invoices', customer: 'customer_id' },
  { table: 'payment_methods', customer: 'customer_id' },
  { table: 'change_requests', customer: 'customer_id' },
  { table: 'payments', via: [{ table: 'invoices', match: 'id', column: 'invoice_id' }] },
  { table: 'dunning_notices', via: [{ table: 'invoices', match: 'id', column: 'invoice_id' }] },
  { table: 'collection_handovers', via: [{ table: 'invoices', match: 'id', column: 'invoice_id' }] },
];

export const TimelineFeed1765100000000 = timelineFeedMigration('TimelineFeed1765100000000', TABLES);
