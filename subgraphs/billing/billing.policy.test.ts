import { ConfigError, EnvReader } from '../platform';
import { DEFAULT_POLICY, daysOverdue, interestMinor, lifetimeValueMinor, maskIban, nextDunningAction, readBillingPolicy } from './billing.policy';

const invoice = (dueDate: string, dunningLevel: number, openMinor = 100_000, status = 'OPEN') => ({ dueDate, dunningLevel, openMinor, status });

describe('nextDunningAction', () => {
  it.each([
    ['6 days: nothing', invoice('2026-10-01', 0), '2026-10-07', null],
    ['7 days: reminder', invoice('2026-10-01', 0), '2026-10-08', 1],
    ['60 days at level 0: still only the reminder', invoice('2026-10-01', 0), '2026-11-30', 1],
    ['21 days at level 1: first notice', invoice('2026-10-01', 1), '2026-10-22', 2],
    ['34 days at level 2: nothing', invoice('2026-10-01', 2), '2026-11-04', null],
    ['35 days at level 2: final notice', invoice('2026-10-01', 2), '2026-11-05', 3],
  ])('%s', (_name, inv, asOf, level) => {
    const action = nextDunningAction(inv, 'PERSON', asOf, DEFAULT_POLICY);
    expect(action === null ? null : action.type === 'notice' ? action.step.level : 'collection').toBe(level);
  });

  it('hands over at 49 days after the final notice', () => {
    expect(nextDunningAction(invoice('2026-10-01', 3), 'PERSON', '2026-11-18', DEFAULT_POLICY)).toBeNull();
    expect(nextDunningAction(invoice('2026-10-01', 3), 'PERSON', '2026-11-19', DEFAULT_POLICY)).toEqual({ type: 'collection' });
  });

  it('leaves paid, cancelled and collected invoices alone', () => {
    for (const inv of [invoice('2026-01-01', 0, 0, 'PAID'), invoice('2026-01-01', 0, 500, 'CANCELLED'), invoice('2026-01-01', 3, 500, 'IN_COLLECTION')]) {
      expect(nextDunningAction(inv, 'PERSON', '2026-11-22', DEFAULT_POLICY)).toBeNull();
    }
  });

  it('charges no interest on the reminder and interest from the first notice on', () => {
    const reminder = nextDunningAction(invoice('2026-10-01', 0), 'ORGANIZATION', '2026-11-22', DEFAULT_POLICY);
    expect(reminder).toMatchObject({ type: 'notice', interestMinor: 0, step: { feeMinor: 0 } });
    const notice = nextDunningAction(invoice('2026-10-01', 1), 'ORGANIZATION', '2026-10-22', DEFAULT_POLICY);
    // 1000.00 × (1.27 % + 9 %) × 21 / 365 = 5.908… → 5.91
    expect(notice).toMatchObject({ type: 'notice', interestMinor: 591, step: { feeMinor: 500 } });
  });
});

describe('interestMinor', () => {
  it.each([
    [100_000, 'PERSON', 21, 361], // 1000.00 × 6.27 % × 21/365 = 3.607…
    [100_000, 'ORGANIZATION', 21, 591], // × 10.27 % = 5.908…
    [100_000, 'PERSON', 365, 6270], // a whole year is the rate itself
    [1, 'PERSON', 1, 0],
    [100_000, 'PERSON', 0, 0],
  ] as const)('%d cents, %s, %d days → %d', (open, kind, days, expected) => {
    expect(interestMinor(open, kind, days, DEFAULT_POLICY)).toBe(expected);
  });
});

describe('lifetimeValueMinor', () => {
  it('adds the average yearly revenue times the remaining years of the segment', () => {
    // 2 years, 1200.00: 600.00 a year; A has 5 years left → 1200.00 + 3000.00
    expect(lifetimeValueMinor(120_000, 'A', '2024-11-22', '2026-11-22', DEFAULT_POLICY)).toBe(420_000);
    expect(lifetimeValueMinor(120_000, 'B', '2024-11-22', '2026-11-22', DEFAULT_POLICY)).toBe(300_000);
    // less than a year: counted as one year
    expect(lifetimeValueMinor(91_000, 'C', '2026-06-01', '2026-11-22', DEFAULT_POLICY)).toBe(182_000);
    expect(lifetimeValueMinor(0, 'A', '2020-01-01', '2026-11-22', DEFAULT_POLICY)).toBe(0);
  });

  it('never falls when revenue rises', () => {
    for (let revenue = 0; revenue < 10_000; revenue += 997) {
      expect(lifetimeValueMinor(revenue + 1, 'B', '2023-03-03', '2026-11-22', DEFAULT_POLICY)).toBeGreaterThanOrEqual(
        lifetimeValueMinor(revenue, 'B', '2023-03-03', '2026-11-22', DEFAULT_POLICY),
      );
    }
  });
});

describe('helpers', () => {
  it('masks all but the country code and the last four characters', () => {
    expect(maskIban('DE89370400440532013000')).toBe('DE****************3000');
    expect(maskIban('NL91ABNA0417164300')).toBe('NL************4300');
  });

  it('counts overdue days only while money is open', () => {
    expect(daysOverdue('2026-11-01', '2026-11-22', 100)).toBe(21);
    expect(daysOverdue('2026-11-01', '2026-11-22', 0)).toBe(0);
    expect(daysOverdue('2026-11-30', '2026-11-22', 100)).toBe(0);
  });
});

describe('readBillingPolicy', () => {
  it('reads every setting from the environment', () => {
    const reader = new EnvReader({
      DUNNING_LEVEL_DAYS: '10,20,30',
      DUNNING_FEES: '1.00,2.50,4',
      DUNNING_BASE_RATE: '2.5',
      DUNNING_COLLECTION_DAYS: '60',
      CLV_REMAINING_YEARS: '4,2,0.5',
      CURRENCY: 'CHF',
    });
    const policy = readBillingPolicy(reader);
    reader.done();
    expect(policy.steps.map((s) => [s.daysOverdue, s.feeMinor])).toEqual([
      [10, 100],
      [20, 250],
      [30, 400],
    ]);
    expect(policy).toMatchObject({ baseRateBp: 250, collectionDays: 60, remainingYears: { A: 4, B: 2, C: 0.5 }, currency: 'CHF' });
  });

  it('reports bad values', () => {
    const reader = new EnvReader({ DUNNING_LEVEL_DAYS: '21,7,35', DUNNING_BASE_RATE: 'one', CURRENCY: 'euro' });
    readBillingPolicy(reader);
    expect(() => reader.done()).toThrow(ConfigError);
  });
});
