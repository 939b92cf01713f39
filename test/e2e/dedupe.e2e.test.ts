import { createConnection } from 'mysql2/promise';
import { SUBGRAPHS } from '../../subgraphs';
import type { RunningServer } from '../../subgraphs/platform';
import { bearer } from '../support/auth';
import { delayingProxy, type DelayingProxy } from '../../scripts/delaying-proxy';
import { Stack, type GraphQLResponse } from '../support/stack';

/**
 * In-flight deduplication at the gateway: claims sits behind a proxy that
 * counts requests and holds each for 300 ms, so concurrent identical
 * requests are certainly under way at the same time.
 */
const stack = new Stack();
let proxy: DelayingProxy;
let deduping: RunningServer;
let plain: RunningServer;
let customerId: string;

const REPORT = `query SlaNow { slaReport(from: "2026-01-01", to: "2026-12-31", groupBy: PRIORITY) { key complaintCount } }`;

beforeAll(async () => {
  await stack.start();
  customerId = (await stack.data(`mutation { createCustomer(input: { kind: PERSON, firstName: "Dee", lastName: "Dupe" }) { id } }`)).createCustomer.id;
  proxy = await delayingProxy(stack.url('claims'), 300);
  const subgraphUrls = { ...Object.fromEntries(SUBGRAPHS.map((m) => [m.name, stack.url(m.name)])), claims: proxy.url };
  deduping = await stack.startGateway({ subgraphUrls });
  plain = await stack.startGateway({ subgraphUrls, dedupeReads: false });
});
afterAll(async () => {
  await deduping?.stop();
  await plain?.stop();
  await proxy?.close();
  await stack.stop();
});

const ask = (gateway: RunningServer, query: string, headers?: Record<string, string>): Promise<GraphQLResponse> =>
  stack.gql(query, undefined, headers, gateway);

/** Proxy requests that `run` caused. */
async function upstreamCalls(run: () => Promise<unknown>): Promise<number> {
  const before = proxy.requests;
  await run();
  return proxy.requests - before;
}

it('answers 20 identical concurrent reads of one caller with one subgraph call, each with the whole answer', async () => {
  const answers: GraphQLResponse[] = [];
  const calls = await upstreamCalls(async () => answers.push(...(await Promise.all(Array.from({ length: 20 }, () => ask(deduping, REPORT))))));
  expect(calls).toBe(1);
  expect(answers.every((a) => !a.errors)).toBe(true);
  expect(new Set(answers.map((a) => JSON.stringify(a.data))).size).toBe(1);
  // Without deduplication, the same 20 reads are 20 calls.
  expect(await upstreamCalls(() => Promise.all(Array.from({ length: 20 }, () => ask(plain, REPORT))))).toBe(20);
});

it('never shares a read between callers', async () => {
  const agent = await bearer(['agent'], 'agent-one');
  const other = await bearer(['agent'], 'agent-two');
  const calls = await upstreamCalls(() => Promise.all([ask(deduping, REPORT, agent), ask(deduping, REPORT, other), ask(deduping, REPORT, agent)]));
  expect(calls).toBe(2);
});

it('never shares a mutation: 10 identical concurrent ones are 10 calls and 10 rows', async () => {
  const FILE = `mutation { fileComplaint(input: { customerId: "${customerId}", channel: EMAIL, category: "Dupe", priority: LOW, description: "Same text" }) { id } }`;
  const answers: GraphQLResponse[] = [];
  const calls = await upstreamCalls(async () => answers.push(...(await Promise.all(Array.from({ length: 10 }, () => ask(deduping, FILE))))));
  expect(calls).toBe(10);
  expect(answers.filter((a) => a.errors)).toEqual([]);
  expect(new Set(answers.map((a) => a.data.fileComplaint.id)).size).toBe(10);
  const d = stack.database('claims');
  const db = await createConnection({ host: d.host, port: d.port, user: d.user, password: d.password, database: d.database });
  try {
    const [rows] = await db.query('SELECT COUNT(*) AS n FROM complaints WHERE customer_id = ?', [customerId]);
    expect(Number((rows as { n: number }[])[0]!.n)).toBe(10);
  } finally {
    await db.end();
  }
});
