import { CompetenceLevel, EnvReader } from '../platform';

export type ClaimStatusName = 'REPORTED' | 'IN_REVIEW' | 'APPROVED' | 'REJECTED' | 'SETTLED' | 'CLOSED';
export type PriorityName = 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

/** The claim lifecycle of the contract (ClaimStatus); anything else is INVALID_TRANSITION. */
export const CLAIM_TRANSITIONS: Record<ClaimStatusName, ClaimStatusName[]> = {
  REPORTED: ['IN_REVIEW'],
  IN_REVIEW: ['APPROVED', 'REJECTED'],
  APPROVED: ['SETTLED'],
  REJECTED: ['CLOSED'],
  SETTLED: ['CLOSED'],
  CLOSED: ['IN_REVIEW'],
};

export const OPEN_CLAIM_STATUSES: ClaimStatusName[] = ['REPORTED', 'IN_REVIEW', 'APPROVED'];
export const OPEN_COMPLAINT_STATUSES = ['OPEN', 'IN_PROGRESS', 'ESCALATED'];

export function canTransition(from: ClaimStatusName, to: ClaimStatusName): boolean {
  return CLAIM_TRANSITIONS[from].includes(to);
}

/** The next competence level up; THIRD_LEVEL is the top and stays. */
export function escalated(level: CompetenceLevel): CompetenceLevel {
  const order = [CompetenceLevel.E_LEVEL, CompetenceLevel.FIRST_LEVEL, CompetenceLevel.SECOND_LEVEL, CompetenceLevel.THIRD_LEVEL];
  return order[Math.min(order.indexOf(level) + 1, order.length - 1)]!;
}

/** Calendar hours to the first response and to the resolution, by priority. */
export type SlaPolicy = Record<PriorityName, { firstResponseHours: number; resolutionHours: number }>;

export const DEFAULT_SLA: SlaPolicy = {
  CRITICAL: { firstResponseHours: 1, resolutionHours: 8 },
  HIGH: { firstResponseHours: 4, resolutionHours: 24 },
  MEDIUM: { firstResponseHours: 8, resolutionHours: 72 },
  LOW: { firstResponseHours: 24, resolutionHours: 120 },
};

const ORDER: PriorityName[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];

/**
 * SLA_FIRST_RESPONSE_HOURS and SLA_RESOLUTION_HOURS, each four numbers for
 * CRITICAL,HIGH,MEDIUM,LOW (defaults "1,4,8,24" and "8,24,72,120").
 */
export function readSlaPolicy(reader: EnvReader): SlaPolicy {
  const policy = structuredClone(DEFAULT_SLA);
  for (const [name, key] of [
    ['SLA_FIRST_RESPONSE_HOURS', 'firstResponseHours'],
    ['SLA_RESOLUTION_HOURS', 'resolutionHours'],
  ] as const) {
    const raw = reader.raw(name);
    if (raw === undefined) continue;
    const hours = raw.split(',').map((h) => Number(h.trim()));
    if (hours.length !== 4 || hours.some((h) => !Number.isFinite(h) || h <= 0)) {
      reader.fail(`${name} must be four positive numbers of hours for CRITICAL,HIGH,MEDIUM,LOW, got "${raw}"`);
      continue;
    }
    ORDER.forEach((priority, i) => (policy[priority][key] = hours[i]!));
  }
  return policy;
}

export function dueTimes(receivedAt: Date, priority: PriorityName, policy: SlaPolicy): { firstResponseDueAt: Date; resolutionDueAt: Date } {
  const hour = 3_600_000;
  return {
    firstResponseDueAt: new Date(receivedAt.getTime() + policy[priority].firstResponseHours * hour),
    resolutionDueAt: new Date(receivedAt.getTime() + policy[priority].resolutionHours * hour),
  };
}

/**
 * Breached when answered after the due time, or still unanswered after it.
 * Answered exactly at the due time, or unanswered with the due time exactly
 * now, is not (yet) a breach.
 */
export function breached(doneAt: Date | null, dueAt: Date, now: Date): boolean {
  return (doneAt ?? now).getTime() > dueAt.getTime();
}
