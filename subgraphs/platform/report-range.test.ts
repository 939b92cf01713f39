import { MAX_REPORT_RANGE_DAYS, addDaysUtc, reportRange } from './sql';

describe('reportRange', () => {
  const code = (from: string, to: string) => {
    try {
      reportRange(from, to);
      return 'ok';
    } catch (error) {
      const e = error as { extensions?: { code?: string; field?: string } };
      return `${e.extensions?.code} ${e.extensions?.field}`;
    }
  };

  it('takes whole UTC days from..to as a half-open range', () => {
    expect(reportRange('2026-01-01', '2026-01-31')).toEqual({ start: new Date('2026-01-01T00:00:00.000Z'), end: new Date('2026-02-01T00:00:00.000Z') });
  });

  it('takes five years by default and refuses a day more, and a reversed range, as BAD_USER_INPUT on `to`', () => {
    expect(MAX_REPORT_RANGE_DAYS).toBe(1827);
    expect(code('2021-01-01', addDaysUtc('2021-01-01', MAX_REPORT_RANGE_DAYS - 1))).toBe('ok');
    expect(code('2021-01-01', addDaysUtc('2021-01-01', MAX_REPORT_RANGE_DAYS))).toBe('BAD_USER_INPUT to');
    expect(code('2026-02-01', '2026-01-31')).toBe('BAD_USER_INPUT to');
  });
});
