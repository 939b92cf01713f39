import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

const money = (name: string) => ({ name, type: 'bigint' });
const instant = (name: string) => ({ name, type: 'datetime', precision: 3 });

/** Schema-builder DDL, so that it runs on MySQL/MariaDB and SQLite alike. */
export class CreateBilling1764000000000 implements MigrationInterface {
  name = 'CreateBilling1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'invoices',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'invoice_number', type: 'varchar', length: '20' },
          { name: 'number_seq', type: 'int' },
          { name: 'customer_id', type: 'varchar', length: '36' },
          { name: 'issue_date', type: 'date' },
          { name: 'due_date', type: 'date' },
          money('total_minor'),
          money('paid_minor'),
          { name: 'currency', type: 'varchar', length: '3' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'dunning_level', type: 'int' },
          instant('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_invoices_number', columnNames: ['invoice_number'], isUnique: true }),
          new TableIndex({ name: 'uq_invoices_number_seq', columnNames: ['number_seq'], isUnique: true }),
          // A customer's invoices newest first, and the per-customer sums.
          new TableIndex({ name: 'ix_invoices_customer_issue', columnNames: ['customer_id', 'issue_date', 'id'] }),
          // Dunning runs and receivables: open invoices by due date.
          new TableIndex({ name: 'ix_invoices_status_due', columnNames: ['status', 'due_date'] }),
          // DSO: invoices issued in a window.
          new TableIndex({ name: 'ix_invoices_issue', columnNames: ['issue_date'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'payments',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'invoice_id', type: 'varchar', length: '36' },
          money('amount_minor'),
          { name: 'currency', type: 'varchar', length: '3' },
          instant('received_at'),
          { name: 'method', type: 'varchar', length: '20' },
          { name: 'reference', type: 'varchar', length: '140', isNullable: true },
          { name: 'idempotency_key', type: 'varchar', length: '100' },
          instant('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_payments_idempotency_key', columnNames: ['idempotency_key'], isUnique: true }),
          new TableIndex({ name: 'ix_payments_invoice', columnNames: ['invoice_id', 'received_at'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'dunning_notices',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'invoice_id', type: 'varchar', length: '36' },
          { name: 'level', type: 'int' },
          { name: 'issued_on', type: 'date' },
          money('fee_minor'),
          money('interest_minor'),
          { name: 'pay_by', type: 'date' },
          { name: 'channel', type: 'varchar', length: '16' },
        ],
        // One notice per level and invoice: a second run can never send the same letter twice.
        indices: [new TableIndex({ name: 'uq_dunning_notices_level', columnNames: ['invoice_id', 'level'], isUnique: true })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'dunning_runs',
        columns: [
          { name: 'as_of', type: 'date', isPrimary: true },
          { name: 'notices_issued', type: 'int' },
          { name: 'handed_to_collection', type: 'int' },
          { name: 'skipped_disputed', type: 'int' },
          { name: 'skipped_blocked', type: 'int' },
          instant('ran_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'billing_accounts',
        columns: [
          { name: 'customer_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'dunning_blocked', type: 'boolean' },
          { name: 'block_reason', type: 'varchar', length: '500', isNullable: true },
          instant('updated_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'payment_methods',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'customer_id', type: 'varchar', length: '36' },
          { name: 'type', type: 'varchar', length: '20' },
          { name: 'iban', type: 'varchar', length: '34', isNullable: true },
          { name: 'valid_from', type: 'date' },
          instant('created_at'),
        ],
        indices: [new TableIndex({ name: 'ix_payment_methods_customer', columnNames: ['customer_id', 'valid_from'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['payment_methods', 'billing_accounts', 'dunning_runs', 'dunning_notices', 'payments', 'invoices']) {
      await queryRunner.dropTable(table);
    }
  }
}
