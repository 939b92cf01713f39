import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { startGateway } from '../../gateway/gateway';
import { FixedClock, PRINCIPAL_HEADER, projectRoot, type RunningServer, type SubgraphName } from '../../subgraphs/platform';
import { Stack, serverConfig, type GraphQLResponse } from '../support/stack';

// The customers outbox retries every 200 ms here instead of 5 s, so that the outage below is over quickly.
const previousInterval = process.env.SEGMENT_OUTBOX_INTERVAL_MS;
process.env.SEGMENT_OUTBOX_INTERVAL_MS = '200';

const stack = new Stack(new FixedClock(new Date('2026-11-22T10:00:00.000Z')));
const REPORT = `{ segmentReport { segment customerCount activeCustomerCount openBalance { amount currency } overdueBalance { amount } openComplaintCount recentInteractionCount } }`;
const ids: Record<string, string> = {};

type Row = { segment: string; customerCount: number; activeCustomerCount: number; open: string; overdue: string; complaints: number; recent: number };
const row = (r: Row) => ({
  segment: r.segment,
  customerCount: r.customerCount,
  activeCustomerCount: r.activeCustomerCount,
  openBalance: { amount: r.open, currency: 'EUR' },
  overdueBalance: { amount: r.overdue },
  openComplaintCount: r.complaints,
  recentInteractionCount: r.recent,
});

/**
 * The report once the peers' replicas have caught up with the customers
 * subgraph: polled, since delivery runs after the write's commit, for at
 * most 10 s.
 */
