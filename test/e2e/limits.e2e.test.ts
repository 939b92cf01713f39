import type { CostLimits } from '../../gateway/cost';
import type { OperationLimits } from '../../gateway/limits';
import { FixedClock, type RunningServer } from '../../subgraphs/platform';
import { bearer } from '../support/auth';
import { Stack, serverConfig } from '../support/stack';

const stack = new Stack(new FixedClock(new Date('2026-11-22T10:00:00.000Z')));
const LIMITS: OperationLimits = { maxDepth: 8, maxAliases: 3, maxTokens: 400, maxDirectives: 2, maxRootFields: 3, introspection: false };
// customers(first: n) { nodes { segment } } costs 1 + n: the limit lets 100 customers through, an analyst 1,000.
const COST: CostLimits = { maxCost: 101, roles: { analyst: 1001 }, defaultListSize: 10 };
let gateway: RunningServer;

beforeAll(async () => {
  await stack.start();
  gateway = await stack.startGateway({
    server: { ...serverConfig(0), production: true },
    limits: LIMITS,
    cost: COST,
  });
});
afterAll(async () => {
  await gateway?.stop();
  await stack.stop();
});

type Answer = { status: number; body: { data?: unknown; errors?: { message: string; extensions?: { code?: string; cost?: unknown } }[] } };

async function post(query: string, variables?: Record<string, unknown>, headers: Record<string, string> = stack.adminHeaders): Promise<Answer> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as never };
}

/** customers → nodes → (interactions → nodes → customer)* → id: a selection at least `depth` levels deep. */
function deep(depth: number): string {
  const repeats = Math.ceil(depth / 3);
  return `{ customers(first: 1) { nodes { ${'interactions(first: 1) { nodes { customer { '.repeat(repeats)} id ${'} } } '.repeat(repeats)} } } }`;
}

async function expectRefused(query: string, pattern: RegExp): Promise<void> {
  const before = await stack.subgraphRequests();
  const { body } = await post(query);
  expect(body.data ?? null).toBeNull();
  expect(body.errors?.[0]?.message).toMatch(pattern);
  expect(['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED']).toContain(body.errors?.[0]?.extensions?.code);
  // Refused while parsing or validating: no subgraph was asked.
  expect(await stack.subgraphRequests()).toBe(before);
}

async function expectServed(query: string): Promise<void> {
  const { body } = await post(query);
  expect(body.errors).toBeUndefined();
}

describe('operation limits, each at its boundary', () => {
  it('depth: a query at the limit runs, one level deeper is refused, and so is depth 50', async () => {
    await expectServed(`{ customers(first: 1) { nodes { interactions(first: 1) { nodes { customer { interactions(first: 1) { nodes { id } } } } } } } }`);
    await expectRefused(
      `{ customers(first: 1) { nodes { interactions(first: 1) { nodes { customer { interactions(first: 1) { nodes { customer { id } } } } } } } } }`,
      /depth limit of 8 exceeded, found 9/,
    );
    await expectRefused(deep(50), /depth limit of 8 exceeded/);
  });

  it('aliases: 3 run, 4 are refused, and so are 1,000', async () => {
    const aliased = (n: number) => `{ customers(first: 1) { ${Array.from({ length: n }, (_, i) => `a${i}: totalCount`).join(' ')} } }`;
    await expectServed(aliased(3));
    await expectRefused(aliased(4), /Aliases limit of 3 exceeded, found 4/);
    // 1,000 aliases also pass the token limit: whichever check strikes first, nothing is asked.
    await expectRefused(aliased(1000), /Aliases limit of 3 exceeded|Token limit of 400 exceeded/);
  });

  it('root fields: 3 run, 4 are refused', async () => {
    await expectServed(`{ segmentReport { segment } keyAccountManagers { id } customers(first: 1) { totalCount } }`);
    await expectRefused(
      `{ segmentReport { segment } keyAccountManagers { id } customers(first: 1) { totalCount } receivables { total { amount } } }`,
      /Root field limit of 3 exceeded, found 4/,
    );
  });

  it('directives: 2 run, 3 are refused', async () => {
    await expectServed(`{ segmentReport @include(if: true) { segment @include(if: true) } }`);
    await expectRefused(
      `{ segmentReport @include(if: true) { segment @include(if: true) customerCount @skip(if: false) } }`,
      /Directives limit of 2 exceeded, found 3/,
    );
  });

  it('tokens: a document within the limit runs, a longer one is refused, and so is one of 100,000 tokens', async () => {
    await expectServed(`{ segmentReport { segment customerCount } }`);
    const long = (n: number) => `{ segmentReport { ${Array.from({ length: n }, () => 'segment').join(' ')} } }`;
    await expectRefused(long(400), /Token limit of 400 exceeded/);
    await expectRefused(long(100_000), /Token limit of 400 exceeded/);
  });

  it('in production: no field suggestions in errors, no introspection', async () => {
    const typo = await post(`{ segmentReprt { segment } }`);
    expect(JSON.stringify(typo.body)).not.toMatch(/Did you mean/);
    const introspection = await post(`{ __schema { queryType { name } } }`);
    expect(introspection.body.errors?.[0]?.message).toMatch(/introspection/i);
  });
});

