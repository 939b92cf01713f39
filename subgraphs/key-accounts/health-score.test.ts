import { healthScore, type HealthSignals } from './health-score';

const healthy: HealthSignals = { overdueMinor: 0, openComplaints: 0, daysSinceContact: 5, satisfaction: 5 };

describe('healthScore', () => {
  it('is 100 for a customer with nothing wrong and 0 for one with everything wrong', () => {
    expect(healthScore(healthy)).toBe(100);
    expect(healthScore({ overdueMinor: 1e12, openComplaints: 10, daysSinceContact: null, satisfaction: 1 })).toBe(0);
  });

  it('follows the documented penalties', () => {
    // 500.00 overdue: half of 40
    expect(healthScore({ ...healthy, overdueMinor: 50_000 })).toBe(80);
    expect(healthScore({ ...healthy, openComplaints: 2 })).toBe(80);
    expect(healthScore({ ...healthy, openComplaints: 7 })).toBe(75);
    // 30 days is still fresh; 197.5 days is half-way to the 20 points
    expect(healthScore({ ...healthy, daysSinceContact: 30 })).toBe(100);
    expect(healthScore({ ...healthy, daysSinceContact: 197.5 })).toBe(90);
    expect(healthScore({ ...healthy, daysSinceContact: null })).toBe(80);
    expect(healthScore({ ...healthy, satisfaction: 3 })).toBe(93);
    expect(healthScore({ ...healthy, satisfaction: null })).toBe(93);
  });

  it('never rises with more overdue money or more open complaints', () => {
    const bases: HealthSignals[] = [
      healthy,
      { overdueMinor: 12_345, openComplaints: 1, daysSinceContact: 100, satisfaction: 2.5 },
      { overdueMinor: 0, openComplaints: 0, daysSinceContact: null, satisfaction: null },
    ];
    for (const base of bases) {
      let previous = healthScore(base);
      for (let overdue = 0; overdue <= 10_000_000; overdue += 7_919) {
        const score = healthScore({ ...base, overdueMinor: overdue });
        expect(score).toBeLessThanOrEqual(healthScore({ ...base, overdueMinor: Math.max(0, overdue - 7_919) }));
        previous = score;
      }
      for (let complaints = 1; complaints <= 10; complaints++) {
        expect(healthScore({ ...base, openComplaints: complaints })).toBeLessThanOrEqual(healthScore({ ...base, openComplaints: complaints - 1 }));
      }
      expect(previous).toBeGreaterThanOrEqual(0);
    }
  });

  it('stays within 0-100', () => {
    for (const satisfaction of [null, 1, 2.2, 5, 9]) {
      for (const days of [null, -3, 0, 400]) {
        const score = healthScore({ overdueMinor: 1_000, openComplaints: 1, daysSinceContact: days, satisfaction });
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(100);
      }
    }
  });
});
