import type { MigrationInterface, QueryRunner } from 'typeorm';
import { applyTimelineFeed, revertTimelineFeed, type TimelineFeedTable } from '../../platform/timeline-feed.migration';

/** Contacts' timeline events are its interactions: each write bumps the customer's version for the timeline feed. */
const TABLES: TimelineFeedTable[] = [{ table: 'interactions', customer: 'customer_id' }];

export class TimelineFeed1765100000000 implements MigrationInterface {
  name = 'TimelineFeed1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await applyTimelineFeed(queryRunner, TABLES);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await revertTimelineFeed(queryRunner, TABLES);
  }
}
