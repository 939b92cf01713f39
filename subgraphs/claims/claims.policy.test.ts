import { CompetenceLevel, ConfigError, EnvReader } from '../platform';
import { CLAIM_TRANSITIONS, breached, canTransition, dueTimes, escalated, readSlaPolicy, DEFAULT_SLA, type ClaimStatusName } from './claims.policy';

const ALL: ClaimStatusName[] = ['REPORTED', 'IN_REVIEW', 'APPROVED', 'REJECTED', 'SETTLED', 'CLOSED'];
const VALID = new Set([
  'REPORTED>IN_REVIEW',
  'IN_REVIEW>APPROVED',
  'IN_REVIEW>REJECTED',
  'APPROVED>SETTLED',
  'SETTLED>CLOSED',
  'REJECTED>CLOSED',
  'CLOSED>IN_REVIEW',
]);

describe('claim lifecycle', () => {
  it.each(ALL.flatMap((from) => ALL.map((to) => [from, to] as const)))('%s → %s follows the contract', (from, to) => {
    expect(canTransition(from, to)).toBe(VALID.has(`${from}>${to}`));
  });

  it('lists exactly the contract transitions', () => {
    expect(
      Object.entries(CLAIM_TRANSITIONS)
        .flatMap(([from, tos]) => tos.map((to) => `${from}>${to}`))
        .sort(),
    ).toEqual([...VALID].sort());
  });
});

describe('escalation', () => {
  it('goes one level up and stops at THIRD_LEVEL', () => {
    expect(escalated(CompetenceLevel.E_LEVEL)).toBe(CompetenceLevel.FIRST_LEVEL);
    expect(escalated(CompetenceLevel.FIRST_LEVEL)).toBe(CompetenceLevel.SECOND_LEVEL);
    expect(escalated(CompetenceLevel.SECOND_LEVEL)).toBe(CompetenceLevel.THIRD_LEVEL);
    expect(escalated(CompetenceLevel.THIRD_LEVEL)).toBe(CompetenceLevel.THIRD_LEVEL);
  });
});

describe('SLA', () => {
  const received = new Date('2026-11-22T08:00:00.000Z');

  it('adds calendar hours by priority', () => {
    expect(dueTimes(received, 'CRITICAL', DEFAULT_SLA)).toEqual({
      firstResponseDueAt: new Date('2026-11-22T09:00:00.000Z'),
      resolutionDueAt: new Date('2026-11-22T16:00:00.000Z'),
    });
    expect(dueTimes(received, 'LOW', DEFAULT_SLA).resolutionDueAt).toEqual(new Date('2026-11-27T08:00:00.000Z'));
  });

  it('is not breached at the due time itself, and breached a millisecond later', () => {
    const due = new Date('2026-11-22T09:00:00.000Z');
    expect(breached(null, due, due)).toBe(false);
    expect(breached(null, due, new Date(due.getTime() + 1))).toBe(true);
    expect(breached(due, due, new Date('2026-12-01T00:00:00Z'))).toBe(false);
    expect(breached(new Date(due.getTime() + 1), due, due)).toBe(true);
  });

  it('reads the policy from the environment and refuses nonsense', () => {
    const reader = new EnvReader({ SLA_FIRST_RESPONSE_HOURS: '2,4,8,48', SLA_RESOLUTION_HOURS: '4,24,72,240' });
    expect(readSlaPolicy(reader).CRITICAL).toEqual({ firstResponseHours: 2, resolutionHours: 4 });
    reader.done();
    const bad = new EnvReader({ SLA_FIRST_RESPONSE_HOURS: '1,2,3' });
    readSlaPolicy(bad);
    expect(() => bad.done()).toThrow(ConfigError);
  });
});
