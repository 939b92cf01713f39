import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The projection of the peers' timeline events: per customer and source
 * (billing, claims, contacts, key-accounts) the events as the source last
 * sent them, and the source's version of that customer they reflect. A
 * peer's feed replaces a customer's slice only with a higher version
 * (timeline-projection.repository.ts). Empty at first: each peer's own
 * migration marks its customers pending, and its feed sends them.
 */
export class TimelineProjection1765100000000 implements MigrationInterface {
  name = 'TimelineProjection1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'timeline_events',
        columns: [
          { name: 'customer_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'source', type: 'varchar', length: '16', isPrimary: true },
          { name: 'event_key', type: 'varchar', length: '80', isPrimary: true },
          { name: 'occurred_at', type: 'datetime', precision: 3 },
          { name: 'kind', type: 'varchar', length: '32' },
          { name: 'entity_type', type: 'varchar', length: '32' },
          { name: 'entity_id', type: 'varchar', length: '36' },
          { name: 'summary', type: 'varchar', length: '500' },
        ],
        // A page reads one customer's newest events down this index.
        indices: [new TableIndex({ name: 'ix_timeline_events_customer_at', columnNames: ['customer_id', 'occurred_at'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'timeline_slices',
        columns: [
          { name: 'customer_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'source', type: 'varchar', length: '16', isPrimary: true },
          { name: 'version', type: 'bigint' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('timeline_slices');
    await queryRunner.dropTable('timeline_events');
  }
}
