import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createChangeRequestTable, dropChangeRequestTable } from '../../platform/change-request';

/** Four-eyes change requests of the data this subgraph owns (platform/change-request.ts). */
export class ChangeRequests1765000000001 implements MigrationInterface {
  name = 'ChangeRequests1765000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createChangeRequestTable(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropChangeRequestTable(queryRunner);
  }
}
