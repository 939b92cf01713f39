import { MASKED, auditChanges } from './audit';

describe('auditChanges', () => {
  it('lists only the fields that differ, before and after, dates as ISO text', () => {
    expect(
      auditChanges(
        { status: 'OPEN', paidMinor: 0, at: new Date('2026-01-01T00:00:00Z'), same: 1 },
        { status: 'PAID', paidMinor: 500, at: new Date('2026-01-02T00:00:00Z'), same: 1 },
      ),
    ).toEqual([
      { field: 'status', before: 'OPEN', after: 'PAID' },
      { field: 'paidMinor', before: 0, after: 500 },
      { field: 'at', before: '2026-01-01T00:00:00.000Z', after: '2026-01-02T00:00:00.000Z' },
    ]);
  });

  it('masks personal values on both sides but keeps null visible, so "set" and "cleared" still show', () => {
    expect(auditChanges({ email: 'a@example.org', phone: null }, { email: null, phone: '+4930123' }, ['email', 'phone'])).toEqual([
      { field: 'email', before: MASKED, after: null },
      { field: 'phone', before: null, after: MASKED },
    ]);
    expect(JSON.stringify(auditChanges(null, { name: 'Eva', addresses: [{ street: 'X' }] }, ['name', 'addresses']))).not.toMatch(/Eva|street/);
  });
});
