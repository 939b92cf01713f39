import type { MigrationInterface, QueryRunner } from 'typeorm';
import { applyTimelineFeed, revertTimelineFeed, type TimelineFeedTable } from '../../platform/timeline-feed.migration';

/** Claims' timeline tables: complaints and claims name their customer; their histories reach it through them. */
const TABLES: TimelineFeedTable[] = [
  { table: 'complaints', customer: 'customer_id' },
  { table: 'claims', customer: 'customer_id' },
  { table: 'complaint_events', via: [{ table: 'complaints', match: 'id', column: 'complaint_id' }] },
  { table: 'claim_events', via: [{ table: 'claims', match: 'id', column: 'claim_id' }] },
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
