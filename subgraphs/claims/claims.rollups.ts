import type { Rollup } from '../platform/rollup';
import { reportDaysRefill } from './migrations/1764900000000-ReportDays';

/** slaReport's settled figures per (dimension, UTC day of receipt, value), kept by triggers (migration 1764900000000-ReportDays). */
export const COMPLAINT_SLA_DAYS: Rollup = {
  totals: 'complaint_sla_days',
  changes: 'complaint_sla_changes',
  keys: ['dimension', 'day', 'value'],
  measures: ['complaints', 'first_ok', 'first_given', 'resolution_ok', 'resolved', 'resolution_ms'],
  refill: reportDaysRefill('complaint_sla_days'),
};

/** claimStats per (dimension, UTC day of report, value), same migration. */
export const CLAIM_STAT_DAYS: Rollup = {
  totals: 'claim_stat_days',
  changes: 'claim_stat_changes',
  keys: ['dimension', 'day', 'value'],
  measures: ['claims', 'claimed_minor', 'settled_minor', 'approved', 'rejected'],
  refill: reportDaysRefill('claim_stat_days'),
};

/** Every figure claims keeps ahead: folded by the compactor, rebuilt by `npm run db:rollups -- --rebuild`. */
export const CLAIMS_ROLLUPS: readonly Rollup[] = [COMPLAINT_SLA_DAYS, CLAIM_STAT_DAYS];
