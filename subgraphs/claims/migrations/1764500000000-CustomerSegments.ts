import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The replica of each customer's segment that SegmentReport joins against
 * (delivered by the customers subgraph's outbox, see platform/segment-replica.ts).
 * Self-contained DDL rather than a shared helper, so that an applied
 * migration never changes; schema builder, so it runs on MySQL and SQLite.
 */
export class CustomerSegments1764500000000 implements MigrationInterface {
  name = 'CustomerSegments1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'customer_segments',
        columns: [
          { name: 'customer_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'segment', type: 'varchar', length: '1' },
          { name: 'version', type: 'int' },
          { name: 'updated_at', type: 'datetime', precision: 3 },
        ],
        // A segment's customers, in key order for the join: covering, so the report never reads the rows.
        indices: [new TableIndex({ name: 'ix_customer_segments_segment', columnNames: ['segment', 'customer_id'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('customer_segments');
  }
}