describe('cost: list sizes multiplied through nesting', () => {
  const page = `query Page($n: Int) { customers(first: $n) { totalCount nodes { segment } } }`;

  it('an operation at the limit runs; one over it is refused with the code, the estimate and the limit, asking no subgraph', async () => {
    const served = await post(page, { n: 100 });
    expect(served.body.errors).toBeUndefined();
    const before = await stack.subgraphRequests();
    const refused = await post(page, { n: 101 });
    expect(refused.status).toBe(400);
    expect(refused.body.data ?? null).toBeNull();
    expect(refused.body.errors?.[0]?.extensions).toEqual({ code: 'COST_ESTIMATED_TOO_EXPENSIVE', cost: { estimated: 102, max: 101 } });
    expect(refused.body.errors?.[0]?.message).toBe('Operation cost 102 exceeds the limit of 101');
    expect(await stack.subgraphRequests()).toBe(before);
  });

  it('nesting multiplies: 10 customers with 10 invoices each cost 1 + 10 × (1 + 1 + 10)', async () => {
    const refused = await post(`{ customers(first: 10) { nodes { id invoices(first: 10) { nodes { id } } } } }`);
    expect(refused.body.errors?.[0]?.extensions?.cost).toEqual({ estimated: 121, max: 101 });
  });

  it('a role with its own limit gets it: an analyst may page 1,000 customers, not 1,001', async () => {
    const analyst = await bearer(['analyst'], 'cost-analyst');
    const served = await post(page, { n: 1000 }, analyst);
    expect(served.body.errors).toBeUndefined();
    const refused = await post(page, { n: 1001 }, analyst);
    expect(refused.body.errors?.[0]?.extensions).toEqual({ code: 'COST_ESTIMATED_TOO_EXPENSIVE', cost: { estimated: 1002, max: 1001 } });
  });
});

describe('batches and BI date ranges', () => {
  it('refuses a batched request (a JSON array of operations)', async () => {
    const before = await stack.subgraphRequests();
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...stack.adminHeaders },
      body: JSON.stringify([{ query: '{ segmentReport { segment } }' }, { query: '{ segmentReport { segment } }' }]),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/batch/i);
    expect(await stack.subgraphRequests()).toBe(before);
  });

  it('lets every report span five years (1,827 days) and refuses one day more as BAD_USER_INPUT on to', async () => {
    const reports = [
      (to: string) => `{ interactionStats(from: "2022-01-01", to: "${to}", groupBy: CHANNEL) { key } }`,
      (to: string) => `{ slaReport(from: "2022-01-01", to: "${to}", groupBy: PRIORITY) { key } }`,
      (to: string) => `{ claimStats(from: "2022-01-01", to: "${to}", groupBy: TYPE) { key } }`,
    ];
    // An analyst: a report costs 500, over this gateway's default limit of 101.
    const analyst = await bearer(['analyst'], 'range.analyst');
    for (const report of reports) {
      expect((await post(report('2027-01-01'), undefined, analyst)).body.errors).toBeUndefined();
      const refused = await post(report('2027-01-02'), undefined, analyst);
      expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    }
  });
});
