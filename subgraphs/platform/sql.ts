import type { DataSource, EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { isMysql } from './datasource';
import { badUserInput } from './errors';

/**
 * Helpers for the hand-written SQL that the query builder cannot express
 * (window functions, grouped reports). Instants are stored in UTC on both
 * databases: MySQL DATETIME(3) written through mysql2 with timezone 'Z', and
 * SQLite text 'YYYY-MM-DD HH:MM:SS.SSS'.
 */

/** An instant as a bound parameter for `dataSource.query`. */
export function sqlInstant(dataSource: DataSource, instant: Date): Date | string {
  return isMysql(dataSource) ? instant : instant.toISOString().replace('T', ' ').replace('Z', '');
}

/** An instant read from a raw row. */
export function readInstant(value: unknown): Date {
  if (value instanceof Date) return value;
  const text = String(value);
  return new Date(text.includes('T') ? text : `${text.replace(' ', 'T')}Z`);
}

export function readBoolean(value: unknown): boolean {
  return value === true || value === 1 || value === '1';
}

/** A nullable number read from a raw row (MySQL answers DECIMAL and AVG as strings). */
export function readNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/**
 * Runs a writing statement and answers what the driver reports: rows changed
 * and the new auto-increment id. `manager.query` cannot tell: on SQLite it
 * answers only the last row id of an UPDATE.
 */
export async function execute(manager: EntityManager, sql: string, params: unknown[] = []): Promise<{ affected: number; insertId: number }> {
  const own = manager.queryRunner ? undefined : manager.connection.createQueryRunner();
  const runner = manager.queryRunner ?? own!;
  try {
    const result = await runner.query(sql, params, true);
    const raw = result.raw as { insertId?: number } | number | bigint | undefined;
    const insertId = typeof raw === 'object' && raw !== null ? Number(raw.insertId ?? 0) : Number(raw ?? 0);
    return { affected: Number(result.affected ?? 0), insertId };
  } finally {
    await own?.release();
  }
}

/**
 * `SELECT … FOR UPDATE` on MySQL/MariaDB: the row is locked until the
 * transaction ends and the read sees the latest committed version, not the
 * transaction's snapshot. SQLite needs nothing: its write transactions are
 * serialised (see datasource.ts).
 */
export function forUpdate<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
  return isMysql(qb.connection) ? qb.setLock('pessimistic_write') : qb;
}

/** `?, ?, ?` for an IN list. */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

/** The UTC month (YYYY-MM) of a datetime column. */
export function monthOf(dataSource: DataSource, column: string): string {
  return isMysql(dataSource) ? `DATE_FORMAT(${column}, '%Y-%m')` : `strftime('%Y-%m', ${column})`;
}

/** The UTC calendar date (YYYY-MM-DD) `days` after `date`. */
export function addDaysUtc(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** [from 00:00, to+1 00:00) in UTC: the instants of the whole days from..to. */
/**
 * Longest from..to a report may span (REPORT_MAX_RANGE_DAYS, read once at
 * start; default 1827, five years): an unbounded BI range is a full scan.
 */
export const MAX_REPORT_RANGE_DAYS = (() => {
  const n = Number(process.env.REPORT_MAX_RANGE_DAYS ?? 1827);
  return Number.isInteger(n) && n >= 1 && n <= 36_600 ? n : 1827;
})();

/** A report's from..to, checked (to not before from, at most MAX_REPORT_RANGE_DAYS days), as half-open instants. */
export function reportRange(from: string, to: string): { start: Date; end: Date } {
  if (from > to) throw badUserInput('to', 'to must not be before from');
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (days > MAX_REPORT_RANGE_DAYS) throw badUserInput('to', `a report spans at most ${MAX_REPORT_RANGE_DAYS} days`);
  return dayRange(from, to);
}

export function dayRange(from: string, to: string): { start: Date; end: Date } {
  return { start: new Date(`${from}T00:00:00.000Z`), end: new Date(`${addDaysUtc(to, 1)}T00:00:00.000Z`) };
}

/** Whole days from a DATE column to a bound date parameter (`?`), on either database. */
export function daysSince(dataSource: DataSource, column: string): string {
  return isMysql(dataSource) ? `DATEDIFF(?, ${column})` : `CAST(julianday(?) - julianday(${column}) AS INTEGER)`;
}

/** A WHERE clause with its bound parameters. */
export interface Where {
  sql: string;
  params: unknown[];
}

/** `column IN (?, …)` for the keys of a DataLoader batch, and more conditions ANDed on. */
export function whereIn(column: string, keys: readonly unknown[], ...more: (Where | undefined)[]): Where {
  const parts: Where[] = [{ sql: `${column} IN (${placeholders(keys.length)})`, params: [...keys] }, ...more.filter((w): w is Where => !!w)];
  return { sql: parts.map((p) => p.sql).join(' AND '), params: parts.flatMap((p) => p.params) };
}

/**
 * The first `limit` rows of each customer (or other partition) in one
 * statement: ROW_NUMBER() over the partition, in the given order. This is how
 * a paged list field batches across every entity of a gateway fetch.
 */
export async function firstRowsPerKey(
  manager: EntityManager,
  table: string,
  partitionBy: string,
  orderBy: string,
  where: Where,
  limit: number,
): Promise<Record<string, unknown>[]> {
  return manager.query(
    `SELECT * FROM (
       SELECT t.*, ROW_NUMBER() OVER (PARTITION BY ${partitionBy} ORDER BY ${orderBy}) AS rn
       FROM ${table} t WHERE ${where.sql}
     ) ranked WHERE rn <= ? ORDER BY ${partitionBy}, rn`,
    [...where.params, limit],
  );
}

/** COUNT(*) per key under a WHERE clause, in one GROUP BY. */
export async function countPerKey(manager: EntityManager, table: string, keyColumn: string, where: Where): Promise<Map<string, number>> {
  const rows: { k: string; n: unknown }[] = await manager.query(
    `SELECT ${keyColumn} AS k, COUNT(*) AS n FROM ${table} WHERE ${where.sql} GROUP BY ${keyColumn}`,
    where.params,
  );
  return new Map(rows.map((r) => [String(r.k), Number(r.n)]));
}

/** Two WHERE clauses ANDed. */
export function and(a: Where, b: Where): Where {
  return { sql: `${a.sql} AND ${b.sql}`, params: [...a.params, ...b.params] };
}
