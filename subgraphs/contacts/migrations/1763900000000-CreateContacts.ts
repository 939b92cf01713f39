import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Schema-builder DDL, so that it runs on MySQL/MariaDB and SQLite alike. */
export class CreateContacts1763900000000 implements MigrationInterface {
  name = 'CreateContacts1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'interactions',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'customer_id', type: 'varchar', length: '36' },
          { name: 'channel', type: 'varchar', length: '16' },
          { name: 'direction', type: 'varchar', length: '8' },
          { name: 'service_area', type: 'varchar', length: '20' },
          { name: 'occurred_at', type: 'datetime', precision: 3 },
          { name: 'subject', type: 'varchar', length: '200' },
          { name: 'summary', type: 'varchar', length: '4000', isNullable: true },
          { name: 'handled_by', type: 'varchar', length: '100' },
          { name: 'competence_level', type: 'varchar', length: '16' },
          { name: 'resolved_on_first_contact', type: 'boolean' },
          { name: 'satisfaction', type: 'smallint', isNullable: true },
          { name: 'created_at', type: 'datetime', precision: 3 },
        ],
        indices: [
          // A customer's interactions, newest first (Customer.interactions, lastContactAt).
          new TableIndex({ name: 'ix_interactions_customer_time', columnNames: ['customer_id', 'occurred_at', 'id'] }),
          // The same, narrowed by channel.
          new TableIndex({ name: 'ix_interactions_customer_channel', columnNames: ['customer_id', 'channel', 'occurred_at'] }),
          // interactionStats: a time range over everyone.
          new TableIndex({ name: 'ix_interactions_time', columnNames: ['occurred_at'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'contact_persons',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'customer_id', type: 'varchar', length: '36' },
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'role', type: 'varchar', length: '100', isNullable: true },
          { name: 'email', type: 'varchar', length: '254', isNullable: true },
          { name: 'phone', type: 'varchar', length: '16', isNullable: true },
          { name: 'primary_marker', type: 'smallint', isNullable: true },
          { name: 'created_at', type: 'datetime', precision: 3 },
        ],
        indices: [
          new TableIndex({ name: 'ix_contact_persons_customer', columnNames: ['customer_id', 'created_at'] }),
          new TableIndex({ name: 'uq_contact_persons_primary', columnNames: ['customer_id', 'primary_marker'], isUnique: true }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('contact_persons');
    await queryRunner.dropTable('interactions');
  }
}
