import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Written with TypeORM's schema builder rather than raw DDL so that the same
 * migration runs on MySQL/MariaDB and on the embedded SQLite.
 */
export class CreateCustomers1763800000000 implements MigrationInterface {
  name = 'CreateCustomers1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'customers',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'number_seq', type: 'int' },
          { name: 'customer_number', type: 'varchar', length: '16' },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'first_name', type: 'varchar', length: '100', isNullable: true },
          { name: 'last_name', type: 'varchar', length: '100', isNullable: true },
          { name: 'company_name', type: 'varchar', length: '200', isNullable: true },
          { name: 'display_name', type: 'varchar', length: '201' },
          { name: 'segment', type: 'varchar', length: '1' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'customer_since', type: 'date' },
          { name: 'email', type: 'varchar', length: '254', isNullable: true },
          { name: 'phone', type: 'varchar', length: '16', isNullable: true },
          { name: 'preferred_channel', type: 'varchar', length: '16', isNullable: true },
          { name: 'version', type: 'int' },
          { name: 'created_at', type: 'datetime', precision: 3 },
          { name: 'updated_at', type: 'datetime', precision: 3 },
        ],
        indices: [
          new TableIndex({ name: 'uq_customers_number_seq', columnNames: ['number_seq'], isUnique: true }),
          new TableIndex({ name: 'uq_customers_customer_number', columnNames: ['customer_number'], isUnique: true }),
          // Filtered lists are ordered by number_seq: each filter column leads, the sort key follows.
          new TableIndex({ name: 'ix_customers_segment', columnNames: ['segment', 'number_seq'] }),
          new TableIndex({ name: 'ix_customers_status', columnNames: ['status', 'number_seq'] }),
          new TableIndex({ name: 'ix_customers_kind', columnNames: ['kind', 'number_seq'] }),
          new TableIndex({ name: 'ix_customers_since', columnNames: ['customer_since'] }),
          new TableIndex({ name: 'ix_customers_email', columnNames: ['email'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'customer_addresses',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'customer_id', type: 'varchar', length: '36' },
          { name: 'type', type: 'varchar', length: '16' },
          { name: 'street', type: 'varchar', length: '200' },
          { name: 'postal_code', type: 'varchar', length: '20' },
          { name: 'city', type: 'varchar', length: '100' },
          { name: 'country', type: 'varchar', length: '2' },
        ],
        indices: [new TableIndex({ name: 'uq_customer_addresses_type', columnNames: ['customer_id', 'type'], isUnique: true })],
        foreignKeys: [
          {
            name: 'fk_customer_addresses_customer',
            columnNames: ['customer_id'],
            referencedTableName: 'customers',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('customer_addresses');
    await queryRunner.dropTable('customers');
  }
}
