import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createSequenceTable } from '../../platform';

/** Invoice numbers from an auto-increment sequence instead of MAX() + 1 (see platform/sequence.ts). */
export class InvoiceNumberSequence1764400000000 implements MigrationInterface {
  name = 'InvoiceNumberSequence1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createSequenceTable(queryRunner, 'invoice_number_seq', { table: 'invoices', column: 'number_seq' });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('invoice_number_seq');
  }
}
