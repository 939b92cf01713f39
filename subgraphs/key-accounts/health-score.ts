/**
 * Customer health, 0-100 (100 healthy), from four signals other subgraphs
 * own. Each signal costs at most a fixed number of points:
 *
 * | signal | penalty | full penalty |
 * |---|---|---|
 * | overdue balance (billing) | 40 × overdue / (overdue + 500 EUR) | approaches 40 |
 * | open complaints (claims) | 10 per complaint | 25 from 3 complaints |
 * | recency of contact (contacts) | 0 up to 30 days, then linear | 20 at 365 days or no contact |
 * | satisfaction, last 180 days (contacts) | 15 × (5 − mean) / 4 | 15 at a mean of 1; 7.5 when unrated |
 *
 * score = round(100 − the sum), kept within 0-100. Every penalty grows (never
 * shrinks) with overdue money, open complaints and days since the last
 * contact, and shrinks with satisfaction, so more overdue money or more open
 * complaints never raise the score.
 */
export interface HealthSignals {
  overdueMinor: number;
  openComplaints: number;
  /** Days since the last contact; null when there was none. */
  daysSinceContact: number | null;
  /** Mean satisfaction 1-5 over recent rated contacts; null when none. */
  satisfaction: number | null;
}

export const HEALTH = {
  overdueMax: 40,
  /** The overdue amount (in cents) that costs half of overdueMax. */
  overdueHalfMinor: 50_000,
  complaintEach: 10,
  complaintMax: 25,
  recencyGraceDays: 30,
  recencyFullDays: 365,
  recencyMax: 20,
  satisfactionMax: 15,
} as const;

export function healthScore(s: HealthSignals): number {
  const overdue = Math.max(0, s.overdueMinor);
  const overduePenalty = (HEALTH.overdueMax * overdue) / (overdue + HEALTH.overdueHalfMinor);
  const complaintPenalty = Math.min(HEALTH.complaintMax, HEALTH.complaintEach * Math.max(0, s.openComplaints));
  const days = s.daysSinceContact ?? HEALTH.recencyFullDays;
  const recencyPenalty = HEALTH.recencyMax * Math.min(1, Math.max(0, days - HEALTH.recencyGraceDays) / (HEALTH.recencyFullDays - HEALTH.recencyGraceDays));
  const satisfaction = s.satisfaction === null ? 3 : Math.min(5, Math.max(1, s.satisfaction));
  const satisfactionPenalty = (HEALTH.satisfactionMax * (5 - satisfaction)) / 4;
  const score = 100 - overduePenalty - complaintPenalty - recencyPenalty - satisfactionPenalty;
  return Math.min(100, Math.max(0, Math.round(score)));
}
