import { FixedClock, type SubgraphName } from '../../subgraphs/platform';
import { Stack, type GraphQLResponse } from '../support/stack';

const stack = new Stack(new FixedClock(new Date('2026-11-22T10:00:00.000Z')));

/** Which subgraph answers which field of the page below. */
const FIELDS_OF: Record<Exclude<SubgraphName, 'customers'>, string[]> = {
  contacts: ['lastContactAt', 'interactions'],
  billing: ['openBalance', 'dunningLevel', 'invoices'],
  claims: ['openComplaintCount', 'complaints'],
  'key-accounts': ['keyAccount', 'healthScore'],
};
const PAGE = `{ customers(first: 10) { nodes { id displayName
  lastContactAt interactions(first: 2) { totalCount }
  openBalance { amount } dunningLevel invoices(first: 2) { totalCount }
  openComplaintCount complaints(first: 2) { totalCount }
  keyAccount { name } healthScore } } }`;

let ids: string[] = [];

beforeAll(async () => {
  await stack.start();
  for (const name of ['Erste AG', 'Zweite GmbH', 'Dritte KG']) {
    const id = (await stack.data(`mutation($n: String!) { createCustomer(input: { kind: ORGANIZATION, companyName: $n }) { id } }`, { n: name })).createCustomer
      .id;
    ids.push(id);
    await stack.data(`mutation($c: ID!) { createInvoice(input: { customerId: $c, issueDate: "2026-10-01", dueDate: "2026-10-15", total: "120.00" }) { id } }`, {
      c: id,
    });
    await stack.data(
      `mutation($c: ID!) { fileComplaint(input: { customerId: $c, channel: EMAIL, category: "Delivery", priority: LOW, description: "Late" }) { id } }`,
      { c: id },
    );
    await stack.data(
      `mutation($c: ID!) { logInteraction(input: { customerId: $c, channel: PHONE, direction: INBOUND, serviceArea: HELPDESK, subject: "Call", handledBy: "agent", competenceLevel: FIRST_LEVEL, resolvedOnFirstContact: true, occurredAt: "2026-11-20T10:00:00Z" }) { id } }`,
      { c: id },
    );
  }
  const manager = (await stack.data(`mutation { createKeyAccountManager(input: { name: "Kim Key", email: "kim@c360.example", region: "Nord" }) { id } }`))
    .createKeyAccountManager.id;
  await stack.data(
    `mutation($m: ID!, $ids: [ID!]!) { createKeyAccount(input: { name: "Gruppe", tier: KEY, managerId: $m, annualRevenueTarget: "1000", memberIds: $ids }) { id } }`,
    {
      m: manager,
      ids: ids.slice(0, 2),
    },
  );
  ids = ids.sort();
});
afterAll(async () => {
  await stack.stop();
});

/** Requests at a small, bounded concurrency for `ms`: every answer is kept. */
async function load(ms: number, concurrency = 4): Promise<GraphQLResponse[]> {
  const answers: GraphQLResponse[] = [];
  const until = Date.now() + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) answers.push(await stack.gql(PAGE));
    }),
  );
  return answers;
}

function ourNodes(answer: GraphQLResponse): Record<string, any>[] {
  return (answer.data?.customers?.nodes ?? []).filter((n: { id: string }) => ids.includes(n.id));
}

it.each(Object.keys(FIELDS_OF) as (keyof typeof FIELDS_OF)[])('costs only the fields of %s while it is down', async (dead) => {
  const whole = await stack.gql(PAGE);
  expect(whole.errors).toBeUndefined();
  await stack.killSubgraph(dead);
  let answers: GraphQLResponse[];
  try {
    answers = await load(1500);
  } finally {
    await stack.startSubgraph(dead);
  }
  expect(answers.length).toBeGreaterThan(4);
  for (const answer of answers) {
    const nodes = ourNodes(answer);
    // Every customer is still there, with the fields of the live subgraphs.
    expect(nodes.map((n) => n.id).sort()).toEqual(ids);
    for (const node of nodes) {
      expect(node.displayName).toEqual(expect.any(String));
      for (const [subgraph, fields] of Object.entries(FIELDS_OF)) {
        for (const field of fields) {
          if (subgraph === dead) expect(node[field]).toBeNull();
          else if (field !== 'keyAccount' && field !== 'lastContactAt' && !(field === 'healthScore' && dead !== 'key-accounts'))
            expect(node[field]).not.toBeNull();
        }
      }
    }
    // The dead subgraph's fields are null with a retryable error whose path names them.
    const all = answer.data!.customers.nodes as { id: string }[];
    for (const field of FIELDS_OF[dead]) {
      for (const [index, node] of all.entries()) {
        if (!ids.includes(node.id)) continue;
        const error = answer.errors?.find((e) => JSON.stringify(e.path) === JSON.stringify(['customers', 'nodes', index, field]));
        expect(error?.extensions).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', serviceName: dead, retryable: true });
        expect(['UNAVAILABLE', 'TIMEOUT']).toContain(error!.extensions!.reason);
      }
    }
    if (dead !== 'key-accounts') {
      // healthScore needs the dead subgraph's figure: null with its own error, not a wrong number.
      for (const [index, node] of all.entries()) {
        if (!ids.slice(0, 3).includes(node.id)) continue;
        const error = answer.errors?.find((e) => JSON.stringify(e.path) === JSON.stringify(['customers', 'nodes', index, 'healthScore']));
        expect(error?.extensions).toMatchObject({ serviceName: dead, retryable: true });
      }
    }
  }
  // Whole answers again soon after the restart.
  const restarted = Date.now();
  let healed: GraphQLResponse | undefined;
  while (Date.now() - restarted < 5000) {
    const answer = await stack.gql(PAGE);
    if (!answer.errors) {
      healed = answer;
      break;
    }
  }
  expect(healed?.data).toEqual(whole.data);
});

it('answers the outage example of the README', async () => {
  await stack.killSubgraph('billing');
  try {
    const answer = await stack.gql(`{ customers(first: 1) { nodes { displayName openBalance { amount } } } }`);
    expect(answer.data?.customers.nodes[0]).toEqual({ displayName: expect.any(String), openBalance: null });
    expect(answer.errors).toEqual([
      {
        message: 'The billing service is unavailable; try again later',
        path: ['customers', 'nodes', 0, 'openBalance'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'billing', reason: 'UNAVAILABLE', retryable: true },
      },
    ]);
  } finally {
    await stack.startSubgraph('billing');
  }
});
