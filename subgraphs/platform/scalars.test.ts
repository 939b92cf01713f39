import { isCalendarDate } from './scalars';

describe('isCalendarDate', () => {
  it('takes the real dates of the calendar, leap days included', () => {
    for (const day of ['2026-12-04', '2024-02-29', '2000-02-29', '2026-04-30', '2026-01-31', '1900-01-01', '9999-12-31']) {
      expect(isCalendarDate(day)).toBe(true);
    }
  });

  it('refuses days a month does not have, leap days of common years, and other shapes', () => {
    for (const day of [
      '2026-02-29',
      '1900-02-29',
      '2100-02-29',
      '2026-04-31',
      '2026-13-01',
      '2026-00-10',
      '2026-01-00',
      '2026-01-32',
      '2026-1-01',
      '2026-01-01T00:00:00Z',
      '',
    ]) {
      expect(isCalendarDate(day)).toBe(false);
    }
  });
});
