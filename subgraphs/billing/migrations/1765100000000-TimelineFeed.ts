import type { MigrationInterface, QueryRunner } from 'typeorm';
import { applyTimelineFeed, revertTimelineFeed, type TimelineFeedTable } from '../../platform/timeline-feed.migration';

/** Billing's timeline tables: invoices and payment methods name their customer; payments, notices and handovers reach it through their invoice. */
const TABLES: TimelineFeedTable[] = [
  { table: 'invoices', customer: 'customer_id' },
  { table: 'payment_methods', customer: 'customer_id' },
  { table: 'change_requests', customer: 'customer_id' },
  { table: 'payments', via: [{ table: 'invoices', match: 'id', column: 'invoice_id' }] },
  { table: 'dunning_notices', via: [{ table: 'invoices', match: 'id', column: 'invoice_id' }] },
  { table: 'collection_handovers', via: [{ table: 'invoices', match: 'id', column: 'invoice_id' }] },
];

export class TimelineFeed1765100000000 implements MigrationInterface {
  name = 'TimelineFeed1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await applyTimelineFeed(queryRunner, TABLES);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await revertTimelineFeed(queryRunner, TABLES);
  }
}
