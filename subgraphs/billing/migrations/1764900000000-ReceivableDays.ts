import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isMysql } from '../../platform/datasource';

/**
 * The receivables report aggregated ahead (785 ms over 72,000 open invoices
 * on the large seed, measured, before):
 *
 * - `receivable_days`: per (due date, dunning level), the number of invoices
 *   with money open and their open amount. Aging buckets and the dunning
 *   level partition are both sums over these rows (a few hundred).
 * - `invoiced_days`: per issue date, the amount invoiced (not cancelled),
 *   for the days sales outstanding.
 *
 * The same pattern as 1764600000000-SegmentBalances: triggers append signed
 * deltas to a journal in the writer's own transaction, the compactor
 * (platform/rollup.ts) folds it, a report sums totals and journal in one
 * statement. Self-contained SQL per dialect, so that an applied migration
 * never changes.
 */
const OPEN = (row: 'NEW' | 'OLD') => `(${row}.status IN ('OPEN', 'PARTIALLY_PAID', 'IN_COLLECTION') AND ${row}.total_minor > ${row}.paid_minor)`;
const INVOICED = (row: 'NEW' | 'OLD') => `(${row}.status <> 'CANCELLED')`;
const OPEN_JOURNAL = 'INSERT INTO receivable_changes (due_date, level, invoices, open_minor)';
const INVOICED_JOURNAL = 'INSERT INTO invoiced_changes (issue_date, invoiced_minor)';

function openValues(row: 'NEW' | 'OLD', sign: 1 | -1): string {
  return `${row}.due_date, ${row}.dunning_level, ${sign}, ${sign} * (${row}.total_minor - ${row}.paid_minor)`;
}
const invoicedValues = (row: 'NEW' | 'OLD', sign: 1 | -1) => `${row}.issue_date, ${sign} * ${row}.total_minor`;

function tables(mysql: boolean): string[] {
  const id = mysql ? 'id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY' : 'id integer PRIMARY KEY AUTOINCREMENT';
  const open = 'due_date date NOT NULL, level int NOT NULL, invoices bigint NOT NULL, open_minor bigint NOT NULL';
  const invoiced = 'issue_date date NOT NULL, invoiced_minor bigint NOT NULL';
  return [
    `CREATE TABLE receivable_days (${open}, PRIMARY KEY (due_date, level))`,
    `CREATE TABLE receivable_changes (${id}, ${open})`,
    `CREATE TABLE invoiced_days (${invoiced}, PRIMARY KEY (issue_date))`,
    `CREATE TABLE invoiced_changes (${id}, ${invoiced})`,
    `INSERT INTO receivable_days (due_date, level, invoices, open_minor)
     SELECT due_date, dunning_level, COUNT(*), SUM(total_minor - paid_minor) FROM invoices
     WHERE status IN ('OPEN', 'PARTIALLY_PAID', 'IN_COLLECTION') AND total_minor > paid_minor GROUP BY due_date, dunning_level`,
    `INSERT INTO invoiced_days (issue_date, invoiced_minor)
     SELECT issue_date, SUM(total_minor) FROM invoices WHERE status <> 'CANCELLED' GROUP BY issue_date`,
  ];
}

const MYSQL_CHANGED = `NOT (${OPEN('OLD')} <=> ${OPEN('NEW')} AND OLD.due_date <=> NEW.due_date AND OLD.dunning_level <=> NEW.dunning_level
  AND OLD.total_minor <=> NEW.total_minor AND OLD.paid_minor <=> NEW.paid_minor)`;
const MYSQL_INVOICED_CHANGED = `NOT (${INVOICED('OLD')} <=> ${INVOICED('NEW')} AND OLD.issue_date <=> NEW.issue_date AND OLD.total_minor <=> NEW.total_minor)`;

