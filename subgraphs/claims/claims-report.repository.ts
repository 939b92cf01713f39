import type { DataSource } from 'typeorm';
import { isMysql, monthOf, sqlInstant } from '../platform';
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

/** Grouped figures for BI, aggregated in SQL. */
export class ClaimsReportRepository {
  constructor(private readonly dataSource: DataSource) {}

  private millisBetween(from: string, to: string): string {
    return isMysql(this.dataSource)
      ? `TIMESTAMPDIFF(MICROSECOND, ${from}, ${to}) / 1000`
      : `CAST(ROUND((julianday(${to}) - julianday(${from})) * 86400000) AS INTEGER)`;
  }

  /**
   * Complaints received in [start, end). A first response is measured once it
   * happened or its due time has passed by `now`; it complies when it came by
   * the due time. The same for the resolution.
   */
  async sla(start: Date, end: Date, now: Date, dimension: SlaDimension): Promise<SlaRow[]> {
    const key = dimension === SlaDimension.MONTH ? monthOf(this.dataSource, 'received_at') : SLA_COLUMN[dimension];
    const at = (d: Date) => sqlInstant(this.dataSource, d);
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${key} AS k, COUNT(*) AS n,
         SUM(CASE WHEN first_response_at IS NOT NULL AND first_response_at <= first_response_due_at THEN 1 ELSE 0 END) AS first_ok,
         SUM(CASE WHEN first_response_at IS NOT NULL OR first_response_due_at < ? THEN 1 ELSE 0 END) AS first_measured,
         SUM(CASE WHEN resolved_at IS NOT NULL AND resolved_at <= resolution_due_at THEN 1 ELSE 0 END) AS res_ok,
         SUM(CASE WHEN resolved_at IS NOT NULL OR resolution_due_at < ? THEN 1 ELSE 0 END) AS res_measured,
         COUNT(resolved_at) AS resolved,
         SUM(CASE WHEN resolved_at IS NOT NULL THEN ${this.millisBetween('received_at', 'resolved_at')} ELSE 0 END) AS res_ms
       FROM complaints WHERE received_at >= ? AND received_at < ?
       GROUP BY ${key} ORDER BY ${key}`,
      [at(now), at(now), at(start), at(end)],
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

  /** Claims reported in [start, end), grouped; decisions come from the decision column. */
  async claims(start: Date, end: Date, dimension: ClaimDimension): Promise<ClaimRow[]> {
    const key = dimension === ClaimDimension.MONTH ? monthOf(this.dataSource, 'reported_at') : dimension === ClaimDimension.TYPE ? 'type' : 'status';
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${key} AS k, COUNT(*) AS n, SUM(COALESCE(claimed_minor, 0)) AS claimed, SUM(COALESCE(settled_minor, 0)) AS settled,
         SUM(CASE WHEN decision = 'APPROVED' THEN 1 ELSE 0 END) AS approved,
         SUM(CASE WHEN decision = 'REJECTED' THEN 1 ELSE 0 END) AS rejected
       FROM claims WHERE reported_at >= ? AND reported_at < ?
       GROUP BY ${key} ORDER BY ${key}`,
      [sqlInstant(this.dataSource, start), sqlInstant(this.dataSource, end)],
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
