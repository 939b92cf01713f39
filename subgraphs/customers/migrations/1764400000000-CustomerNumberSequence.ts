import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createSequenceTable } from '../../platform';

/** Customer numbers from an auto-increment sequence instead of MAX() + 1 (see platform/sequence.ts). */
export class CustomerNumberSequence1764400000000 implements MigrationInterface {
  name = 'CustomerNumberSequence1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createSequenceTable(queryRunner, 'customer_number_seq', { table: 'customers', column: 'number_seq' });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('customer_number_seq');
  }
}
