import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { isMysql } from '../../platform/datasource';

/**
 * slaReport and claimStats aggregated ahead, per UTC day, as contacts'
 * 1764900000000-InteractionStatDays: one row per (dimension, day, value),
 * every complaint or claim counted once under each dimension, journalled
 * by triggers in the writer's transaction and folded by the compactor
 * (platform/rollup.ts).
 *
 * - `complaint_sla_days` (PRIORITY, COMPETENCE_LEVEL, CHANNEL; MONTH reads
 *   the PRIORITY rows) holds what no longer changes with time: complaints,
 *   first responses and resolutions given (and on time), and the resolution
 *   time. Whether a response not given yet is overdue depends on when the
 *   report asks, so those complaints are read from the raw rows, found by
 *   the two indexes below (open complaints are few).
 * - `claim_stat_days` (TYPE, STATUS; MONTH reads the TYPE rows): claims,
 *   amounts claimed and settled, decisions.
 *
 * Self-contained SQL per dialect, so that an applied migration never changes.
 */
type Row = 'NEW' | 'OLD';

const SLA_DIMENSIONS = [
  ['PRIORITY', 'priority'],
  ['COMPETENCE_LEVEL', 'competence_level'],
  ['CHANNEL', 'channel'],
] as const;
const CLAIM_DIMENSIONS = [
  ['TYPE', 'type'],
  ['STATUS', 'status'],
] as const;

const SLA_COLUMNS = '(dimension, day, value, complaints, first_ok, first_given, resolution_ok, resolved, resolution_ms)';
const CLAIM_COLUMNS = '(dimension, day, value, claims, claimed_minor, settled_minor, approved, rejected)';
const SLA_WATCHED = [
  'received_at',
  'priority',
  'competence_level',
  'channel',
  'first_response_at',
  'first_response_due_at',
  'resolved_at',
  'resolution_due_at',
];
const CLAIM_WATCHED = ['reported_at', 'type', 'status', 'claimed_minor', 'settled_minor', 'decision'];

const dayOf = (mysql: boolean, column: string) => (mysql ? `DATE(${column})` : `date(${column})`);
const millisBetween = (mysql: boolean, from: string, to: string) =>
  mysql ? `TIMESTAMPDIFF(MICROSECOND, ${from}, ${to}) DIV 1000` : `CAST(ROUND((julianday(${to}) - julianday(${from})) * 86400000) AS INTEGER)`;
