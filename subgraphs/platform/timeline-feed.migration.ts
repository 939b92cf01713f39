import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { isMysql } from './datasource';

/**
 * A table whose rows are timeline events (or word them), and how a row
 * names its customer: a `customer` column of its own, or the customers of
 * the rows it is looked up in (`via`: e.g. a payment's invoice).
 */
export interface TimelineFeedTable {
  table: string;
  /** The row's own customer column. */
  customer?: string;
  /** Rows of other tables whose `match` column equals this row's `column`; their `customer_id` is the customer. */
  via?: { table: string; match: string; column: string }[];
}

/** One customer per row: `SELECT customer_id` for the row `ref` (NEW or OLD). */
function customersOf(t: TimelineFeedTable, ref: 'NEW' | 'OLD'): string {
  if (t.customer) return `SELECT ${ref}.${t.customer} AS customer_id`;
  return t.via!.map((v) => `SELECT v.customer_id AS customer_id FROM ${v.table} v WHERE v.${v.match} = ${ref}.${v.column}`).join(' UNION ');
}

/** Every customer the SELECT `customers` names gets its version bumped (or its first one) and is marked pending. */
function markPending(customers: string, mysql: boolean): string {
  const rows = `SELECT u.customer_id, 1, 1 FROM (${customers}) u WHERE u.customer_id IS NOT NULL`;
  return mysql
    ? `INSERT INTO timeline_versions (customer_id, version, pending) ${rows} ON DUPLICATE KEY UPDATE version = version + 1, pending = 1`
    : `INSERT INTO timeline_versions (customer_id, version, pending) ${rows} ON CONFLICT (customer_id) DO UPDATE SET version = version + 1, pending = 1`;
}

const triggerName = (t: TimelineFeedTable, event: string) => `${t.table}_timeline_after_${event}`;

/**
 * The statements of a peer's timeline-feed migration: the version table, one
 * trigger per table and event, and every customer that already has events
 * marked pending (so the feed sends them once). A trigger runs in the
 * writer's transaction, so a customer's version and the rows it counts
 * commit together: the feed reads both in one snapshot (timeline-feed.ts).
 * Frozen once applied: a change to the triggers is a new migration.
 */
export function timelineFeedStatements(mysql: boolean, tables: TimelineFeedTable[]): string[] {
  return [
    `CREATE TABLE timeline_versions (customer_id varchar(36) NOT NULL PRIMARY KEY, version bigint NOT NULL, pending smallint NOT NULL)`,
    `CREATE INDEX ix_timeline_versions_pending ON timeline_versions (pending, customer_id)`,
    ...triggerStatements(mysql, tables),
    markAllPending(mysql, tables),
  ];
}

/** One AFTER trigger per table and event (IF NOT EXISTS: restoring them after a bulk load is safe to repeat). */
function triggerStatements(mysql: boolean, tables: TimelineFeedTable[]): string[] {
  const statements: string[] = [];
  for (const t of tables) {
    for (const [event, refs] of [
      ['insert', ['NEW']],
      ['update', ['OLD', 'NEW']],
      ['delete', ['OLD']],
    ] as const) {
      const body = refs.map((ref) => `${markPending(customersOf(t, ref), mysql)};`).join('\n');
      statements.push(`CREATE TRIGGER IF NOT EXISTS ${triggerName(t, event)} AFTER ${event.toUpperCase()} ON ${t.table} FOR EACH ROW BEGIN\n${body}\nEND`);
    }
  }
  return statements;
}

/** Every customer with rows in `tables` gets its version bumped and is marked pending: the feed sends its whole slice again. */
function markAllPending(mysql: boolean, tables: TimelineFeedTable[]): string {
  const owners = tables.filter((t) => t.customer).map((t) => `SELECT ${t.customer} AS customer_id FROM ${t.table}`);
  return markPending(owners.join(' UNION '), mysql);
}

/** The tables of a migration made by timelineFeedMigration, read back by withTimelineTriggersOff. */
const TIMELINE_TABLES = Symbol('timelineTables');

/**
 * Runs a bulk load (the seed) with the data source's timeline triggers
 * dropped, then restores them and marks every customer pending, so the feed
 * sends each whole slice once instead of the triggers firing for every
 * inserted row (measured: the large seed took about 560 s with them, about
 * 245 s without). The restore runs also when the load fails, and a write
 * made meanwhile by anyone else is covered by the marking, since a slice
 * is always sent whole. The newest timeline-feed migration of the data
 * source names the tables. Without the right to drop triggers, loads with
 * them on.
 */
export async function withTimelineTriggersOff<T>(dataSource: DataSource, load: () => Promise<T>): Promise<T> {
  const migration = [...dataSource.migrations].reverse().find((m) => TIMELINE_TABLES in m) as { [TIMELINE_TABLES]: TimelineFeedTable[] } | undefined;
  if (!migration) return load();
  const tables = migration[TIMELINE_TABLES];
  const mysql = isMysql(dataSource);
  try {
    for (const statement of dropTriggerStatements(tables)) await dataSource.query(statement);
  } catch {
    return load();
  }
  try {
    return await load();
  } finally {
    for (const statement of triggerStatements(mysql, tables)) await dataSource.query(statement);
    await dataSource.query(markAllPending(mysql, tables));
  }
}

function dropTriggerStatements(tables: TimelineFeedTable[]): string[] {
  return tables.flatMap((t) => ['insert', 'update', 'delete'].map((event) => `DROP TRIGGER IF EXISTS ${triggerName(t, event)}`));
}

/** up() and down() of a peer's timeline-feed migration over `tables`. */
export async function applyTimelineFeed(queryRunner: QueryRunner, tables: TimelineFeedTable[]): Promise<void> {
  for (const statement of timelineFeedStatements(isMysql(queryRunner.connection), tables)) await queryRunner.query(statement);
}

export async function revertTimelineFeed(queryRunner: QueryRunner, tables: TimelineFeedTable[]): Promise<void> {
  for (const statement of dropTriggerStatements(tables)) await queryRunner.query(statement);
  await queryRunner.query('DROP TABLE timeline_versions');
}

/** A peer's timeline-feed migration over `tables`, named `name` (TypeORM orders migrations by the timestamp in it). */
export function timelineFeedMigration(name: string, tables: TimelineFeedTable[]): new () => MigrationInterface {
  return class implements MigrationInterface {
    name = name;
    readonly [TIMELINE_TABLES] = tables;

    async up(queryRunner: QueryRunner): Promise<void> {
      await applyTimelineFeed(queryRunner, tables);
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      await revertTimelineFeed(queryRunner, tables);
    }
  };
}
