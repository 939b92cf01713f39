import { DEFAULT_EXPORT_PAGE_SIZE } from '../../gateway/export.routes';
import { openSubgraph } from '../../scripts/database';
import { SUBGRAPHS } from '../../subgraphs';
import { seedUniverse, utcDate } from '../../subgraphs/platform';
import { ProcessStack } from '../support/processes';

/**
 * The customers export of the large seed's 100,000 customers, streamed by
 * the gateway as deployed: every service its own process from dist/ with
 * the deployment's Node flags, so that the gateway's memory is its own. The
 * customers subgraph holds the large seed (the others are empty: their
 * fields are zero or null, which costs them the same batched statement per
 * page). A failed page is logged by the gateway to this test's stderr
 * (`export cut off`, with its cause).
 */
const MB = 1024 * 1024;
const today = utcDate(new Date());
// The test is about streaming, not deadlines: a page of thousands of customers may take seconds on a loaded CI machine.
const stack = new ProcessStack({}, { gateway: { SUBGRAPH_TIMEOUT_MS: '30000', REQUEST_TIMEOUT_MS: '60000' } });

beforeAll(async () => {
  await stack.start();
  const customers = SUBGRAPHS.find((m) => m.name === 'customers')!;
  const dataSource = await openSubgraph(customers, stack.databaseEnv(['customers']));
  try {
    await customers.seed(dataSource, { size: 'large', customers: seedUniverse('large', today), today, shared: {} });
  } finally {
    await dataSource.destroy();
  }
}, 180_000);
afterAll(() => stack.stop(), 60_000);

describe('the customers export of the large seed', () => {
  it('streams all 100,000 rows while the gateway pages, and the gateway holds no more than a page', async () => {
    const requestsBefore = await stack.subgraphRequests();
    const response = await fetch(stack.gatewayUrl.replace('/graphql', '/export/customers.csv'), { headers: stack.adminHeaders });
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
    // Streamed: the first bytes came after the first page (a handful of subgraph requests), not after all the pages,
    // each of which costs at least six (customers, four peers side by side, then key-accounts' healthScore).
    expect(requestsAtFirstBytes).toBeLessThan(20);
    expect(requestsInAll).toBeGreaterThanOrEqual(6 * Math.ceil(100_000 / DEFAULT_EXPORT_PAGE_SIZE));
    // The export's memory bound (issue 14: gateway peak RSS under 250 MB, the deployment's heap limit included).
    expect(stack.peakRss('gateway')).toBeLessThan(250 * MB);
  }, 240_000);
});
