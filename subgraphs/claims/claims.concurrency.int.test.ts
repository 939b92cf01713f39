import { claimsHarness } from '../../test/support/claims';
import { DATABASE_KINDS, databaseOf } from '../../test/support/database';

const FILE = `mutation($input: FileComplaintInput!) { fileComplaint(input: $input) { id } }`;
const ESCALATE = `mutation($id: ID!) { escalateComplaint(id: $id, reason: "Needs an expert") { status } }`;
const RESOLVE = `mutation($id: ID!) { resolveComplaint(id: $id, resolution: "Refunded") { status } }`;
const REPORT = `mutation($input: ReportClaimInput!) { reportClaim(input: $input) { id claimNumber } }`;
const MOVE = `mutation($id: ID!, $to: ClaimStatus!, $v: Int!) { transitionClaim(id: $id, to: $to, expectedVersion: $v) { status version } }`;

// Every race runs on the production database and on the embedded SQLite default.
describe.each(DATABASE_KINDS)('claims under concurrency on %s', (kind) => {
  let t: Awaited<ReturnType<typeof claimsHarness>>;
  beforeAll(async () => {
    t = await claimsHarness('2026-11-22T10:00:00.000Z', databaseOf(kind, 'claims'));
    t.directory.add('c1', 'PERSON');
  });
  afterAll(async () => {
    await t?.h.close();
  });

  it('never leaves a complaint ESCALATED with a resolution when resolve and escalate race', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      ids.push(
        (await t.ok(FILE, { input: { customerId: 'c1', channel: 'EMAIL', category: 'Billing', priority: 'HIGH', description: `Race ${i}` } })).fileComplaint.id,
      );
    }
    const results = await Promise.all(ids.flatMap((id) => [t.h.execute(ESCALATE, { id }), t.h.execute(RESOLVE, { id })]));
    for (const r of results) if (r.errors) expect(r.errors[0]!.extensions?.code).toBe('INVALID_TRANSITION');
    const rows: { id: string; status: string; resolved_at: unknown }[] = await t.h.dataSource.query(
      `SELECT id, status, resolved_at FROM complaints WHERE id IN (${ids.map(() => '?').join(', ')})`,
      ids,
    );
    for (const row of rows) {
      // Resolve always wins in the end: before an escalation (which then is refused) or after it.
      expect(row.status).toBe('RESOLVED');
      expect(row.resolved_at).not.toBeNull();
    }
    // Every answered change left exactly one event, every refused one none.
    const events: { n: unknown }[] = await t.h.dataSource.query(
      `SELECT COUNT(*) AS n FROM complaint_events WHERE complaint_id IN (${ids.map(() => '?').join(', ')})`,
      ids,
    );
    expect(Number(events[0]!.n)).toBe(results.filter((r) => !r.errors).length);
  });

  it('numbers 200 concurrent claims without a failure', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => t.h.execute(REPORT, { input: { customerId: 'c1', type: 'DAMAGE', description: `Parallel ${i}` } })),
    );
    expect(results.filter((r) => r.errors)).toEqual([]);
    expect(new Set(results.map((r) => r.data!.reportClaim.claimNumber)).size).toBe(200);
    const [row] = await t.h.dataSource.query("SELECT COUNT(DISTINCT claim_number) AS n FROM claims WHERE description LIKE 'Parallel %'");
    expect(Number(row.n)).toBe(200);
  });

  it('lets one of two moves of the same version win; the loser reports the stored version, the history has one entry', async () => {
    const id = (await t.ok(REPORT, { input: { customerId: 'c1', type: 'DAMAGE', description: 'Contested' } })).reportClaim.id;
    await t.ok(MOVE, { id, to: 'IN_REVIEW', v: 1 });
    const [a, b] = await Promise.all([t.h.execute(MOVE, { id, to: 'APPROVED', v: 2 }), t.h.execute(MOVE, { id, to: 'REJECTED', v: 2 })]);
    const winner = [a, b].find((r) => !r.errors)!;
    const loser = [a, b].find((r) => r.errors)!;
    expect(winner.data!.transitionClaim.version).toBe(3);
    expect(loser.errors![0]!.extensions).toMatchObject({ code: 'VERSION_CONFLICT', expectedVersion: 2, actualVersion: 3 });
    const [claim] = await t.h.dataSource.query('SELECT status, version FROM claims WHERE id = ?', [id]);
    expect([claim.status, Number(claim.version)]).toEqual([winner.data!.transitionClaim.status, 3]);
    const [history] = await t.h.dataSource.query('SELECT COUNT(*) AS n FROM claim_events WHERE claim_id = ?', [id]);
    expect(Number(history.n)).toBe(3);
  });
});
