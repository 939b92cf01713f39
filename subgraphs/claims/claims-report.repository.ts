import type { DataSource } from 'typeorm';
import { monthOf, sqlInstant, utcDate } from '../platform';
import { totalsAndJournal } from '../platform/rollup';
import { CLAIM_STAT_DAYS, COMPLAINT_SLA_DAYS } from './claims.rollups';
import { ClaimDimension, SlaDimension } from './claims.types';

export interface SlaRow {
  key: string;
  count: number;
  firstOk: number;
  firstMeasured: number;
  resolutionOk: number;
  resolutionMeasured: number;
  resolvedCount: number;
  resolutionMsSum: number;
}

export interface ClaimRow {
  key: string;
  count: number;
  claimedMinor: number;
  settledMinor: number;
  approved: number;
  rejected: number;
}

const SLA_COLUMN: Record<Exclude<SlaDimension, SlaDimension.MONTH>, string> = {
  [SlaDimension.PRIORITY]: 'priority',
  [SlaDimension.COMPETENCE_LEVEL]: 'competence_level',
  [SlaDimension.CHANNEL]: 'channel',
};

/** Rollup rows of one dimension on the UTC days [fromDay, toDay). */
const DIMENSION_WINDOW = 'dimension = ? AND day >= ? AND day < ?';

/**
 * Grouped figures for BI, from the per-day rollups (claims.rollups.ts).
 * The window's ends are whole UTC days.
 */
export class ClaimsReportRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Complaints received in [start, end). A first response is measured once it
   * happened or its due time has passed by `now`; it complies when it came by
   * the due time. The same for the resolution. What happened is in the
   * rollup; whether a response not given yet is overdue depends on `now`,
   * so those complaints are read from the raw rows (found by
   * ix_complaints_unresolved and ix_complaints_unanswered). Both in one
   * statement: one consistent snapshot.
   */
  async sla(start: Date, end: Date, now: Date, dimension: SlaDimension): Promise<SlaRow[]> {
    const month = dimension === SlaDimension.MONTH;
    const rollupKey = month ? monthOf(this.dataSource, 'day') : 'value';
    const rawKey = month ? monthOf(this.dataSource, 'received_at') : SLA_COLUMN[dimension];
    const settled = totalsAndJournal(
      COMPLAINT_SLA_DAYS,
      `${rollupKey} AS k, complaints, first_ok, first_given, resolution_ok, resolved, resolution_ms, 0 AS first_late, 0 AS res_late`,
      DIMENSION_WINDOW,
      [month ? SlaDimension.PRIORITY : dimension, utcDate(start), utcDate(end)],
    );
    const at = (d: Date) => sqlInstant(this.dataSource, d);
    const overdue = (given: string, due: string) => `CASE WHEN ${given} IS NULL AND ${due} < ? THEN 1 ELSE 0 END`;
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT k, SUM(complaints) AS n, SUM(first_ok) AS first_ok, SUM(first_given) + SUM(first_late) AS first_measured,
              SUM(resolution_ok) AS res_ok, SUM(resolved) + SUM(res_late) AS res_measured, SUM(resolved) AS resolved, SUM(resolution_ms) AS res_ms
       FROM (${settled.sql}
             UNION ALL
             SELECT ${rawKey}, 0, 0, 0, 0, 0, 0, ${overdue('first_response_at', 'first_response_due_at')}, ${overdue('resolved_at', 'resolution_due_at')}
             FROM complaints WHERE resolved_at IS NULL AND received_at >= ? AND received_at < ?
             UNION ALL
             SELECT ${rawKey}, 0, 0, 0, 0, 0, 0, ${overdue('first_response_at', 'first_response_due_at')}, 0
             FROM complaints WHERE first_response_at IS NULL AND resolved_at IS NOT NULL AND received_at >= ? AND received_at < ?) t
       GROUP BY k HAVING SUM(complaints) > 0 ORDER BY k`,
      [...settled.params, at(now), at(now), at(start), at(end), at(now), at(start), at(end)],
    );
    return rows.map((r) => ({
      key: String(r.k),
      count: Number(r.n),
      firstOk: Number(r.first_ok),
      firstMeasured: Number(r.first_measured),
      resolutionOk: Number(r.res_ok),
      resolutionMeasured: Number(r.res_measured),
      resolvedCount: Number(r.resolved),
      resolutionMsSum: Number(r.res_ms ?? 0),
    }));
  }

  /** Claims reported in [start, end), grouped; decisions come from the decision column. By MONTH it reads the TYPE rows. */
  async claims(start: Date, end: Date, dimension: ClaimDimension): Promise<ClaimRow[]> {
    const month = dimension === ClaimDimension.MONTH;
    const key = month ? monthOf(this.dataSource, 'day') : 'value';
    const rollup = totalsAndJournal(CLAIM_STAT_DAYS, `${key} AS k, claims, claimed_minor, settled_minor, approved, rejected`, DIMENSION_WINDOW, [
      month ? ClaimDimension.TYPE : dimension,
      utcDate(start),
      utcDate(end),
    ]);
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT k, SUM(claims) AS n, SUM(claimed_minor) AS claimed, SUM(settled_minor) AS settled, SUM(approved) AS approved, SUM(rejected) AS rejected
       FROM (${rollup.sql}) t
       GROUP BY k HAVING SUM(claims) > 0 ORDER BY k`,
      rollup.params,
    );
    return rows.map((r) => ({
      key: String(r.k),
      count: Number(r.n),
      claimedMinor: Number(r.claimed),
      settledMinor: Number(r.settled),
      approved: Number(r.approved),
      rejected: Number(r.rejected),
    }));
  }
}
