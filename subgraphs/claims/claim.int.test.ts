import { claimsHarness } from '../../test/support/claims';

let t: Awaited<ReturnType<typeof claimsHarness>>;
const REPORT = `mutation($input: ReportClaimInput!) { reportClaim(input: $input) { id claimNumber status version claimedAmount { amount } customer { id } } }`;
const MOVE = `mutation($id: ID!, $to: ClaimStatus!, $v: Int!, $note: String, $settled: Decimal) {
  transitionClaim(id: $id, to: $to, expectedVersion: $v, note: $note, settledAmount: $settled) {
    status version settledAmount { amount } history { from to note actor at } } }`;
const STATS = `query($from: Date!, $to: Date!, $by: ClaimDimension!) { claimStats(from: $from, to: $to, groupBy: $by) {
  key count claimedTotal { amount } settledTotal { amount } approvalRate } }`;

/** The steps that lead from REPORTED to each status. */
const PATH: Record<string, string[]> = {
  REPORTED: [],
  IN_REVIEW: ['IN_REVIEW'],
  APPROVED: ['IN_REVIEW', 'APPROVED'],
  REJECTED: ['IN_REVIEW', 'REJECTED'],
  SETTLED: ['IN_REVIEW', 'APPROVED', 'SETTLED'],
  CLOSED: ['IN_REVIEW', 'REJECTED', 'CLOSED'],
};
const VALID = new Set([
  'REPORTED>IN_REVIEW',
  'IN_REVIEW>APPROVED',
  'IN_REVIEW>REJECTED',
  'APPROVED>SETTLED',
  'SETTLED>CLOSED',
  'REJECTED>CLOSED',
  'CLOSED>IN_REVIEW',
]);
const ALL = Object.keys(PATH);

async function report(claimedAmount: string | null = '1000.00') {
  return (await t.ok(REPORT, { input: { customerId: 'c1', type: 'DAMAGE', description: 'Water damage', claimedAmount } })).reportClaim;
}

/** A fresh claim walked to `status`; returns its id and version. */
async function claimIn(status: string) {
  const claim = await report();
  let version = 1;
  for (const to of PATH[status]!) {
    version = (await t.ok(MOVE, { id: claim.id, to, v: version, settled: to === 'SETTLED' ? '800.00' : null })).transitionClaim.version;
  }
  return { id: claim.id, version };
}

beforeAll(async () => {
  t = await claimsHarness();
  t.directory.add('c1', 'PERSON');
});
afterAll(async () => {
  await t?.h.close();
});

describe('transitionClaim', () => {
  it.each(ALL.flatMap((from) => ALL.map((to) => [from, to] as const)))('%s → %s', async (from, to) => {
    const { id, version } = await claimIn(from);
    const result = await t.h.execute(MOVE, { id, to, v: version, note: 'checked', settled: to === 'SETTLED' ? '500.00' : null });
    if (VALID.has(`${from}>${to}`)) {
      expect(result.errors).toBeUndefined();
      expect(result.data!.transitionClaim).toMatchObject({ status: to, version: version + 1 });
    } else {
      expect(result.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');
    }
  });

  it('appends every transition to the history with actor and time, oldest first', async () => {
    const claim = await report();
    await t.h.execute(MOVE, { id: claim.id, to: 'IN_REVIEW', v: 1 }, 'anna.agent');
    const result = await t.h.execute(MOVE, { id: claim.id, to: 'REJECTED', v: 2, note: 'not covered' }, 'bert.boss');
    expect(result.data!.transitionClaim.history).toEqual([
      { from: null, to: 'REPORTED', note: null, actor: 'test-admin', at: '2026-11-22T10:00:00.000Z' },
      { from: 'REPORTED', to: 'IN_REVIEW', note: null, actor: 'anna.agent', at: '2026-11-22T10:00:00.000Z' },
      { from: 'IN_REVIEW', to: 'REJECTED', note: 'not covered', actor: 'bert.boss', at: '2026-11-22T10:00:00.000Z' },
    ]);
  });

  it('needs a note to reopen a closed claim', async () => {
    const { id, version } = await claimIn('CLOSED');
    const result = await t.h.execute(MOVE, { id, to: 'IN_REVIEW', v: version });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'note' });
  });

  it.each([
    ['without an amount', null, '1000.00'],
    ['above the claimed amount', '1000.01', '1000.00'],
    ['of zero', '0', '1000.00'],
  ])('refuses SETTLED %s', async (_name, settled, claimed) => {
    const claim = await report(claimed);
    await t.ok(MOVE, { id: claim.id, to: 'IN_REVIEW', v: 1 });
    await t.ok(MOVE, { id: claim.id, to: 'APPROVED', v: 2 });
    const result = await t.h.execute(MOVE, { id: claim.id, to: 'SETTLED', v: 3, settled });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'settledAmount' });
  });

  it('settles a claim without a claimed amount at any positive amount', async () => {
    const claim = await report(null);
    await t.ok(MOVE, { id: claim.id, to: 'IN_REVIEW', v: 1 });
    await t.ok(MOVE, { id: claim.id, to: 'APPROVED', v: 2 });
    expect((await t.ok(MOVE, { id: claim.id, to: 'SETTLED', v: 3, settled: '99.99' })).transitionClaim.settledAmount).toEqual({ amount: '99.99' });
  });

  it('fails with VERSION_CONFLICT on a stale version, and NOT_FOUND on an unknown claim', async () => {
    const claim = await report();
    await t.ok(MOVE, { id: claim.id, to: 'IN_REVIEW', v: 1 });
    const stale = await t.h.execute(MOVE, { id: claim.id, to: 'APPROVED', v: 1 });
    expect(stale.errors?.[0]?.extensions?.code).toBe('VERSION_CONFLICT');
    const missing = await t.h.execute(MOVE, { id: 'nope', to: 'APPROVED', v: 1 });
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('lets one of two concurrent transitions with one version win', async () => {
    const { id, version } = await claimIn('IN_REVIEW');
    const results = await Promise.all(['APPROVED', 'REJECTED'].map((to) => t.h.execute(MOVE, { id, to, v: version })));
    expect(results.map((r) => (r.errors ? r.errors[0]!.extensions!.code : 'OK')).sort()).toEqual(['OK', 'VERSION_CONFLICT']);
  });
});

