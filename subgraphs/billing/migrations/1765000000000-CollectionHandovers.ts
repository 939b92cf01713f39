import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * When each invoice went to the collection agency: the invoice row only
 * says IN_COLLECTION, and the customer timeline needs the day. Written by
 * the dunning run in the transaction that hands the invoice over.
 */
export class CollectionHandovers1765000000000 implements MigrationInterface {
  name = 'CollectionHandovers1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'collection_handovers',
        columns: [
          { name: 'invoice_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'handed_over_on', type: 'date' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('collection_handovers');
  }
}
