import { Table, type EntityManager, type QueryRunner } from 'typeorm';
import { isMysql } from './datasource';
import { execute } from './sql';

/**
 * Business numbers (customer, invoice and claim numbers) come from a table of
 * their own with one auto-increment column. An INSERT takes the next value
 * atomically, on MySQL/MariaDB (the AUTO_INCREMENT counter, not a row lock,
 * so concurrent creates never wait on each other for a number) and on SQLite
 * (AUTOINCREMENT). No create can fail for want of a number, which is what
 * `MAX() + 1` with retries did under load. A rolled-back create leaves a gap:
 * numbers are unique and increasing, not dense.
 */
export async function nextInSequence(manager: EntityManager, table: string): Promise<number> {
  const sql = isMysql(manager.connection) ? `INSERT INTO ${table} () VALUES ()` : `INSERT INTO ${table} DEFAULT VALUES`;
  const value = (await execute(manager, sql)).insertId;
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`sequence ${table} returned no id`);
  return value;
}

/**
 * Moves a sequence past `value` (numbers the seed or a migration wrote
 * directly): an explicit id raises the AUTO_INCREMENT counter (MySQL) or
 * sqlite_sequence (SQLite) to it.
 */
export async function advanceSequence(manager: EntityManager, table: string, value: number): Promise<void> {
  if (value <= 0) return;
  await manager.query(`INSERT INTO ${table} (id) VALUES (?)`, [value]);
}

/** Migration step: the sequence table, started after the highest number already stored in `column` of `from`. */
export async function createSequenceTable(queryRunner: QueryRunner, table: string, from: { table: string; column: string }): Promise<void> {
  await queryRunner.createTable(
    new Table({
      name: table,
      columns: [{ name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' }],
    }),
  );
  // Existing rows were numbered before the sequence existed: start after them.
  const [row] = await queryRunner.query(`SELECT MAX(${from.column}) AS m FROM ${from.table}`);
  await advanceSequence(queryRunner.manager, table, Number(row?.m ?? 0));
}
