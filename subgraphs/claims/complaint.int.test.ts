import { claimsHarness } from '../../test/support/claims';

let t: Awaited<ReturnType<typeof claimsHarness>>;
const FIELDS = `id status competenceLevel receivedAt firstResponseAt resolvedAt resolution invoice { id }
  sla { firstResponseDueAt resolutionDueAt firstResponseBreached resolutionBreached }`;
const FILE = `mutation($input: FileComplaintInput!) { fileComplaint(input: $input) { ${FIELDS} } }`;
const RESPOND = `mutation($id: ID!) { respondToComplaint(id: $id, message: "We are on it") { ${FIELDS} } }`;
const ESCALATE = `mutation($id: ID!) { escalateComplaint(id: $id, reason: "Needs an expert") { ${FIELDS} } }`;
const RESOLVE = `mutation($id: ID!) { resolveComplaint(id: $id, resolution: "Refunded") { ${FIELDS} } }`;
const GET = `query($id: ID!) { complaint(id: $id) { ${FIELDS} } }`;
const REPORT = `query($from: Date!, $to: Date!, $by: SlaDimension!) { slaReport(from: $from, to: $to, groupBy: $by) {
  key complaintCount firstResponseComplianceRate resolutionComplianceRate averageResolutionHours } }`;

const at = (iso: string) => t.h.clock.set(new Date(iso));
const file = async (priority: string, extra: Record<string, unknown> = {}) =>
  (await t.ok(FILE, { input: { customerId: 'c1', channel: 'EMAIL', category: 'Billing error', priority, description: 'Wrong amount', ...extra } }))
    .fileComplaint;

beforeAll(async () => {
  t = await claimsHarness();
  t.directory.add('c1', 'PERSON').add('c2', 'ORGANIZATION');
  t.invoices.invoices.set('inv-1', 'c1').set('inv-2', 'c2');
});
afterAll(async () => {
  await t?.h.close();
});

