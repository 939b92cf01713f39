import fc from 'fast-check';
import { addDaysUtc } from '../../subgraphs/platform';

/** Report rows in key order, so that a comparison does not depend on the database's collation. */
export function byKey<T extends { key: string }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A report window of whole UTC days inside the `days` from `firstDay` (and one day either side, where nothing happened). */
export function reportWindow(firstDay: string, days: number): fc.Arbitrary<{ from: string; to: string }> {
  return fc
    .tuple(fc.integer({ min: -1, max: days }), fc.integer({ min: 0, max: days }))
    .map(([start, length]) => ({ from: addDaysUtc(firstDay, start), to: addDaysUtc(firstDay, Math.min(start + length, days)) }));
}

/** One write after the initial rows: a new row, a change of an existing row to `row`'s values, or a delete. */
export type WriteStep<T> = { kind: 'insert' | 'update'; row: T } | { kind: 'delete' };

export function writeStep<T>(row: fc.Arbitrary<T>): fc.Arbitrary<WriteStep<T>> {
  return fc.oneof(
    row.map((r) => ({ kind: 'insert' as const, row: r })),
    row.map((r) => ({ kind: 'update' as const, row: r })),
    fc.constant({ kind: 'delete' as const }),
  );
}
