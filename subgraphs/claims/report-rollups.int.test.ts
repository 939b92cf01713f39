import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { DATABASE_KINDS, databaseOf } from '../../test/support/database';
import { claimsHarness } from '../../test/support/claims';
import type { SubgraphHarness } from '../../test/support/harness';
import { byKey, reportWindow, writeStep } from '../../test/support/rollups';
import { shuffled } from '../../test/support/segment-replica';
import { dayRange, readInstant, readNumber, sqlInstant } from '../platform';
import { compactOnce, rebuildRollups } from '../platform/rollup';
import { ClaimsReportRepository, type ClaimRow, type SlaRow } from './claims-report.repository';
import { CLAIMS_ROLLUPS, CLAIM_STAT_DAYS, COMPLAINT_SLA_DAYS } from './claims.rollups';
import { ClaimDimension, SlaDimension } from './claims.types';

const FIRST_DAY = '2026-08-20';
const DAYS = 70;
const HOUR = 3_600_000;
const start = Date.parse(`${FIRST_DAY}T00:00:00.000Z`);
const SLA_COLUMNS = { PRIORITY: 'priority', COMPETENCE_LEVEL: 'competence_level', CHANNEL: 'channel' } as const;
const CLAIM_COLUMNS = { TYPE: 'type', STATUS: 'status' } as const;

const complaint = fc.record({
  at: fc.integer({ min: 0, max: DAYS * 24 * HOUR - 1 }),
  priority: fc.constantFrom('LOW', 'MEDIUM', 'HIGH', 'CRITICAL'),
  channel: fc.constantFrom('PHONE', 'EMAIL', 'WEB'),
  level: fc.constantFrom('FIRST_LEVEL', 'SECOND_LEVEL'),
  firstDue: fc.integer({ min: 1, max: 72 * HOUR }),
  resolutionDue: fc.integer({ min: 24 * HOUR, max: 400 * HOUR }),
  // A response or resolution not given yet, or given some time after receipt (on time or late).
  firstAfter: fc.option(fc.integer({ min: 0, max: 100 * HOUR }), { nil: null }),
  resolvedAfter: fc.option(fc.integer({ min: 0, max: 500 * HOUR }), { nil: null }),
});
type Complaint = typeof complaint extends fc.Arbitrary<infer T> ? T : never;

const claim = fc.record({
  at: fc.integer({ min: 0, max: DAYS * 24 * HOUR - 1 }),
  type: fc.constantFrom('DAMAGE', 'WARRANTY', 'RETURN'),
  status: fc.constantFrom('REPORTED', 'IN_REVIEW', 'APPROVED', 'REJECTED', 'SETTLED'),
  decision: fc.constantFrom(null, 'APPROVED', 'REJECTED'),
  claimed: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: null }),
  settled: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: null }),
});
type Claim = typeof claim extends fc.Arbitrary<infer T> ? T : never;

