import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

const id = { name: 'id', type: 'varchar', length: '36', isPrimary: true };
const instant = (name: string, isNullable = false) => ({ name, type: 'datetime', precision: 3, isNullable });
const text = (name: string, length: number, isNullable = false) => ({ name, type: 'varchar', length: String(length), isNullable });

/** Schema-builder DDL, so that it runs on MySQL/MariaDB and SQLite alike. */
export class CreateClaims1764100000000 implements MigrationInterface {
  name = 'CreateClaims1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'claims',
        columns: [
          id,
          text('claim_number', 20),
          { name: 'number_seq', type: 'int' },
          text('customer_id', 36),
          text('type', 20),
          text('status', 16),
          text('decision', 10, true),
          instant('reported_at'),
          { name: 'incident_date', type: 'date', isNullable: true },
          text('description', 4000),
          { name: 'claimed_minor', type: 'bigint', isNullable: true },
          { name: 'settled_minor', type: 'bigint', isNullable: true },
          text('currency', 3),
          { name: 'version', type: 'int' },
          instant('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_claims_number', columnNames: ['claim_number'], isUnique: true }),
          new TableIndex({ name: 'uq_claims_number_seq', columnNames: ['number_seq'], isUnique: true }),
          new TableIndex({ name: 'ix_claims_customer', columnNames: ['customer_id', 'reported_at', 'id'] }),
          new TableIndex({ name: 'ix_claims_reported', columnNames: ['reported_at'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'claim_events',
        columns: [
          id,
          text('claim_id', 36),
          { name: 'seq', type: 'int' },
          instant('at'),
          text('from_status', 16, true),
          text('to_status', 16),
          text('note', 2000, true),
          text('actor', 100),
        ],
        indices: [new TableIndex({ name: 'uq_claim_events_seq', columnNames: ['claim_id', 'seq'], isUnique: true })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'complaints',
        columns: [
          id,
          text('customer_id', 36),
          text('channel', 16),
          text('category', 100),
          text('priority', 10),
          text('status', 16),
          text('competence_level', 16),
          instant('received_at'),
          instant('first_response_due_at'),
          instant('resolution_due_at'),
          instant('first_response_at', true),
          instant('resolved_at', true),
          text('description', 4000),
          text('resolution', 4000, true),
          text('invoice_id', 36, true),
          instant('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'ix_complaints_customer', columnNames: ['customer_id', 'received_at', 'id'] }),
          new TableIndex({ name: 'ix_complaints_received', columnNames: ['received_at'] }),
          // Invoice.disputed and Invoice.complaints.
          new TableIndex({ name: 'ix_complaints_invoice', columnNames: ['invoice_id', 'status'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'complaint_events',
        columns: [id, text('complaint_id', 36), instant('at'), text('kind', 16), text('message', 4000), text('actor', 100)],
        indices: [new TableIndex({ name: 'ix_complaint_events_complaint', columnNames: ['complaint_id', 'at'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['complaint_events', 'complaints', 'claim_events', 'claims']) await queryRunner.dropTable(table);
  }
}
