import { Channel, EnvReader, divideRounded, parseMoney, readCurrency } from '../platform';

/** One letter of the dunning process (German Mahnwesen). */
export interface DunningStep {
  level: number;
  /** Days past the due date from which this letter is due. */
  daysOverdue: number;
  feeMinor: number;
  channel: Channel;
}

export type CustomerKind = 'PERSON' | 'ORGANIZATION';
export type Segment = 'A' | 'B' | 'C';

export interface BillingPolicy {
  /** The one currency of this deployment (CURRENCY, default EUR). */
  currency: string;
  /** Levels 1-3: payment reminder, first dunning notice, final notice. */
  steps: DunningStep[];
  /** Days overdue from which an invoice at level 3 goes to a collection agency. */
  collectionDays: number;
  /** Default interest runs from this level on. */
  interestFromLevel: number;
  /** Base rate in basis points (1.27 % = 127). */
  baseRateBp: number;
  /** Points over the base rate, in basis points, by customer kind (§ 288 BGB: 5 and 9). */
  surchargeBp: Record<CustomerKind, number>;
  /** Days a notice gives to pay. */
  payByDays: number;
  /** Expected remaining customer years by segment, for the CLV. */
  remainingYears: Record<Segment, number>;
  /** Invoices per transaction of a dunning run (DUNNING_BATCH_SIZE, default 500). */
  runBatchSize: number;
}

/** The defaults of issue 4. */
export const DEFAULT_POLICY: BillingPolicy = {
  currency: 'EUR',
  steps: [
    { level: 1, daysOverdue: 7, feeMinor: 0, channel: Channel.EMAIL },
    { level: 2, daysOverdue: 21, feeMinor: 500, channel: Channel.LETTER },
    { level: 3, daysOverdue: 35, feeMinor: 1000, channel: Channel.LETTER },
  ],
  collectionDays: 49,
  interestFromLevel: 2,
  baseRateBp: 127,
  surchargeBp: { PERSON: 500, ORGANIZATION: 900 },
  payByDays: 14,
  remainingYears: { A: 5, B: 3, C: 1 },
  runBatchSize: 500,
};

function percentToBp(reader: EnvReader, name: string, fallback: number): number {
  const raw = reader.raw(name);
  if (raw === undefined) return fallback;
  if (!/^-?\d{1,3}(\.\d{1,2})?$/.test(raw)) {
    reader.fail(`${name} must be a percentage with at most two decimals, e.g. 1.27, got "${raw}"`);
    return fallback;
  }
  return Math.round(Number(raw) * 100);
}

function list(reader: EnvReader, name: string, count: number): string[] | undefined {
  const raw = reader.raw(name);
  if (raw === undefined) return undefined;
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.length !== count) {
    reader.fail(`${name} must list ${count} values separated by commas, got "${raw}"`);
    return undefined;
  }
  return parts;
}

/**
 * The policy from the environment, every value optional (defaults above):
 * CURRENCY, DUNNING_LEVEL_DAYS ("7,21,35"), DUNNING_FEES ("0.00,5.00,10.00"),
 * DUNNING_COLLECTION_DAYS (49), DUNNING_BASE_RATE (percent, 1.27),
 * DUNNING_PAY_BY_DAYS (14), CLV_REMAINING_YEARS ("5,3,1" for A,B,C),
 * DUNNING_BATCH_SIZE (500).
 */
