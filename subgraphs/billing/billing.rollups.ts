import type { Rollup } from '../platform/rollup';
import { SEGMENT_BALANCES } from './segment-report.repository';

/** These refills are plain SQL both dialects read alike. */
const same = (statements: string[]) => ({ mysql: statements, sqlite: statements });

/** Open invoices per (due date, dunning level), kept by triggers (migration 1764900000000-ReceivableDays). */
export const RECEIVABLE_DAYS: Rollup = {
  totals: 'receivable_days',
  changes: 'receivable_changes',
  keys: ['due_date', 'level'],
  measures: ['invoices', 'open_minor'],
  refill: same([
    `INSERT INTO receivable_days (due_date, level, invoices, open_minor)
     SELECT due_date, dunning_level, COUNT(*), SUM(total_minor - paid_minor) FROM invoices
     WHERE status IN ('OPEN', 'PARTIALLY_PAID', 'IN_COLLECTION') AND total_minor > paid_minor GROUP BY due_date, dunning_level`,
  ]),
};

/** Amount invoiced (not cancelled) per issue date, for the days sales outstanding (same migration). */
export const INVOICED_DAYS: Rollup = {
  totals: 'invoiced_days',
  changes: 'invoiced_changes',
  keys: ['issue_date'],
  measures: ['invoiced_minor'],
  refill: same([
    `INSERT INTO invoiced_days (issue_date, invoiced_minor)
     SELECT issue_date, SUM(total_minor) FROM invoices WHERE status <> 'CANCELLED' GROUP BY issue_date`,
  ]),
};

/** Every figure billing keeps ahead: folded by the compactor, rebuilt by `npm run db:rollups -- --rebuild`. */
export const BILLING_ROLLUPS: readonly Rollup[] = [SEGMENT_BALANCES, RECEIVABLE_DAYS, INVOICED_DAYS];