describe.each(DATABASE_KINDS)('slaReport and claimStats from the per-day rollups, on %s', (kind) => {
  let h: SubgraphHarness;
  let seq = 0;
  const at = (ms: number) => sqlInstant(h.dataSource, new Date(start + ms));

  beforeAll(async () => {
    ({ h } = await claimsHarness(undefined, databaseOf(kind, 'claims')));
  });
  afterAll(async () => {
    await h?.close();
  });

  function complaintValues(c: Complaint): unknown[] {
    return [
      c.channel,
      c.priority,
      c.level,
      at(c.at),
      at(c.at + c.firstDue),
      at(c.at + c.resolutionDue),
      c.firstAfter === null ? null : at(c.at + c.firstAfter),
      c.resolvedAfter === null ? null : at(c.at + c.resolvedAfter),
    ];
  }
  const insertComplaint = (c: Complaint) =>
    h.dataSource.query(
      `INSERT INTO complaints (id, customer_id, category, status, description, updated_at,
         channel, priority, competence_level, received_at, first_response_due_at, resolution_due_at, first_response_at, resolved_at)
       VALUES (?, 'c-1', 'billing', 'OPEN', 'd', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [randomUUID(), at(0), ...complaintValues(c)],
    );
  const updateComplaint = (id: string, c: Complaint) =>
    h.dataSource.query(
      `UPDATE complaints SET channel = ?, priority = ?, competence_level = ?, received_at = ?, first_response_due_at = ?, resolution_due_at = ?,
         first_response_at = ?, resolved_at = ? WHERE id = ?`,
      [...complaintValues(c), id],
    );
  const claimValues = (c: Claim) => [c.type, c.status, c.decision, at(c.at), c.claimed, c.settled];
  const insertClaim = (c: Claim) => {
    seq += 1;
    return h.dataSource.query(
      `INSERT INTO claims (id, claim_number, number_seq, customer_id, description, currency, version, updated_at,
         type, status, decision, reported_at, claimed_minor, settled_minor)
       VALUES (?, ?, ?, 'c-1', 'd', 'EUR', 1, ?, ?, ?, ?, ?, ?, ?)`,
      [randomUUID(), `CL-${seq}`, seq, at(0), ...claimValues(c)],
    );
  };
  const updateClaim = (id: string, c: Claim) =>
    h.dataSource.query('UPDATE claims SET type = ?, status = ?, decision = ?, reported_at = ?, claimed_minor = ?, settled_minor = ? WHERE id = ?', [
      ...claimValues(c),
      id,
    ]);

  /** slaReport's rows computed here from the raw complaints, at `now`. */
  async function expectedSla(from: string, to: string, now: Date, by: SlaDimension): Promise<SlaRow[]> {
    const rows: Record<string, unknown>[] = await h.dataSource.query('SELECT * FROM complaints');
    const groups = new Map<string, SlaRow>();
    for (const row of rows) {
      const received = readInstant(row.received_at);
      const day = received.toISOString().slice(0, 10);
      if (day < from || day > to) continue;
      const key = by === SlaDimension.MONTH ? day.slice(0, 7) : String(row[SLA_COLUMNS[by]]);
      const g = groups.get(key) ?? {
        key,
        count: 0,
        firstOk: 0,
        firstMeasured: 0,
        resolutionOk: 0,
        resolutionMeasured: 0,
        resolvedCount: 0,
        resolutionMsSum: 0,
      };
      const first = row.first_response_at == null ? null : readInstant(row.first_response_at).getTime();
      const firstDue = readInstant(row.first_response_due_at).getTime();
      const resolved = row.resolved_at == null ? null : readInstant(row.resolved_at).getTime();
      const resolutionDue = readInstant(row.resolution_due_at).getTime();
      g.count += 1;
      if (first !== null && first <= firstDue) g.firstOk += 1;
      if (first !== null || firstDue < now.getTime()) g.firstMeasured += 1;
      if (resolved !== null && resolved <= resolutionDue) g.resolutionOk += 1;
      if (resolved !== null || resolutionDue < now.getTime()) g.resolutionMeasured += 1;
      if (resolved !== null) {
        g.resolvedCount += 1;
        g.resolutionMsSum += resolved - received.getTime();
      }
      groups.set(key, g);
    }
    return byKey([...groups.values()]);
  }

  async function expectedClaims(from: string, to: string, by: ClaimDimension): Promise<ClaimRow[]> {
    const rows: Record<string, unknown>[] = await h.dataSource.query('SELECT * FROM claims');
    const groups = new Map<string, ClaimRow>();
    for (const row of rows) {
      const day = readInstant(row.reported_at).toISOString().slice(0, 10);
      if (day < from || day > to) continue;
      const key = by === ClaimDimension.MONTH ? day.slice(0, 7) : String(row[CLAIM_COLUMNS[by]]);
      const g = groups.get(key) ?? { key, count: 0, claimedMinor: 0, settledMinor: 0, approved: 0, rejected: 0 };
      g.count += 1;
      g.claimedMinor += readNumber(row.claimed_minor) ?? 0;
      g.settledMinor += readNumber(row.settled_minor) ?? 0;
      if (row.decision === 'APPROVED') g.approved += 1;
      if (row.decision === 'REJECTED') g.rejected += 1;
      groups.set(key, g);
    }
    return byKey([...groups.values()]);
  }

  async function reset(): Promise<void> {
    await h.dataSource.query('DELETE FROM complaints');
    await h.dataSource.query('DELETE FROM claims');
    await rebuildRollups(h.dataSource, CLAIMS_ROLLUPS);
  }

  it('equal the reports over the raw rows, for random writes, changes, deletes, compactions, windows and report times', async () => {
    const repository = () => new ClaimsReportRepository(h.dataSource);
    await fc.assert(
      fc.asyncProperty(
        fc.array(complaint, { minLength: 1, maxLength: 20 }),
        fc.array(claim, { minLength: 1, maxLength: 20 }),
        fc.array(writeStep(complaint), { maxLength: 8 }),
        fc.array(writeStep(claim), { maxLength: 8 }),
        fc.array(fc.tuple(reportWindow(FIRST_DAY, DAYS), fc.integer({ min: 0, max: (DAYS + 30) * 24 * HOUR })), { minLength: 1, maxLength: 3 }),
        fc.integer(),
        async (complaints, claims, complaintSteps, claimSteps, windows, seed) => {
          await reset();
          for (const c of complaints) await insertComplaint(c);
          for (const c of claims) await insertClaim(c);
          const complaintIds: string[] = (await h.dataSource.query('SELECT id FROM complaints ORDER BY id')).map((r: { id: string }) => r.id);
          const claimIds: string[] = (await h.dataSource.query('SELECT id FROM claims ORDER BY id')).map((r: { id: string }) => r.id);
          const work = [
            ...complaintSteps.map((step, n) => async () => {
              const id = complaintIds[n % complaintIds.length]!;
              if (step.kind === 'insert') await insertComplaint(step.row);
              else if (step.kind === 'update') await updateComplaint(id, step.row);
              else await h.dataSource.query('DELETE FROM complaints WHERE id = ?', [id]);
            }),
            ...claimSteps.map((step, n) => async () => {
              const id = claimIds[n % claimIds.length]!;
              if (step.kind === 'insert') await insertClaim(step.row);
              else if (step.kind === 'update') await updateClaim(id, step.row);
              else await h.dataSource.query('DELETE FROM claims WHERE id = ?', [id]);
            }),
            ...[COMPLAINT_SLA_DAYS, CLAIM_STAT_DAYS, COMPLAINT_SLA_DAYS].map((rollup) => () => compactOnce(h.dataSource, rollup, 4)),
          ];
          await Promise.all(shuffled(work, seed).map((run) => run()));
          for (const [{ from, to }, nowMs] of windows) {
            const { start: s, end: e } = dayRange(from, to);
            const now = new Date(start + nowMs);
            for (const by of Object.values(SlaDimension)) {
              expect(byKey(await repository().sla(s, e, now, by))).toEqual(await expectedSla(from, to, now, by));
            }
            for (const by of Object.values(ClaimDimension)) {
              expect(byKey(await repository().claims(s, e, by))).toEqual(await expectedClaims(from, to, by));
            }
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});