const flag = (condition: string) => `(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;

function slaMeasures(mysql: boolean, r: string): string[] {
  return [
    '1',
    flag(`${r}first_response_at IS NOT NULL AND ${r}first_response_at <= ${r}first_response_due_at`),
    flag(`${r}first_response_at IS NOT NULL`),
    flag(`${r}resolved_at IS NOT NULL AND ${r}resolved_at <= ${r}resolution_due_at`),
    flag(`${r}resolved_at IS NOT NULL`),
    `(CASE WHEN ${r}resolved_at IS NOT NULL THEN ${millisBetween(mysql, `${r}received_at`, `${r}resolved_at`)} ELSE 0 END)`,
  ];
}

function claimMeasures(r: string): string[] {
  return ['1', `COALESCE(${r}claimed_minor, 0)`, `COALESCE(${r}settled_minor, 0)`, flag(`${r}decision = 'APPROVED'`), flag(`${r}decision = 'REJECTED'`)];
}

interface Report {
  table: string;
  journal: string;
  source: string;
  columns: string;
  dimensions: readonly (readonly [string, string])[];
  day: string;
  measures: (mysql: boolean, r: string) => string[];
  watched: string[];
}

const REPORTS: Report[] = [
  {
    table: 'complaint_sla_days',
    journal: 'complaint_sla_changes',
    source: 'complaints',
    columns: SLA_COLUMNS,
    dimensions: SLA_DIMENSIONS,
    day: 'received_at',
    measures: slaMeasures,
    watched: SLA_WATCHED,
  },
  {
    table: 'claim_stat_days',
    journal: 'claim_stat_changes',
    source: 'claims',
    columns: CLAIM_COLUMNS,
    dimensions: CLAIM_DIMENSIONS,
    day: 'reported_at',
    measures: (_mysql, r) => claimMeasures(r),
    watched: CLAIM_WATCHED,
  },
];

/** The journal rows of one source row with a sign: VALUES (MySQL) or UNION ALL of SELECTs (SQLite). */
function contribution(report: Report, mysql: boolean, row: Row, sign: 1 | -1): string {
  const measures = report.measures(mysql, `${row}.`).map((m) => `${sign} * ${m}`);
  const rows = report.dimensions.map(([name, column]) => [`'${name}'`, dayOf(mysql, `${row}.${report.day}`), `${row}.${column}`, ...measures].join(', '));
  return mysql ? `VALUES ${rows.map((r) => `(${r})`).join(', ')}` : rows.map((r) => `SELECT ${r}`).join(' UNION ALL ');
}

/** INSERT ... SELECT per dimension: the totals computed from the raw rows. */
function refill(report: Report, mysql: boolean): string[] {
  const day = dayOf(mysql, report.day);
  const sums = report
    .measures(mysql, '')
    .map((m) => `SUM(${m})`)
    .join(', ');
  return report.dimensions.map(
    ([name, column]) =>
      `INSERT INTO ${report.table} ${report.columns} SELECT '${name}', ${day}, ${column}, ${sums} FROM ${report.source} GROUP BY ${day}, ${column}`,
  );
}

/** The refill of one of this migration's tables, for platform/rollup.ts's rebuild (the same SQL the migration filled it with). */
export function reportDaysRefill(table: 'complaint_sla_days' | 'claim_stat_days'): { mysql: string[]; sqlite: string[] } {
  const report = REPORTS.find((r) => r.table === table)!;
  return { mysql: refill(report, true), sqlite: refill(report, false) };
}

function statements(mysql: boolean): string[] {
  const id = mysql ? 'id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY' : 'id integer PRIMARY KEY AUTOINCREMENT';
  const out: string[] = [];
  for (const report of REPORTS) {
    const names = report.columns.slice(1, -1).split(', ').slice(3);
    const keys = 'dimension varchar(20) NOT NULL, day date NOT NULL, value varchar(32) NOT NULL';
    const measures = names.map((n) => `${n} bigint NOT NULL`).join(', ');
    out.push(`CREATE TABLE ${report.table} (${keys}, ${measures}, PRIMARY KEY (dimension, day, value))`);
    out.push(`CREATE TABLE ${report.journal} (${id}, ${keys}, ${measures})`);
    out.push(...refill(report, mysql));
    const insert = `INSERT INTO ${report.journal} ${report.columns}`;
    const trigger = (event: string) => `${report.source}_report_after_${event}`;
    if (mysql) {
      const changed = `NOT (${report.watched.map((c) => `OLD.${c} <=> NEW.${c}`).join(' AND ')})`;
      out.push(`CREATE TRIGGER ${trigger('insert')} AFTER INSERT ON ${report.source} FOR EACH ROW ${insert} ${contribution(report, true, 'NEW', 1)}`);
      out.push(
        `CREATE TRIGGER ${trigger('update')} AFTER UPDATE ON ${report.source} FOR EACH ROW
         BEGIN
           IF ${changed} THEN
             ${insert} ${contribution(report, true, 'OLD', -1)};
             ${insert} ${contribution(report, true, 'NEW', 1)};
           END IF;
         END`,
      );
      out.push(`CREATE TRIGGER ${trigger('delete')} AFTER DELETE ON ${report.source} FOR EACH ROW ${insert} ${contribution(report, true, 'OLD', -1)}`);
    } else {
      const changed = `NOT (${report.watched.map((c) => `OLD.${c} IS NEW.${c}`).join(' AND ')})`;
      out.push(
        `CREATE TRIGGER ${trigger('insert')} AFTER INSERT ON ${report.source} FOR EACH ROW BEGIN ${insert} ${contribution(report, false, 'NEW', 1)}; END`,
      );
      out.push(
        `CREATE TRIGGER ${trigger('update')} AFTER UPDATE ON ${report.source} FOR EACH ROW WHEN ${changed}
         BEGIN
           ${insert} ${contribution(report, false, 'OLD', -1)};
           ${insert} ${contribution(report, false, 'NEW', 1)};
         END`,
      );
      out.push(
        `CREATE TRIGGER ${trigger('delete')} AFTER DELETE ON ${report.source} FOR EACH ROW BEGIN ${insert} ${contribution(report, false, 'OLD', -1)}; END`,
      );
    }
  }
  return out;
}

export class ReportDays1764900000000 implements MigrationInterface {
  name = 'ReportDays1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of statements(isMysql(queryRunner.connection))) await queryRunner.query(statement);
    // Complaints whose response or resolution is still due, for the part of slaReport that depends on the time of the report.
    await queryRunner.createIndex('complaints', new TableIndex({ name: 'ix_complaints_unresolved', columnNames: ['resolved_at', 'received_at'] }));
    await queryRunner.createIndex('complaints', new TableIndex({ name: 'ix_complaints_unanswered', columnNames: ['first_response_at', 'received_at'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('complaints', 'ix_complaints_unanswered');
    await queryRunner.dropIndex('complaints', 'ix_complaints_unresolved');
    for (const report of REPORTS) {
      for (const event of ['insert', 'update', 'delete']) await queryRunner.query(`DROP TRIGGER IF EXISTS ${report.source}_report_after_${event}`);
      await queryRunner.dropTable(report.journal);
      await queryRunner.dropTable(report.table);
    }
  }
}
