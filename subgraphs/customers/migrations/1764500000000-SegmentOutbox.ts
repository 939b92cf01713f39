import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The peers at the time of this migration; a later peer gets its backfill in a migration of its own. */
const PEERS = ['billing', 'claims', 'contacts'];

/**
 * The transactional outbox of segment changes for billing, claims and
 * contacts (their SegmentReport replicas). Customers that exist already are
 * queued once for every peer, so that an existing deployment fills the new
 * replicas on the dispatcher's first run; a fresh database queues nothing
 * (the seed fills the replicas itself).
 */
export class SegmentOutbox1764500000000 implements MigrationInterface {
  name = 'SegmentOutbox1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'segment_outbox',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'peer', type: 'varchar', length: '16' },
          { name: 'customer_id', type: 'varchar', length: '36' },
          { name: 'segment', type: 'varchar', length: '1' },
          { name: 'version', type: 'int' },
          { name: 'created_at', type: 'datetime', precision: 3 },
        ],
        // The dispatcher reads a peer's rows oldest first.
        indices: [new TableIndex({ name: 'ix_segment_outbox_peer', columnNames: ['peer', 'id'] })],
      }),
    );
    for (const peer of PEERS) {
      await queryRunner.query(
        'INSERT INTO segment_outbox (peer, customer_id, segment, version, created_at) SELECT ?, id, segment, version, updated_at FROM customers ORDER BY number_seq',
        [peer],
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('segment_outbox');
  }
}
