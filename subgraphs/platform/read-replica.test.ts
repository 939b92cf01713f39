import { isPlainRead } from './read-replica';
import { markPrimaryReads, readsMayUseReplica, requestHeaders, withRequestScope } from './deadline';

describe('read routing', () => {
  it('lets plain SELECTs go to a replica, and keeps locks, sequences and writes on the primary', () => {
    expect(isPlainRead('SELECT id FROM invoices WHERE customer_id IN (?)')).toBe(true);
    expect(isPlainRead('  WITH x AS (SELECT 1) SELECT * FROM x')).toBe(true);
    for (const sql of [
      'SELECT * FROM invoices WHERE id = ? FOR UPDATE',
      'SELECT GET_LOCK(?, 0) AS locked',
      'SELECT NEXTVAL(invoice_numbers) AS n',
      'SELECT LAST_INSERT_ID()',
      'INSERT INTO payments (id) VALUES (?)',
      'UPDATE invoices SET paid_minor = ?',
    ])
      expect(isPlainRead(sql)).toBe(false);
  });

  it('uses a replica only inside a read-only request, and tells peers when a request needs the primary', () => {
    expect(readsMayUseReplica()).toBe(false);
    withRequestScope({ requestId: 'r1' }, () => {
      expect(readsMayUseReplica()).toBe(true);
      expect(requestHeaders()).toEqual({ 'x-request-id': 'r1' });
      markPrimaryReads();
      expect(readsMayUseReplica()).toBe(false);
      expect(requestHeaders()).toEqual({ 'x-request-id': 'r1', 'x-c360-read-primary': '1' });
    });
  });
});
