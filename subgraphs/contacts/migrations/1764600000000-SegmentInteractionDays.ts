import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isMysql } from '../../platform/datasource';

/**
 * SegmentReport.recentInteractionCount counted ahead, per (segment, UTC day):
 * a report then reads about 90 rows per segment instead of joining every
 * interaction of the last 90 days to the replica (4.4 s at 1,000,000
 * customers, measured).
 *
 * - `interactions.segment` is the customer's segment, copied from the replica
 *   (customer_segments) on insert and whenever the replica row changes.
 * - Every insert, delete or move appends +1/-1 to the append-only journal
 *   `segment_interaction_changes`; the compactor (platform/rollup.ts)
 *   folds it into `segment_interaction_days`. A report sums both.
 *
 * Triggers, so that every writer keeps the counts (see billing's
 * 1764600000000-SegmentBalances for the locking argument). Self-contained SQL
 * per dialect, so that an applied migration never changes.
 */
const JOURNAL = 'INSERT INTO segment_interaction_changes (segment, day, interactions)';

const MYSQL = [
  `ALTER TABLE interactions ADD COLUMN segment varchar(1) NULL`,
  `CREATE TABLE segment_interaction_days (
     segment varchar(1) NOT NULL, day date NOT NULL, interactions bigint NOT NULL,
     PRIMARY KEY (segment, day))`,
  `CREATE TABLE segment_interaction_changes (
     id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, segment varchar(1) NOT NULL, day date NOT NULL, interactions bigint NOT NULL)`,
  `UPDATE interactions i JOIN customer_segments s ON s.customer_id = i.customer_id SET i.segment = s.segment`,
  `INSERT INTO segment_interaction_days (segment, day, interactions)
   SELECT segment, DATE(occurred_at), COUNT(*) FROM interactions WHERE segment IS NOT NULL GROUP BY segment, DATE(occurred_at)`,
  // A shared lock on the replica row: a concurrent segment change either commits first or waits and then moves this row too.
  `CREATE TRIGGER interactions_segment_before_insert BEFORE INSERT ON interactions FOR EACH ROW
   BEGIN
     DECLARE s varchar(1) DEFAULT NULL;
     DECLARE CONTINUE HANDLER FOR NOT FOUND SET s = NULL;
     SELECT segment INTO s FROM customer_segments WHERE customer_id = NEW.customer_id LOCK IN SHARE MODE;
     SET NEW.segment = s;
   END`,
  `CREATE TRIGGER interactions_count_after_insert AFTER INSERT ON interactions FOR EACH ROW
   BEGIN
     IF NEW.segment IS NOT NULL THEN ${JOURNAL} VALUES (NEW.segment, DATE(NEW.occurred_at), 1); END IF;
   END`,
  `CREATE TRIGGER interactions_count_after_update AFTER UPDATE ON interactions FOR EACH ROW
   BEGIN
     IF NOT (OLD.segment <=> NEW.segment AND DATE(OLD.occurred_at) <=> DATE(NEW.occurred_at)) THEN
       IF OLD.segment IS NOT NULL THEN ${JOURNAL} VALUES (OLD.segment, DATE(OLD.occurred_at), -1); END IF;
       IF NEW.segment IS NOT NULL THEN ${JOURNAL} VALUES (NEW.segment, DATE(NEW.occurred_at), 1); END IF;
     END IF;
   END`,
  `CREATE TRIGGER interactions_count_after_delete AFTER DELETE ON interactions FOR EACH ROW
   BEGIN
     IF OLD.segment IS NOT NULL THEN ${JOURNAL} VALUES (OLD.segment, DATE(OLD.occurred_at), -1); END IF;
   END`,
  `CREATE TRIGGER customer_segments_interactions_after_insert AFTER INSERT ON customer_segments FOR EACH ROW
   UPDATE interactions SET segment = NEW.segment WHERE customer_id = NEW.customer_id AND NOT (segment <=> NEW.segment)`,
  `CREATE TRIGGER customer_segments_interactions_after_update AFTER UPDATE ON customer_segments FOR EACH ROW
   UPDATE interactions SET segment = NEW.segment WHERE customer_id = NEW.customer_id AND NOT (segment <=> NEW.segment)`,
];

