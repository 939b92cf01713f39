import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createSequenceTable } from '../../platform';

/** Claim numbers from an auto-increment sequence instead of MAX() + 1 (see platform/sequence.ts). */
export class ClaimNumberSequence1764400000000 implements MigrationInterface {
  name = 'ClaimNumberSequence1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createSequenceTable(queryRunner, 'claim_number_seq', { table: 'claims', column: 'number_seq' });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('claim_number_seq');
  }
}
