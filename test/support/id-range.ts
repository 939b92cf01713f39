import { newCustomerId } from '../../subgraphs/platform';
import type { SubgraphHarness } from './harness';

/** `count` new customer ids in creation order (UUIDv7), as the customers subgraph mints them. */
export function idsInOrder(count: number): string[] {
  return Array.from({ length: count }, () => newCustomerId());
}

/**
 * Reads a page of columns twice, once marked dense (idRangeDense: true) and
 * once not, and checks that the first reads `table` with one range of
 * customer ids and the second with an IN list, and that both answer the
 * same. `columns(dense)` runs the query; it must send a fresh ids list each
 * time, as a gateway's request does (the mark belongs to one request's ids).
 * Returns the range read's answer.
 */
export async function readAsRangeAndList<T>(h: SubgraphHarness, table: string, columns: (idRangeDense: boolean | null) => Promise<T>): Promise<T> {
  const read = async (idRangeDense: boolean | null) => {
    h.queries.reset();
    const answer = await columns(idRangeDense);
    return { answer, statements: h.queries.statements.filter((sql) => new RegExp(`FROM \`?${table}\`?\\s`).test(sql)) };
  };
  const range = await read(true);
  const list = await read(null);
  expect(range.statements).toHaveLength(1);
  expect(range.statements[0]).toMatch(/customer_id`? BETWEEN \? AND \?/);
  expect(list.statements).toHaveLength(1);
  expect(list.statements[0]).toMatch(/customer_id`? IN \(/);
  expect(range.answer).toEqual(list.answer);
  return range.answer;
}