// SQLite: instants are text 'YYYY-MM-DD HH:MM:SS.SSS' in UTC, so the day is date(); an inserted row takes its segment by an UPDATE the update trigger journals.
const SQLITE = [
  `ALTER TABLE interactions ADD COLUMN segment varchar(1) NULL`,
  `CREATE TABLE segment_interaction_days (
     segment varchar(1) NOT NULL, day date NOT NULL, interactions bigint NOT NULL,
     PRIMARY KEY (segment, day))`,
  `CREATE TABLE segment_interaction_changes (
     id integer PRIMARY KEY AUTOINCREMENT, segment varchar(1) NOT NULL, day date NOT NULL, interactions bigint NOT NULL)`,
  `UPDATE interactions SET segment = (SELECT s.segment FROM customer_segments s WHERE s.customer_id = interactions.customer_id)`,
  `INSERT INTO segment_interaction_days (segment, day, interactions)
   SELECT segment, date(occurred_at), COUNT(*) FROM interactions WHERE segment IS NOT NULL GROUP BY segment, date(occurred_at)`,
  `CREATE TRIGGER interactions_count_after_insert AFTER INSERT ON interactions FOR EACH ROW
   BEGIN
     ${JOURNAL} SELECT NEW.segment, date(NEW.occurred_at), 1 WHERE NEW.segment IS NOT NULL;
     UPDATE interactions SET segment = (SELECT s.segment FROM customer_segments s WHERE s.customer_id = NEW.customer_id)
     WHERE id = NEW.id AND segment IS NOT (SELECT s.segment FROM customer_segments s WHERE s.customer_id = NEW.customer_id);
   END`,
  `CREATE TRIGGER interactions_count_after_update AFTER UPDATE ON interactions FOR EACH ROW
   WHEN NOT (OLD.segment IS NEW.segment AND date(OLD.occurred_at) IS date(NEW.occurred_at))
   BEGIN
     ${JOURNAL} SELECT OLD.segment, date(OLD.occurred_at), -1 WHERE OLD.segment IS NOT NULL;
     ${JOURNAL} SELECT NEW.segment, date(NEW.occurred_at), 1 WHERE NEW.segment IS NOT NULL;
   END`,
  `CREATE TRIGGER interactions_count_after_delete AFTER DELETE ON interactions FOR EACH ROW
   BEGIN
     ${JOURNAL} SELECT OLD.segment, date(OLD.occurred_at), -1 WHERE OLD.segment IS NOT NULL;
   END`,
  `CREATE TRIGGER customer_segments_interactions_after_insert AFTER INSERT ON customer_segments FOR EACH ROW
   BEGIN
     UPDATE interactions SET segment = NEW.segment WHERE customer_id = NEW.customer_id AND segment IS NOT NEW.segment;
   END`,
  `CREATE TRIGGER customer_segments_interactions_after_update AFTER UPDATE ON customer_segments FOR EACH ROW
   BEGIN
     UPDATE interactions SET segment = NEW.segment WHERE customer_id = NEW.customer_id AND segment IS NOT NEW.segment;
   END`,
];

const TRIGGERS = [
  'interactions_segment_before_insert',
  'interactions_count_after_insert',
  'interactions_count_after_update',
  'interactions_count_after_delete',
  'customer_segments_interactions_after_insert',
  'customer_segments_interactions_after_update',
];

export class SegmentInteractionDays1764600000000 implements MigrationInterface {
  name = 'SegmentInteractionDays1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = isMysql(queryRunner.connection);
    for (const statement of mysql ? MYSQL : SQLITE) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const trigger of TRIGGERS) await queryRunner.query(`DROP TRIGGER IF EXISTS ${trigger}`);
    await queryRunner.dropTable('segment_interaction_changes');
    await queryRunner.dropTable('segment_interaction_days');
    await queryRunner.dropColumn('interactions', 'segment');
  }
}
