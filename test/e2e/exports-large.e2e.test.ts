import { openSubgraph } from '../../scripts/database';
import { SUBGRAPHS } from '../../subgraphs';
import { FixedClock, seedUniverse, type RunningServer } from '../../subgraphs/platform';
import { Stack } from '../support/stack';

/**
 * The customers export of the large seed's 100,000 customers, streamed: the
 * customers subgraph holds the large seed (the others are empty: their
 * fields are zero or null, which costs them the same batched statement per
 * page).
 */
const TODAY = '2026-11-22';
const stack = new Stack(new FixedClock(new Date(`${TODAY}T10:00:00.000Z`)));
let gateway: RunningServer;

beforeAll(async () => {
  await stack.start();
  const customers = SUBGRAPHS.find((m) => m.name === 'customers')!;
  const dataSource = await openSubgraph(customers, stack.databaseEnv(['customers']));
  try {
    await customers.seed(dataSource, { size: 'large', customers: seedUniverse('large', TODAY), today: TODAY, shared: {} });
  } finally {
    await dataSource.destroy();
  }
  // The test is about streaming, not deadlines: a page of 1,000 customers may take seconds on a loaded CI machine.
  gateway = await stack.startGateway({
    subgraphTimeoutMs: 30_000,
  });
}, 180_000);
afterAll(async () => {
  await gateway?.stop();
  await stack.stop();
});

describe('the customers export of the large seed', () => {
  // The gateway's memory bound is measured where the gateway runs alone, in its own process:
  // `npm run bench -- --exports` (gateway peak RSS); here gateway and subgraphs share the test's heap.
  it('streams all 100,000 rows: the first bytes arrive after the first page, while the gateway is still paging', async () => {
    const requestsBefore = await stack.subgraphRequests();
    const response = await fetch(`${gateway.url.replace('/graphql', '')}/export/customers.csv`, { headers: stack.adminHeaders });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    let lines = 0;
    let requestsAtFirstBytes: number | undefined;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      requestsAtFirstBytes ??= (await stack.subgraphRequests()) - requestsBefore;
      for (const byte of value) if (byte === 10) lines++;
    }
    const requestsInAll = (await stack.subgraphRequests()) - requestsBefore;
    // The header and one line per customer (the seed's names hold no line breaks).
    expect(lines - 1).toBe(100_000);
    // Streamed: the first bytes came after the first page (a handful of subgraph requests), not after all 100 pages.
    expect(requestsAtFirstBytes).toBeLessThan(20);
    expect(requestsInAll).toBeGreaterThan(300);
  }, 240_000);
});
