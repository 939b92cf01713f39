import { DEADLINE_HEADER, deadlineFromHeader, peerCallLimits, remainingMs, statementNeedsDeadline, withDeadline, withStatementDeadline } from './deadline';

describe('request deadlines', () => {
  it('reads the budget a caller left, and nothing from a missing or malformed header', () => {
    expect(deadlineFromHeader('250', 1_000)).toBe(1_250);
    expect(deadlineFromHeader(undefined, 1_000)).toBeUndefined();
    expect(deadlineFromHeader('-5', 1_000)).toBeUndefined();
    expect(deadlineFromHeader('1e9', 1_000)).toBeUndefined();
    expect(deadlineFromHeader(['100', '200'], 1_000)).toBeUndefined();
  });

  it('is visible to everything the request starts, and only to it', async () => {
    const at = Date.now() + 5_000;
    const inside = await withDeadline(at, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return remainingMs();
    });
    expect(inside).toBeGreaterThan(0);
    expect(inside).toBeLessThanOrEqual(5_000);
    expect(remainingMs()).toBeUndefined();
  });

  it('gives a peer call the smaller of its own timeout and what is left, and says so in the header', () => {
    expect(peerCallLimits(2_000).headers).toEqual({});
    const limits = withDeadline(Date.now() + 300, () => peerCallLimits(2_000));
    const budget = Number(limits.headers[DEADLINE_HEADER]);
    expect(budget).toBeGreaterThan(0);
    expect(budget).toBeLessThanOrEqual(300);
    expect(Number(withDeadline(Date.now() + 60_000, () => peerCallLimits(2_000)).headers[DEADLINE_HEADER])).toBe(2_000);
  });

  it('limits data statements, in the dialect of the server, and leaves transaction control alone', () => {
    expect(withStatementDeadline('SELECT 1', 1234.7, true)).toBe('SET STATEMENT max_statement_time = 1.234 FOR SELECT 1');
    expect(withStatementDeadline('  update t set a = 1', 20, true)).toBe('SET STATEMENT max_statement_time = 0.020 FOR   update t set a = 1');
    expect(withStatementDeadline('START TRANSACTION', 20, true)).toBe('START TRANSACTION');
    expect(withStatementDeadline('COMMIT', 20, true)).toBe('COMMIT');
    // Past the deadline: 1 ms, never 0 (which would mean no limit).
    expect(withStatementDeadline('SELECT 1', -50, true)).toBe('SET STATEMENT max_statement_time = 0.001 FOR SELECT 1');
    expect(withStatementDeadline('SELECT a FROM t', 300, false)).toBe('SELECT /*+ MAX_EXECUTION_TIME(300) */ a FROM t');
    expect(withStatementDeadline('INSERT INTO t VALUES (1)', 300, false)).toBe('INSERT INTO t VALUES (1)');
  });
});

describe('statementNeedsDeadline', () => {
  it('limits a statement only when its request has clearly less time left than the session cap', () => {
    // What a normal request arrives with: the gateway's 10 s fetch budget less its margin, against a 10 s cap.
    expect(statementNeedsDeadline(9_950, 10_000)).toBe(false);
    expect(statementNeedsDeadline(9_000, 10_000)).toBe(false);
    expect(statementNeedsDeadline(8_999, 10_000)).toBe(true);
    expect(statementNeedsDeadline(150, 500)).toBe(true);
    expect(statementNeedsDeadline(undefined, 10_000)).toBe(false);
  });
});
