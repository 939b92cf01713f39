import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A dunning run works in batches, each its own transaction, so the run row
 * records its progress: who runs it (a token), how far it got (the last
 * invoice id), when it last moved, and whether it finished. Runs recorded
 * before this migration were single transactions, so they are DONE.
 */
export class DunningRunProgress1764400000001 implements MigrationInterface {
  name = 'DunningRunProgress1764400000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('dunning_runs', [
      new TableColumn({ name: 'status', type: 'varchar', length: '16', default: "'DONE'" }),
      new TableColumn({ name: 'owner', type: 'varchar', length: '36', isNullable: true }),
      new TableColumn({ name: 'last_invoice_id', type: 'varchar', length: '36', isNullable: true }),
      new TableColumn({ name: 'heartbeat_at', type: 'datetime', precision: 3, isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const column of ['heartbeat_at', 'last_invoice_id', 'owner', 'status']) await queryRunner.dropColumn('dunning_runs', column);
  }
}