export function readBillingPolicy(reader: EnvReader): BillingPolicy {
  const policy = structuredClone(DEFAULT_POLICY);
  policy.currency = readCurrency(reader);
  const days = list(reader, 'DUNNING_LEVEL_DAYS', 3);
  if (days) {
    const values = days.map(Number);
    if (values.some((d) => !Number.isInteger(d) || d < 1) || values[0]! >= values[1]! || values[1]! >= values[2]!) {
      reader.fail('DUNNING_LEVEL_DAYS must be three increasing whole numbers of days, e.g. 7,21,35');
    } else values.forEach((d, i) => (policy.steps[i]!.daysOverdue = d));
  }
  const fees = list(reader, 'DUNNING_FEES', 3);
  if (fees) {
    try {
      fees.forEach((f, i) => (policy.steps[i]!.feeMinor = parseMoney('DUNNING_FEES', f)));
    } catch {
      reader.fail('DUNNING_FEES must be three amounts, e.g. 0.00,5.00,10.00');
    }
  }
  policy.collectionDays = reader.int('DUNNING_COLLECTION_DAYS', policy.collectionDays, policy.steps[2]!.daysOverdue, 3650);
  policy.baseRateBp = percentToBp(reader, 'DUNNING_BASE_RATE', policy.baseRateBp);
  policy.payByDays = reader.int('DUNNING_PAY_BY_DAYS', policy.payByDays, 1, 365);
  policy.runBatchSize = reader.int('DUNNING_BATCH_SIZE', policy.runBatchSize, 1, 10_000);
  const years = list(reader, 'CLV_REMAINING_YEARS', 3);
  if (years) {
    const values = years.map(Number);
    if (values.some((y) => !Number.isFinite(y) || y < 0)) reader.fail('CLV_REMAINING_YEARS must be three non-negative numbers for A,B,C, e.g. 5,3,1');
    else policy.remainingYears = { A: values[0]!, B: values[1]!, C: values[2]! };
  }
  return policy;
}

/** Whole days from one calendar date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Days past the due date while an amount is open; 0 otherwise. */
export function daysOverdue(dueDate: string, today: string, openMinor: number): number {
  return openMinor > 0 ? Math.max(0, daysBetween(dueDate, today)) : 0;
}

/**
 * Default interest (Verzugszinsen) on the open amount for `days` days:
 * open × (base rate + surcharge by kind) × days / 365, rounded half up to the cent.
 */
export function interestMinor(openMinor: number, kind: CustomerKind, days: number, policy: BillingPolicy): number {
  if (days <= 0 || openMinor <= 0) return 0;
  const rateBp = BigInt(policy.baseRateBp + policy.surchargeBp[kind]);
  return Number(divideRounded(BigInt(openMinor) * rateBp * BigInt(days), 365n * 10_000n));
}

export type DunningAction = { type: 'notice'; step: DunningStep; interestMinor: number } | { type: 'collection' };

/** Statuses dunning acts on: open money that is not already with a collection agency. */
export const DUNNABLE_STATUSES = ['OPEN', 'PARTIALLY_PAID'];

/**
 * What a run at `asOf` does to one invoice: at most one level up, when the
 * days overdue reach that level's threshold; after the final notice, the
 * handover to collection. Null when nothing is due.
 */
export function nextDunningAction(
  invoice: { dueDate: string; dunningLevel: number; openMinor: number; status: string },
  kind: CustomerKind,
  asOf: string,
  policy: BillingPolicy,
): DunningAction | null {
  if (!DUNNABLE_STATUSES.includes(invoice.status) || invoice.openMinor <= 0) return null;
  const days = daysOverdue(invoice.dueDate, asOf, invoice.openMinor);
  const next = policy.steps.find((s) => s.level === invoice.dunningLevel + 1);
  if (next) {
    if (days < next.daysOverdue) return null;
    const interest = next.level >= policy.interestFromLevel ? interestMinor(invoice.openMinor, kind, days, policy) : 0;
    return { type: 'notice', step: next, interestMinor: interest };
  }
  return days >= policy.collectionDays ? { type: 'collection' } : null;
}

/**
 * Customer lifetime value in minor units: revenue so far plus the average
 * yearly revenue times the expected remaining years of the segment. The
 * average divides by the customer's years, counted as days / 365 and at
 * least one year (so a new customer's first invoice is not extrapolated).
 */
export function lifetimeValueMinor(revenueMinor: number, segment: Segment, customerSince: string, today: string, policy: BillingPolicy): number {
  const tenureDays = Math.max(365, daysBetween(customerSince, today));
  // Remaining years may have decimals: scale by 1000 to stay in integers.
  const yearsMilli = BigInt(Math.round(policy.remainingYears[segment] * 1000));
  const future = divideRounded(BigInt(revenueMinor) * yearsMilli * 365n, BigInt(tenureDays) * 1000n);
  return revenueMinor + Number(future);
}

/** "DE89370400440532013000" → "DE****************3000": country code and last four only. */
export function maskIban(iban: string): string {
  return iban.length <= 6 ? iban.slice(0, 2) + '*'.repeat(Math.max(0, iban.length - 2)) : iban.slice(0, 2) + '*'.repeat(iban.length - 6) + iban.slice(-4);
}
