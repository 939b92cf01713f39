import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createAuditTable, dropAuditTable } from '../../platform/audit';

/** The append-only audit trail of this subgraph's writes (see platform/audit.ts). */
export class AuditEvents1764700000000 implements MigrationInterface {
  name = 'AuditEvents1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createAuditTable(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropAuditTable(queryRunner);
  }
}