describe('reportClaim', () => {
  it.each([
    ['description', { description: ' ' }, 'BAD_USER_INPUT'],
    ['claimedAmount', { claimedAmount: '-5.00' }, 'BAD_USER_INPUT'],
    ['incidentDate', { incidentDate: '2026-11-23' }, 'BAD_USER_INPUT'],
    [undefined, { customerId: 'ghost' }, 'NOT_FOUND'],
  ])('refuses a bad %s', async (field, change, code) => {
    const result = await t.h.execute(REPORT, { input: { customerId: 'c1', type: 'WARRANTY', description: 'Broken', ...change } });
    expect(result.errors?.[0]?.extensions?.code).toBe(code);
    if (field) expect(result.errors?.[0]?.extensions?.field).toBe(field);
  });
});

describe('claimStats', () => {
  beforeAll(async () => {
    await t.h.dataSource.query('DELETE FROM claim_events');
    await t.h.dataSource.query('DELETE FROM claims');
    // 2026-10: DAMAGE approved+settled 300 of 500 claimed; DAMAGE rejected (200 claimed); WARRANTY in review (no amount).
    // 2026-11: WARRANTY approved (100 claimed); WARRANTY reported then closed after rejection.
    const at = async (iso: string) => t.h.clock.set(new Date(iso));
    await at('2026-10-05T10:00:00Z');
    const a = (await t.ok(REPORT, { input: { customerId: 'c1', type: 'DAMAGE', description: 'a', claimedAmount: '500.00' } })).reportClaim.id;
    const b = (await t.ok(REPORT, { input: { customerId: 'c1', type: 'DAMAGE', description: 'b', claimedAmount: '200.00' } })).reportClaim.id;
    await at('2026-10-31T23:59:59.999Z');
    const c = (await t.ok(REPORT, { input: { customerId: 'c1', type: 'WARRANTY', description: 'c' } })).reportClaim.id;
    await at('2026-11-01T00:00:00Z');
    const d = (await t.ok(REPORT, { input: { customerId: 'c1', type: 'WARRANTY', description: 'd', claimedAmount: '100.00' } })).reportClaim.id;
    const e = (await t.ok(REPORT, { input: { customerId: 'c1', type: 'WARRANTY', description: 'e', claimedAmount: '50.00' } })).reportClaim.id;
    await at('2026-11-22T10:00:00Z');
    const walk = async (id: string, steps: [string, string?][]) => {
      let v = 1;
      for (const [to, settled] of steps) v = (await t.ok(MOVE, { id, to, v, settled })).transitionClaim.version;
    };
    await walk(a, [['IN_REVIEW'], ['APPROVED'], ['SETTLED', '300.00']]);
    await walk(b, [['IN_REVIEW'], ['REJECTED']]);
    await walk(c, [['IN_REVIEW']]);
    await walk(d, [['IN_REVIEW'], ['APPROVED']]);
    await walk(e, [['IN_REVIEW'], ['REJECTED'], ['CLOSED']]);
  });

  it.each([
    [
      'TYPE',
      [
        { key: 'DAMAGE', count: 2, claimedTotal: { amount: '700.00' }, settledTotal: { amount: '300.00' }, approvalRate: 0.5 },
        { key: 'WARRANTY', count: 3, claimedTotal: { amount: '150.00' }, settledTotal: { amount: '0.00' }, approvalRate: 0.5 },
      ],
    ],
    [
      'MONTH',
      [
        { key: '2026-10', count: 3, claimedTotal: { amount: '700.00' }, settledTotal: { amount: '300.00' }, approvalRate: 0.5 },
        { key: '2026-11', count: 2, claimedTotal: { amount: '150.00' }, settledTotal: { amount: '0.00' }, approvalRate: 0.5 },
      ],
    ],
    [
      'STATUS',
      [
        { key: 'APPROVED', count: 1, claimedTotal: { amount: '100.00' }, settledTotal: { amount: '0.00' }, approvalRate: 1 },
        { key: 'CLOSED', count: 1, claimedTotal: { amount: '50.00' }, settledTotal: { amount: '0.00' }, approvalRate: 0 },
        { key: 'IN_REVIEW', count: 1, claimedTotal: { amount: '0.00' }, settledTotal: { amount: '0.00' }, approvalRate: null },
        { key: 'REJECTED', count: 1, claimedTotal: { amount: '200.00' }, settledTotal: { amount: '0.00' }, approvalRate: 0 },
        { key: 'SETTLED', count: 1, claimedTotal: { amount: '500.00' }, settledTotal: { amount: '300.00' }, approvalRate: 1 },
      ],
    ],
  ])('groups by %s', async (by, expected) => {
    expect((await t.ok(STATS, { from: '2026-10-01', to: '2026-11-30', by })).claimStats).toEqual(expected);
  });

  it('counts whole UTC days at both ends', async () => {
    expect((await t.ok(STATS, { from: '2026-10-31', to: '2026-10-31', by: 'TYPE' })).claimStats).toEqual([
      { key: 'WARRANTY', count: 1, claimedTotal: { amount: '0.00' }, settledTotal: { amount: '0.00' }, approvalRate: null },
    ]);
  });
});
