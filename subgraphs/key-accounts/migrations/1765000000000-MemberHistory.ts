import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Memberships that ended: a member row is deleted when its customer leaves
 * the key account, and the customer timeline still shows when it joined and
 * when it left. Written in the transaction that removes the member.
 */
export class MemberHistory1765000000000 implements MigrationInterface {
  name = 'MemberHistory1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'key_account_member_history',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'customer_id', type: 'varchar', length: '36' },
          { name: 'key_account_id', type: 'varchar', length: '36' },
          { name: 'joined_at', type: 'datetime', precision: 3 },
          { name: 'left_at', type: 'datetime', precision: 3 },
        ],
        indices: [new TableIndex({ name: 'ix_member_history_customer', columnNames: ['customer_id', 'left_at'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('key_account_member_history');
  }
}
