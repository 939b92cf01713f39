import { DEFAULT_FOUR_EYES, bypassesFourEyes, effectiveStatus, fourEyesFromEnv, type StoredChangeRequest } from './change-request';
import { toChangeRequest } from './change-request.types';

const request = (status: StoredChangeRequest['status'], expiresAt: string): StoredChangeRequest => ({
  id: 'r',
  entity: 'CUSTOMER',
  customerId: 'c',
  expected: '1',
  changes: [{ field: 'lastName', before: 'Alt', after: 'Neu' }],
  payload: { lastName: 'Neu' },
  reason: 'x',
  status,
  requestedBy: 'anna',
  createdAt: new Date('2026-11-01T00:00:00Z'),
  expiresAt: new Date(expiresAt),
  decidedBy: null,
  decidedAt: null,
  decisionReason: null,
});

describe('four-eyes settings', () => {
  it('defaults to names, status and segment, payment methods, admin bypass and 7 days', () => {
    expect(fourEyesFromEnv({})).toEqual(DEFAULT_FOUR_EYES);
    expect(DEFAULT_FOUR_EYES).toEqual({
      customerFields: ['firstName', 'lastName', 'companyName', 'status', 'segment'],
      paymentMethod: true,
      bypassRoles: ['admin'],
      ttlSeconds: 604800,
    });
  });

  it('reads each variable and refuses bad values', () => {
    expect(
      fourEyesFromEnv({
        CUSTOMER_APPROVAL_FIELDS: 'email, phone',
        PAYMENT_METHOD_APPROVAL: 'false',
        FOUR_EYES_BYPASS_ROLES: 'admin,supervisor',
        CHANGE_REQUEST_TTL_SECONDS: '60',
      }),
    ).toEqual({
      customerFields: ['email', 'phone'],
      paymentMethod: false,
      bypassRoles: ['admin', 'supervisor'],
      ttlSeconds: 60,
    });
    expect(() => fourEyesFromEnv({ CUSTOMER_APPROVAL_FIELDS: 'iban' })).toThrow(/CUSTOMER_APPROVAL_FIELDS/);
    expect(() => fourEyesFromEnv({ PAYMENT_METHOD_APPROVAL: 'yes' })).toThrow(/PAYMENT_METHOD_APPROVAL/);
    expect(() => fourEyesFromEnv({ CHANGE_REQUEST_TTL_SECONDS: '0' })).toThrow(/CHANGE_REQUEST_TTL_SECONDS/);
  });

  it('lets only the bypass roles write directly', () => {
    expect(bypassesFourEyes(DEFAULT_FOUR_EYES, ['admin'])).toBe(true);
    expect(bypassesFourEyes(DEFAULT_FOUR_EYES, ['supervisor', 'agent'])).toBe(false);
  });
});

describe('a change request', () => {
  it('reads EXPIRED once PENDING past its expiry, whatever is stored', () => {
    const now = new Date('2026-11-08T00:00:00Z');
    expect(effectiveStatus(request('PENDING', '2026-11-08T00:00:00Z'), now)).toBe('EXPIRED');
    expect(effectiveStatus(request('PENDING', '2026-11-08T00:00:01Z'), now)).toBe('PENDING');
    expect(effectiveStatus(request('APPROVED', '2026-11-01T00:00:00Z'), now)).toBe('APPROVED');
  });

  it('shows each value through the owner’s mask', () => {
    const view = toChangeRequest(request('PENDING', '2026-12-01T00:00:00Z'), new Date('2026-11-02T00:00:00Z'), (field, v) =>
      field === 'lastName' && v ? '[masked]' : v,
    );
    expect(view.changes).toEqual([{ field: 'lastName', oldValue: '[masked]', newValue: '[masked]' }]);
    expect(view.status).toBe('PENDING');
  });
});