describe('the complaint lifecycle', () => {
  it('files a complaint with due times from its priority', async () => {
    await at('2026-11-22T08:00:00Z');
    const c = await file('HIGH');
    expect(c).toMatchObject({
      status: 'OPEN',
      competenceLevel: 'FIRST_LEVEL',
      receivedAt: '2026-11-22T08:00:00.000Z',
      firstResponseAt: null,
      sla: {
        firstResponseDueAt: '2026-11-22T12:00:00.000Z',
        resolutionDueAt: '2026-11-23T08:00:00.000Z',
        firstResponseBreached: false,
        resolutionBreached: false,
      },
    });
  });

  it('records the first response once and moves OPEN → IN_PROGRESS', async () => {
    await at('2026-11-22T08:00:00Z');
    const c = await file('LOW');
    await at('2026-11-22T09:00:00Z');
    expect((await t.ok(RESPOND, { id: c.id })).respondToComplaint).toMatchObject({ status: 'IN_PROGRESS', firstResponseAt: '2026-11-22T09:00:00.000Z' });
    await at('2026-11-22T11:00:00Z');
    expect((await t.ok(RESPOND, { id: c.id })).respondToComplaint.firstResponseAt).toBe('2026-11-22T09:00:00.000Z');
    const [{ n }] = await t.h.dataSource.query(`SELECT COUNT(*) AS n FROM complaint_events WHERE complaint_id = '${c.id}'`);
    expect(Number(n)).toBe(2);
  });

  it('escalates one competence level per call up to THIRD_LEVEL', async () => {
    const c = await file('MEDIUM');
    const levels: string[] = [];
    for (let i = 0; i < 3; i++) {
      const escalated = (await t.ok(ESCALATE, { id: c.id })).escalateComplaint;
      expect(escalated.status).toBe('ESCALATED');
      levels.push(escalated.competenceLevel);
    }
    expect(levels).toEqual(['SECOND_LEVEL', 'THIRD_LEVEL', 'THIRD_LEVEL']);
  });

  it('resolves, and then refuses further changes with INVALID_TRANSITION', async () => {
    await at('2026-11-22T08:00:00Z');
    const c = await file('CRITICAL');
    await at('2026-11-22T12:00:00Z');
    expect((await t.ok(RESOLVE, { id: c.id })).resolveComplaint).toMatchObject({
      status: 'RESOLVED',
      resolvedAt: '2026-11-22T12:00:00.000Z',
      resolution: 'Refunded',
      // the resolution also answered it, 3 hours after the 1-hour first response was due
      firstResponseAt: '2026-11-22T12:00:00.000Z',
      sla: { firstResponseBreached: true, resolutionBreached: false },
    });
    for (const mutation of [RESPOND, ESCALATE, RESOLVE]) {
      expect((await t.h.execute(mutation, { id: c.id })).errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');
    }
  });

  it('answers NOT_FOUND for an unknown complaint and BAD_USER_INPUT for an empty message', async () => {
    expect((await t.h.execute(RESPOND, { id: 'nope' })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const c = await file('LOW');
    const empty = await t.h.execute(`mutation($id: ID!) { respondToComplaint(id: $id, message: "  ") { id } }`, { id: c.id });
    expect(empty.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'message' });
  });
});

describe('SLA edges', () => {
  it('is not breached with the due time exactly now, and breached a millisecond later', async () => {
    await at('2026-11-22T08:00:00Z');
    const c = await file('CRITICAL');
    await at('2026-11-22T09:00:00.000Z');
    expect((await t.ok(GET, { id: c.id })).complaint.sla.firstResponseBreached).toBe(false);
    await at('2026-11-22T09:00:00.001Z');
    expect((await t.ok(GET, { id: c.id })).complaint.sla.firstResponseBreached).toBe(true);
  });

  it('counts an answer exactly at the due time as in time', async () => {
    await at('2026-11-22T08:00:00Z');
    const c = await file('CRITICAL');
    await at('2026-11-22T09:00:00Z');
    await t.ok(RESPOND, { id: c.id });
    await at('2026-11-23T00:00:00Z');
    expect((await t.ok(GET, { id: c.id })).complaint.sla).toMatchObject({ firstResponseBreached: false, resolutionBreached: true });
  });
});

describe('disputes', () => {
  const INVOICE = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Invoice { id disputed complaints { status } } } }`;

  it('marks an invoice disputed while a complaint on it is open', async () => {
    const c = await file('MEDIUM', { invoiceId: 'inv-1' });
    const before = (
      await t.ok(INVOICE, {
        r: [
          { __typename: 'Invoice', id: 'inv-1' },
          { __typename: 'Invoice', id: 'inv-2' },
        ],
      })
    )._entities;
    expect(before).toEqual([
      { id: 'inv-1', disputed: true, complaints: [{ status: 'OPEN' }] },
      { id: 'inv-2', disputed: false, complaints: [] },
    ]);
    await t.ok(RESOLVE, { id: c.id });
    const after = (await t.ok(INVOICE, { r: [{ __typename: 'Invoice', id: 'inv-1' }] }))._entities;
    expect(after).toEqual([{ id: 'inv-1', disputed: false, complaints: [{ status: 'RESOLVED' }] }]);
  });

  it("refuses an unknown invoice or another customer's", async () => {
    expect(
      (await t.h.execute(FILE, { input: { customerId: 'c1', channel: 'EMAIL', category: 'x', priority: 'LOW', description: 'x', invoiceId: 'ghost' } }))
        .errors?.[0]?.extensions?.code,
    ).toBe('NOT_FOUND');
    const other = await t.h.execute(FILE, {
      input: { customerId: 'c1', channel: 'EMAIL', category: 'x', priority: 'LOW', description: 'x', invoiceId: 'inv-2' },
    });
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'invoiceId' });
  });
});

describe('slaReport', () => {
  beforeAll(async () => {
    await t.h.dataSource.query('DELETE FROM complaint_events');
    await t.h.dataSource.query('DELETE FROM complaints');
    await at('2026-11-01T08:00:00Z');
    const a = await file('HIGH');
    const b = await file('CRITICAL');
    await at('2026-11-01T10:00:00Z');
    await t.ok(RESPOND, { id: b.id }); // due 09:00: late
    await at('2026-11-01T11:00:00Z');
    await t.ok(RESPOND, { id: a.id }); // due 12:00: in time
    await at('2026-11-01T20:00:00Z');
    await t.ok(RESOLVE, { id: a.id }); // 12 h, due in 24 h
    await at('2026-11-02T08:00:00Z');
    await t.ok(RESOLVE, { id: b.id }); // 24 h, due in 8 h
    await at('2026-11-10T08:00:00Z');
    await file('LOW'); // never answered, both due times long past
    await at('2026-11-22T09:00:00Z');
    await file('CRITICAL'); // first response due exactly now: not measured yet
    await at('2026-11-22T09:30:00Z');
    await file('MEDIUM'); // nothing due yet
    await at('2026-11-22T10:00:00Z');
  });

  it('groups by PRIORITY: compliance among answered or past due, mean resolution hours', async () => {
    expect((await t.ok(REPORT, { from: '2026-11-01', to: '2026-11-22', by: 'PRIORITY' })).slaReport).toEqual([
      { key: 'CRITICAL', complaintCount: 2, firstResponseComplianceRate: 0, resolutionComplianceRate: 0, averageResolutionHours: 24 },
      { key: 'HIGH', complaintCount: 1, firstResponseComplianceRate: 1, resolutionComplianceRate: 1, averageResolutionHours: 12 },
      { key: 'LOW', complaintCount: 1, firstResponseComplianceRate: 0, resolutionComplianceRate: 0, averageResolutionHours: null },
      { key: 'MEDIUM', complaintCount: 1, firstResponseComplianceRate: 1, resolutionComplianceRate: 1, averageResolutionHours: null },
    ]);
  });

  it('groups by MONTH and by COMPETENCE_LEVEL', async () => {
    const month = (await t.ok(REPORT, { from: '2026-11-01', to: '2026-11-30', by: 'MONTH' })).slaReport;
    expect(month).toEqual([
      { key: '2026-11', complaintCount: 5, firstResponseComplianceRate: 1 / 3, resolutionComplianceRate: 1 / 3, averageResolutionHours: 18 },
    ]);
    const level = (await t.ok(REPORT, { from: '2026-11-01', to: '2026-11-30', by: 'COMPETENCE_LEVEL' })).slaReport;
    expect(level.map((s: { key: string; complaintCount: number }) => [s.key, s.complaintCount])).toEqual([['FIRST_LEVEL', 5]]);
  });

  it('takes complaints received in whole UTC days', async () => {
    const oneDay = (await t.ok(REPORT, { from: '2026-11-10', to: '2026-11-10', by: 'CHANNEL' })).slaReport;
    expect(oneDay).toEqual([{ key: 'EMAIL', complaintCount: 1, firstResponseComplianceRate: 0, resolutionComplianceRate: 0, averageResolutionHours: null }]);
  });
});

describe('Customer claims fields', () => {
  const QUERY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id openClaimCount openComplaintCount
    claims(first: 2) { totalCount nodes { id } } complaints(first: 2, statuses: [OPEN]) { totalCount nodes { id status } } } } }`;

  it('answers counts and pages, with the same statements for 2 and for 200 customers', async () => {
    const counts: number[] = [];
    for (const n of [2, 200]) {
      const reps = Array.from({ length: n }, (_, i) => ({ __typename: 'Customer', id: i === 0 ? 'c1' : `other-${i}` }));
      t.h.queries.reset();
      const data = await t.ok(QUERY, { r: reps });
      counts.push(t.h.queries.count);
      // After the slaReport fixture c1 has three complaints still OPEN (LOW, CRITICAL, MEDIUM).
      expect(data._entities[0]).toMatchObject({ id: 'c1', openClaimCount: 0, openComplaintCount: 3, complaints: { totalCount: 3 } });
      expect(data._entities[1]).toMatchObject({ openClaimCount: 0, openComplaintCount: 0, claims: { totalCount: 0, nodes: [] } });
    }
    // open claims and open complaints (one statement), claim page, claim count, complaint page, complaint count
    expect(counts).toEqual([5, 5]);
  });
});
