import type { MigrationInterface, QueryRunner } from 'typeorm';
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

/** The statement a trigger runs: every customer of the row gets its version bumped and is marked pending. */
function bump(t: TimelineFeedTable, ref: 'NEW' | 'OLD', mysql: boolean): string {
  const rows = `SELECT u.customer_id, 1, 1 FROM (${customersOf(t, ref)}) u WHERE u.customer_id IS NOT NULL`;
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
  const statements = [
    `CREATE TABLE timeline_versions (customer_id varchar(36) NOT NULL PRIMARY KEY, version bigint NOT NULL, pending smallint NOT NULL)`,
    `CREATE INDEX ix_timeline_versions_pending ON timeline_versions (pending, customer_id)`,
  ];
  for (const t of tables) {
    for (const [event, refs] of [
      ['insert', ['NEW']],
      ['update', ['OLD', 'NEW']],
      ['delete', ['OLD']],
    ] as const) {
      const body = refs.map((ref) => `${bump(t, ref, mysql)};`).join('\n');
      statements.push(`CREATE TRIGGER ${triggerName(t, event)} AFTER ${event.toUpperCase()} ON ${t.table} FOR EACH ROW BEGIN\n${body}\nEND`);
    }
  }
  const owners = tables.filter((t) => t.customer).map((t) => `SELECT ${t.customer} AS customer_id FROM ${t.table}`);
  statements.push(
    `INSERT INTO timeline_versions (customer_id, version, pending) SELECT u.customer_id, 1, 1 FROM (${owners.join(' UNION ')}) u WHERE u.customer_id IS NOT NULL`,
  );
  return statements;
}

/** up() and down() of a peer's timeline-feed migration over `tables`. */
export async function applyTimelineFeed(queryRunner: QueryRunner, tables: TimelineFeedTable[]): Promise<void> {
  for (const statement of timelineFeedStatements(isMysql(queryRunner.connection), tables)) await queryRunner.query(statement);
}

export async function revertTimelineFeed(queryRunner: QueryRunner, tables: TimelineFeedTable[]): Promise<void> {
  for (const t of tables) for (const event of ['insert', 'update', 'delete']) await queryRunner.query(`DROP TRIGGER IF EXISTS ${triggerName(t, event)}`);
  await queryRunner.query('DROP TABLE timeline_versions');
}

/** A peer's timeline-feed migration over `tables`, named `name` (TypeORM orders migrations by the timestamp in it). */
export function timelineFeedMigration(name: string, tables: TimelineFeedTable[]): new () => MigrationInterface {
  return class implements MigrationInterface {
    name = name;

    async up(queryRunner: QueryRunner): Promise<void> {
      await applyTimelineFeed(queryRunner, tables);
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      await revertTimelineFeed(queryRunner, tables);
    }
  };
}