async function reportBecomes(expected: unknown): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last: GraphQLResponse | undefined;
  while (Date.now() < deadline) {
    last = await stack.gql(REPORT);
    if (!last.errors && JSON.stringify(last.data?.segmentReport) === JSON.stringify(expected)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(last).toEqual({ data: { segmentReport: expected } });
}

const update = async (id: string, version: number, segment: string) =>
  (
    await stack.data(
      `mutation($id: ID!, $v: Int!, $s: CustomerSegment!) { updateCustomer(id: $id, expectedVersion: $v, input: { segment: $s }) { version } }`,
      { id, v: version, s: segment },
    )
  ).updateCustomer.version;

beforeAll(async () => {
  await stack.start();
  const create = async (segment: string, status: string) =>
    (
      await stack.data(
        `mutation($s: CustomerSegment!, $st: CustomerStatus!) { createCustomer(input: { kind: ORGANIZATION, companyName: "Seg", segment: $s, status: $st }) { id } }`,
        { s: segment, st: status },
      )
    ).createCustomer.id;
  ids.a1 = await create('A', 'ACTIVE');
  ids.a2 = await create('A', 'DORMANT');
  ids.b1 = await create('B', 'ACTIVE');
  await stack.data(`mutation($c: ID!) { createInvoice(input: { customerId: $c, issueDate: "2026-10-01", dueDate: "2026-10-15", total: "100.00" }) { id } }`, {
    c: ids.a1,
  });
  await stack.data(`mutation($c: ID!) { createInvoice(input: { customerId: $c, issueDate: "2026-11-20", dueDate: "2026-12-20", total: "50.00" }) { id } }`, {
    c: ids.a2,
  });
  await stack.data(`mutation($c: ID!) { createInvoice(input: { customerId: $c, issueDate: "2026-11-01", dueDate: "2026-11-10", total: "70.00" }) { id } }`, {
    c: ids.b1,
  });
  await stack.data(`mutation($c: ID!) { fileComplaint(input: { customerId: $c, channel: EMAIL, category: "x", priority: LOW, description: "x" }) { id } }`, {
    c: ids.a2,
  });
  const log = (c: string, at: string) =>
    stack.data(
      `mutation($c: ID!, $at: DateTime) { logInteraction(input: { customerId: $c, channel: PHONE, direction: INBOUND, serviceArea: HELPDESK, subject: "x",
      handledBy: "a", competenceLevel: FIRST_LEVEL, resolvedOnFirstContact: true, occurredAt: $at }) { id } }`,
      { c, at },
    );
  await log(ids.a1!, '2026-11-01T10:00:00Z');
  await log(ids.a1!, '2026-08-25T00:00:00Z'); // the first of the 90 days up to today (2026-08-25 .. 2026-11-22)
  await log(ids.b1!, '2026-08-24T23:59:59Z'); // one second before them
});
afterAll(async () => {
  await stack.stop();
  if (previousInterval === undefined) delete process.env.SEGMENT_OUTBOX_INTERVAL_MS;
  else process.env.SEGMENT_OUTBOX_INTERVAL_MS = previousInterval;
});

it("joins every subgraph's figures per segment, each summed in SQL by its owner over its replica of the segments", async () => {
  await reportBecomes([
    row({ segment: 'A', customerCount: 2, activeCustomerCount: 1, open: '150.00', overdue: '100.00', complaints: 1, recent: 2 }),
    row({ segment: 'B', customerCount: 1, activeCustomerCount: 1, open: '70.00', overdue: '70.00', complaints: 0, recent: 0 }),
    row({ segment: 'C', customerCount: 0, activeCustomerCount: 0, open: '0.00', overdue: '0.00', complaints: 0, recent: 0 }),
  ]);
});

it("moves a customer's figures to its new segment after updateCustomer, once the replicas have caught up", async () => {
  expect(await update(ids.a1!, 1, 'B')).toBe(2);
  await reportBecomes([
    row({ segment: 'A', customerCount: 1, activeCustomerCount: 0, open: '50.00', overdue: '0.00', complaints: 1, recent: 0 }),
    row({ segment: 'B', customerCount: 2, activeCustomerCount: 2, open: '170.00', overdue: '170.00', complaints: 0, recent: 2 }),
    row({ segment: 'C', customerCount: 0, activeCustomerCount: 0, open: '0.00', overdue: '0.00', complaints: 0, recent: 0 }),
  ]);
});

it('loses no change while a peer is down: its figures lag, and catch up once it is back', async () => {
  await stack.stopSubgraph('billing');
  try {
    expect(await update(ids.a2!, 1, 'C')).toBe(2);
    const during = await stack.gql(REPORT);
    expect(during.errors?.[0]?.extensions).toMatchObject({ serviceName: 'billing', reason: 'UNAVAILABLE' });
  } finally {
    await stack.startSubgraph('billing');
  }
  // Billing has still the old segment until the outbox retries (every 200 ms here).
  await reportBecomes([
    row({ segment: 'A', customerCount: 0, activeCustomerCount: 0, open: '0.00', overdue: '0.00', complaints: 0, recent: 0 }),
    row({ segment: 'B', customerCount: 2, activeCustomerCount: 2, open: '170.00', overdue: '170.00', complaints: 0, recent: 2 }),
    row({ segment: 'C', customerCount: 1, activeCustomerCount: 0, open: '50.00', overdue: '0.00', complaints: 1, recent: 0 }),
  ]);
});

/** Stands between a gateway and one subgraph and keeps every body that passes, both ways. */
interface Exchange {
  subgraph: SubgraphName;
  request: string;
  response: string;
}

function countingProxy(subgraph: SubgraphName, target: string, seen: Exchange[]): Promise<Server> {
  const server = createServer((req, res) => {
    let request = '';
    req.on('data', (chunk: Buffer) => (request += chunk.toString()));
    req.on('end', async () => {
      const principal = req.headers[PRINCIPAL_HEADER];
      const headers = { 'content-type': 'application/json', ...(typeof principal === 'string' ? { [PRINCIPAL_HEADER]: principal } : {}) };
      const answer = await fetch(target, { method: 'POST', headers, body: request });
      const response = await answer.text();
      seen.push({ subgraph, request, response });
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(response);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

it('sends no customer id between gateway and subgraphs for a report: a few hundred bytes each way', async () => {
  const seen: Exchange[] = [];
  const names: SubgraphName[] = ['customers', 'contacts', 'billing', 'claims', 'key-accounts'];
  const proxies = await Promise.all(names.map((name) => countingProxy(name, stack.subgraphs.get(name)!.url, seen)));
  let gateway: RunningServer | undefined;
  try {
    gateway = await startGateway({
      server: serverConfig(0),
      supergraphSdl: readFileSync(join(projectRoot(), 'schema', 'supergraph.graphql'), 'utf8'),
      subgraphUrls: Object.fromEntries(names.map((name, i) => [name, `http://127.0.0.1:${(proxies[i]!.address() as { port: number }).port}/graphql`])),
      subgraphTimeoutMs: 5000,
      auth: stack.auth,
    });
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...stack.adminHeaders },
      body: JSON.stringify({ query: REPORT }),
    });
    const body = (await response.json()) as GraphQLResponse;
    expect(body.errors).toBeUndefined();
    expect(body.data.segmentReport).toHaveLength(3);
  } finally {
    await gateway?.stop();
    await Promise.all(proxies.map((p) => new Promise((resolve) => p.close(resolve))));
  }
  // One fetch from customers, then one from each peer with the three keys.
  expect(seen.map((e) => e.subgraph).sort()).toEqual(['billing', 'claims', 'contacts', 'customers']);
  for (const exchange of seen) {
    for (const id of Object.values(ids)) {
      expect({ subgraph: exchange.subgraph, carriesId: exchange.request.includes(id) || exchange.response.includes(id) }).toEqual({
        subgraph: exchange.subgraph,
        carriesId: false,
      });
    }
  }
  // Keys and figures only, so the size does not grow with the customers (the old design sent every id of a segment, twice).
  const bytes = seen.reduce((sum, e) => sum + Buffer.byteLength(e.request) + Buffer.byteLength(e.response), 0);
  expect(bytes).toBeLessThan(4096);
});

it('keeps the replication mutations and their input out of the public API', async () => {
  for (const query of [`{ segmentReport { customerIds } }`, `mutation { _replicateCustomerSegmentsToBilling(rows: []) }`]) {
    const result = await stack.gql(query);
    expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  }
});
