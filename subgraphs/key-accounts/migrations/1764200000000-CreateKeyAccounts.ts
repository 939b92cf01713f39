import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Schema-builder DDL, so that it runs on MySQL/MariaDB and SQLite alike. */
export class CreateKeyAccounts1764200000000 implements MigrationInterface {
  name = 'CreateKeyAccounts1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const text = (name: string, length: number) => ({ name, type: 'varchar', length: String(length) });
    await queryRunner.createTable(
      new Table({
        name: 'key_account_managers',
        columns: [{ ...text('id', 36), isPrimary: true }, text('name', 200), text('email', 254), text('region', 100)],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'key_accounts',
        columns: [
          { ...text('id', 36), isPrimary: true },
          text('name', 200),
          text('tier', 16),
          text('manager_id', 36),
          { name: 'annual_target_minor', type: 'bigint' },
          { name: 'since', type: 'date' },
          { name: 'updated_at', type: 'datetime', precision: 3 },
        ],
        indices: [
          new TableIndex({ name: 'ix_key_accounts_name', columnNames: ['name', 'id'] }),
          new TableIndex({ name: 'ix_key_accounts_manager', columnNames: ['manager_id'] }),
          new TableIndex({ name: 'ix_key_accounts_tier', columnNames: ['tier', 'name'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'key_account_members',
        columns: [{ ...text('customer_id', 36), isPrimary: true }, text('key_account_id', 36), { name: 'added_at', type: 'datetime', precision: 3 }],
        indices: [new TableIndex({ name: 'ix_key_account_members_account', columnNames: ['key_account_id'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['key_account_members', 'key_accounts', 'key_account_managers']) await queryRunner.dropTable(table);
  }
}