const MYSQL = [
  ...tables(true),
  `CREATE TRIGGER invoices_receivables_after_insert AFTER INSERT ON invoices FOR EACH ROW
   BEGIN
     IF ${OPEN('NEW')} THEN ${OPEN_JOURNAL} VALUES (${openValues('NEW', 1)}); END IF;
     IF ${INVOICED('NEW')} THEN ${INVOICED_JOURNAL} VALUES (${invoicedValues('NEW', 1)}); END IF;
   END`,
  `CREATE TRIGGER invoices_receivables_after_update AFTER UPDATE ON invoices FOR EACH ROW
   BEGIN
     IF ${MYSQL_CHANGED} THEN
       IF ${OPEN('OLD')} THEN ${OPEN_JOURNAL} VALUES (${openValues('OLD', -1)}); END IF;
       IF ${OPEN('NEW')} THEN ${OPEN_JOURNAL} VALUES (${openValues('NEW', 1)}); END IF;
     END IF;
     IF ${MYSQL_INVOICED_CHANGED} THEN
       IF ${INVOICED('OLD')} THEN ${INVOICED_JOURNAL} VALUES (${invoicedValues('OLD', -1)}); END IF;
       IF ${INVOICED('NEW')} THEN ${INVOICED_JOURNAL} VALUES (${invoicedValues('NEW', 1)}); END IF;
     END IF;
   END`,
  `CREATE TRIGGER invoices_receivables_after_delete AFTER DELETE ON invoices FOR EACH ROW
   BEGIN
     IF ${OPEN('OLD')} THEN ${OPEN_JOURNAL} VALUES (${openValues('OLD', -1)}); END IF;
     IF ${INVOICED('OLD')} THEN ${INVOICED_JOURNAL} VALUES (${invoicedValues('OLD', -1)}); END IF;
   END`,
];

// SQLite: `IS` for `<=>`, and conditional inserts as INSERT ... SELECT ... WHERE.
const SQLITE_CHANGED = `NOT (${OPEN('OLD')} IS ${OPEN('NEW')} AND OLD.due_date IS NEW.due_date AND OLD.dunning_level IS NEW.dunning_level
  AND OLD.total_minor IS NEW.total_minor AND OLD.paid_minor IS NEW.paid_minor)`;
const SQLITE_INVOICED_CHANGED = `NOT (${INVOICED('OLD')} IS ${INVOICED('NEW')} AND OLD.issue_date IS NEW.issue_date AND OLD.total_minor IS NEW.total_minor)`;

const SQLITE = [
  ...tables(false),
  `CREATE TRIGGER invoices_receivables_after_insert AFTER INSERT ON invoices FOR EACH ROW
   BEGIN
     ${OPEN_JOURNAL} SELECT ${openValues('NEW', 1)} WHERE ${OPEN('NEW')};
     ${INVOICED_JOURNAL} SELECT ${invoicedValues('NEW', 1)} WHERE ${INVOICED('NEW')};
   END`,
  `CREATE TRIGGER invoices_receivables_after_update AFTER UPDATE ON invoices FOR EACH ROW
   BEGIN
     ${OPEN_JOURNAL} SELECT ${openValues('OLD', -1)} WHERE ${SQLITE_CHANGED} AND ${OPEN('OLD')};
     ${OPEN_JOURNAL} SELECT ${openValues('NEW', 1)} WHERE ${SQLITE_CHANGED} AND ${OPEN('NEW')};
     ${INVOICED_JOURNAL} SELECT ${invoicedValues('OLD', -1)} WHERE ${SQLITE_INVOICED_CHANGED} AND ${INVOICED('OLD')};
     ${INVOICED_JOURNAL} SELECT ${invoicedValues('NEW', 1)} WHERE ${SQLITE_INVOICED_CHANGED} AND ${INVOICED('NEW')};
   END`,
  `CREATE TRIGGER invoices_receivables_after_delete AFTER DELETE ON invoices FOR EACH ROW
   BEGIN
     ${OPEN_JOURNAL} SELECT ${openValues('OLD', -1)} WHERE ${OPEN('OLD')};
     ${INVOICED_JOURNAL} SELECT ${invoicedValues('OLD', -1)} WHERE ${INVOICED('OLD')};
   END`,
];

const TRIGGERS = ['invoices_receivables_after_insert', 'invoices_receivables_after_update', 'invoices_receivables_after_delete'];

export class ReceivableDays1764900000000 implements MigrationInterface {
  name = 'ReceivableDays1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of isMysql(queryRunner.connection) ? MYSQL : SQLITE) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const trigger of TRIGGERS) await queryRunner.query(`DROP TRIGGER IF EXISTS ${trigger}`);
    for (const table of ['invoiced_changes', 'invoiced_days', 'receivable_changes', 'receivable_days']) await queryRunner.dropTable(table);
  }
}
