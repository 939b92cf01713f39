import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isMysql } from '../../platform/datasource';

/**
 * interactionStats aggregated ahead, per UTC day: a year's report reads a
 * few thousand rows instead of every interaction of the year (568 ms for
 * 920,000 interactions on the large seed, measured).
 *
 * One row per (dimension, day, value), where dimension is CHANNEL,
 * SERVICE_AREA or COMPETENCE_LEVEL: every interaction counts once under
 * each. A report by one dimension reads only its rows; a report by MONTH
 * reads the CHANNEL rows (each interaction is there exactly once). The full
 * cross product channel × area × level would be up to 10 times the rows for
 * no report that asks for it.
 *
 * The same pattern as 1764600000000-SegmentInteractionDays: triggers append
 * signed deltas to the journal `interaction_stat_changes` in the writer's
 * own transaction, the compactor (platform/rollup.ts) folds them
 * into `interaction_stat_days`, and a report sums both in one statement.
 * Self-contained SQL per dialect, so that an applied migration never changes.
 */
const COLUMNS = '(dimension, day, value, interactions, resolved, rated, rating_sum)';
const DIMENSIONS = [
  ['CHANNEL', 'channel'],
  ['SERVICE_AREA', 'service_area'],
  ['COMPETENCE_LEVEL', 'competence_level'],
] as const;

/** The journal rows of one interaction row (`NEW` or `OLD`) with sign +1 or -1, as a VALUES list (MySQL) or a UNION ALL of SELECTs (SQLite). */
function contribution(row: 'NEW' | 'OLD', sign: 1 | -1, mysql: boolean): string {
  const day = mysql ? `DATE(${row}.occurred_at)` : `date(${row}.occurred_at)`;
  const measures = [
    `${sign}`,
    `${sign} * (CASE WHEN ${row}.resolved_on_first_contact = 1 THEN 1 ELSE 0 END)`,
    `${sign} * (CASE WHEN ${row}.satisfaction IS NULL THEN 0 ELSE 1 END)`,
    `${sign} * COALESCE(${row}.satisfaction, 0)`,
  ].join(', ');
  const rows = DIMENSIONS.map(([name, column]) => `'${name}', ${day}, ${row}.${column}, ${measures}`);
  return mysql ? `VALUES ${rows.map((r) => `(${r})`).join(', ')}` : rows.map((r) => `SELECT ${r}`).join(' UNION ALL ');
}

const JOURNAL = `INSERT INTO interaction_stat_changes ${COLUMNS}`;
const STAT_COLUMNS = ['occurred_at', 'channel', 'service_area', 'competence_level', 'resolved_on_first_contact', 'satisfaction'];

function tables(mysql: boolean): string[] {
  const measures = 'interactions bigint NOT NULL, resolved bigint NOT NULL, rated bigint NOT NULL, rating_sum bigint NOT NULL';
  const keys = 'dimension varchar(16) NOT NULL, day date NOT NULL, value varchar(32) NOT NULL';
  return [
    `CREATE TABLE interaction_stat_days (${keys}, ${measures}, PRIMARY KEY (dimension, day, value))`,
    `CREATE TABLE interaction_stat_changes (id ${mysql ? 'bigint NOT NULL AUTO_INCREMENT' : 'integer'} PRIMARY KEY${mysql ? '' : ' AUTOINCREMENT'}, ${keys}, ${measures})`,
    ...DIMENSIONS.map(
      ([name, column]) =>
        `INSERT INTO interaction_stat_days ${COLUMNS}
         SELECT '${name}', ${mysql ? 'DATE(occurred_at)' : 'date(occurred_at)'}, ${column}, COUNT(*),
                SUM(CASE WHEN resolved_on_first_contact = 1 THEN 1 ELSE 0 END), COUNT(satisfaction), COALESCE(SUM(satisfaction), 0)
         FROM interactions GROUP BY ${mysql ? 'DATE(occurred_at)' : 'date(occurred_at)'}, ${column}`,
    ),
  ];
}

const MYSQL_CHANGED = `NOT (${STAT_COLUMNS.map((c) => `OLD.${c} <=> NEW.${c}`).join(' AND ')})`;
const SQLITE_CHANGED = `NOT (${STAT_COLUMNS.map((c) => `OLD.${c} IS NEW.${c}`).join(' AND ')})`;

const MYSQL = [
  ...tables(true),
  `CREATE TRIGGER interactions_stats_after_insert AFTER INSERT ON interactions FOR EACH ROW
   ${JOURNAL} ${contribution('NEW', 1, true)}`,
  `CREATE TRIGGER interactions_stats_after_update AFTER UPDATE ON interactions FOR EACH ROW
   BEGIN
     IF ${MYSQL_CHANGED} THEN
       ${JOURNAL} ${contribution('OLD', -1, true)};
       ${JOURNAL} ${contribution('NEW', 1, true)};
     END IF;
   END`,
  `CREATE TRIGGER interactions_stats_after_delete AFTER DELETE ON interactions FOR EACH ROW
   ${JOURNAL} ${contribution('OLD', -1, true)}`,
];

// SQLite: instants are text 'YYYY-MM-DD HH:MM:SS.SSS' in UTC, so the day is date().
const SQLITE = [
  ...tables(false),
  `CREATE TRIGGER interactions_stats_after_insert AFTER INSERT ON interactions FOR EACH ROW
   BEGIN ${JOURNAL} ${contribution('NEW', 1, false)}; END`,
  `CREATE TRIGGER interactions_stats_after_update AFTER UPDATE ON interactions FOR EACH ROW WHEN ${SQLITE_CHANGED}
   BEGIN
     ${JOURNAL} ${contribution('OLD', -1, false)};
     ${JOURNAL} ${contribution('NEW', 1, false)};
   END`,
  `CREATE TRIGGER interactions_stats_after_delete AFTER DELETE ON interactions FOR EACH ROW
   BEGIN ${JOURNAL} ${contribution('OLD', -1, false)}; END`,
];

const TRIGGERS = ['interactions_stats_after_insert', 'interactions_stats_after_update', 'interactions_stats_after_delete'];

export class InteractionStatDays1764900000000 implements MigrationInterface {
  name = 'InteractionStatDays1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of isMysql(queryRunner.connection) ? MYSQL : SQLITE) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const trigger of TRIGGERS) await queryRunner.query(`DROP TRIGGER IF EXISTS ${trigger}`);
    await queryRunner.dropTable('interaction_stat_changes');
    await queryRunner.dropTable('interaction_stat_days');
  }
}
