import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { billingHarness } from '../../test/support/billing';
import { DATABASE_KINDS, databaseOf } from '../../test/support/database';
import type { SubgraphHarness } from '../../test/support/harness';
import { writeStep } from '../../test/support/rollups';
import { shuffled } from '../../test/support/segment-replica';
import { addDaysUtc, readNumber, sqlInstant } from '../platform';
import { compactOnce, rebuildRollups } from '../platform/rollup';
import { BILLING_ROLLUPS, INVOICED_DAYS, RECEIVABLE_DAYS } from './billing.rollups';
import { ReceivablesRepository } from './receivables.repository';

const TODAY = '2026-11-22';
const OPEN = ['OPEN', 'PARTIALLY_PAID', 'IN_COLLECTION'];

const invoice = fc
  .record({
    due: fc.integer({ min: -150, max: 40 }),
    issuedBefore: fc.integer({ min: -20, max: 40 }),
    status: fc.constantFrom('OPEN', 'PARTIALLY_PAID', 'IN_COLLECTION', 'PAID', 'CANCELLED', 'WRITTEN_OFF'),
    total: fc.integer({ min: 0, max: 500_000 }),
    paidShare: fc.constantFrom(0, 0.5, 1, 1.2),
    level: fc.integer({ min: 0, max: 4 }),
  })
  .map((i) => ({
    dueDate: addDaysUtc(TODAY, i.due),
    // Some are issued after their due date, some after today (a report as of today leaves them out).
    issueDate: addDaysUtc(TODAY, i.due - i.issuedBefore),
    status: i.status,
    total: i.total,
    paid: Math.round(i.total * i.paidShare),
    level: i.level,
  }));
type Invoice = typeof invoice extends fc.Arbitrary<infer T> ? T : never;

const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
const bucketOf = (d: number) => (d <= 0 ? 0 : d <= 30 ? 1 : d <= 60 ? 2 : d <= 90 ? 3 : 4);

describe.each(DATABASE_KINDS)('receivables from the per-day rollups, on %s', (kind) => {
  let h: SubgraphHarness;
  let seq = 0;

  beforeAll(async () => {
    ({ h } = await billingHarness(`${TODAY}T10:00:00.000Z`, { database: databaseOf(kind, 'billing') }));
  });
  afterAll(async () => {
    await h?.close();
  });

  const values = (i: Invoice) => [i.issueDate, i.dueDate, i.total, i.paid, i.status, i.level];
  const insert = (i: Invoice) => {
    seq += 1;
    return h.dataSource.query(
      `INSERT INTO invoices (id, invoice_number, number_seq, customer_id, currency, created_at, issue_date, due_date, total_minor, paid_minor, status, dunning_level)
       VALUES (?, ?, ?, 'c-1', 'EUR', ?, ?, ?, ?, ?, ?, ?)`,
      [randomUUID(), `R-${seq}`, seq, sqlInstant(h.dataSource, new Date()), ...values(i)],
    );
  };
  const update = (id: string, i: Invoice) =>
    h.dataSource.query('UPDATE invoices SET issue_date = ?, due_date = ?, total_minor = ?, paid_minor = ?, status = ?, dunning_level = ? WHERE id = ?', [
      ...values(i),
      id,
    ]);

  /** Cells (aging bucket, level) and the amount invoiced in the 90 days to asOf, computed here from the raw invoices. */
  async function expected(asOf: string) {
    const rows: Record<string, unknown>[] = await h.dataSource.query('SELECT * FROM invoices');
    const cells = new Map<string, { bucket: number; level: number; count: number; amountMinor: number }>();
    let invoiced = 0;
    for (const row of rows) {
      const issue = String(row.issue_date instanceof Date ? row.issue_date.toISOString() : row.issue_date).slice(0, 10);
      const due = String(row.due_date instanceof Date ? row.due_date.toISOString() : row.due_date).slice(0, 10);
      const total = readNumber(row.total_minor)!;
      const open = total - readNumber(row.paid_minor)!;
      if (row.status !== 'CANCELLED' && issue > addDaysUtc(asOf, -90) && issue <= asOf) invoiced += total;
      if (!OPEN.includes(String(row.status)) || open <= 0 || issue > asOf) continue;
      const bucket = bucketOf(days(due, asOf));
      const level = readNumber(row.dunning_level)!;
      const cell = cells.get(`${bucket}|${level}`) ?? { bucket, level, count: 0, amountMinor: 0 };
      cell.count += 1;
      cell.amountMinor += open;
      cells.set(`${bucket}|${level}`, cell);
    }
    return { cells: sortCells([...cells.values()]), invoiced };
  }

  const sortCells = <T extends { bucket: number; level: number }>(cells: T[]) => [...cells].sort((a, b) => a.bucket - b.bucket || a.level - b.level);

  async function reset(): Promise<void> {
    await h.dataSource.query('DELETE FROM invoices');
    await rebuildRollups(h.dataSource, BILLING_ROLLUPS);
  }

  it('equal the figures over the raw invoices, for random invoices, payments, status changes, deletes, compactions and dates', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(invoice, { minLength: 1, maxLength: 30 }),
        fc.array(writeStep(invoice), { maxLength: 12 }),
        // Mostly days near today, where invoices issued later than the date are common.
        fc.array(fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 60 })), { minLength: 1, maxLength: 3 }),
        fc.integer(),
        async (initial, steps, asOfOffsets, seed) => {
          await reset();
          for (const i of initial) await insert(i);
          const ids: string[] = (await h.dataSource.query('SELECT id FROM invoices ORDER BY id')).map((r: { id: string }) => r.id);
          const writes = steps.map((step, n) => async () => {
            const id = ids[n % ids.length]!;
            if (step.kind === 'insert') await insert(step.row);
            else if (step.kind === 'update') await update(id, step.row);
            else await h.dataSource.query('DELETE FROM invoices WHERE id = ?', [id]);
          });
          const compactions = [RECEIVABLE_DAYS, INVOICED_DAYS, RECEIVABLE_DAYS].map((rollup) => () => compactOnce(h.dataSource, rollup, 4));
          await Promise.all(shuffled([...writes, ...compactions], seed).map((run) => run()));
          const repository = new ReceivablesRepository(h.dataSource);
          // Today and later dates read the rollup.
          for (const asOf of asOfOffsets.map((d) => addDaysUtc(TODAY, d))) {
            const want = await expected(asOf);
            expect(sortCells(await repository.buckets(asOf, TODAY))).toEqual(want.cells);
            expect(await repository.invoicedLast90Days(asOf)).toBe(want.invoiced);
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});
