import { Stack } from '../support/stack';

const stack = new Stack();

beforeAll(async () => {
  await stack.start();
});

afterAll(async () => {
  await stack.stop();
});

const gql = (query: string, variables?: Record<string, unknown>) => stack.gql(query, variables);
const post = (query: string, variables?: Record<string, unknown>) => stack.post(query, variables);

const CREATE = `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id customerNumber displayName } }`;

it('answers a query through the gateway over HTTP', async () => {
  const created = await gql(CREATE, { input: { kind: 'ORGANIZATION', companyName: 'Gateway GmbH', email: 'info@gateway.de' } });
  expect(created.errors).toBeUndefined();
  const { id } = created.data.createCustomer;
  const read = await gql(`query($id: ID!) { customer(id: $id) { id displayName email addresses { city } } customers(first: 5) { totalCount nodes { id } } }`, {
    id,
  });
  expect(read.errors).toBeUndefined();
  expect(read.data.customer).toEqual({ id, displayName: 'Gateway GmbH', email: 'info@gateway.de', addresses: [] });
  expect(read.data.customers.nodes.map((n: { id: string }) => n.id)).toContain(id);
});

it('passes the contract code and field of a subgraph error, without internals', async () => {
  const { text } = await post(CREATE, { input: { kind: 'PERSON', firstName: 'A', lastName: 'B', email: 'nope' } });
  const body = JSON.parse(text);
  expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
  expect(text).not.toMatch(/stacktrace|at .*\.ts:\d+|SELECT|INSERT/);
});

it('reports a stopped subgraph clearly, keeps running, and recovers when it is back', async () => {
  await stack.stopSubgraph('customers');
  const { status, text } = await post(`{ customers(first: 1) { totalCount } }`);
  expect(status).toBe(200);
  const body = JSON.parse(text);
  expect(body.errors[0].message).toBe('The customers service is unavailable; try again later');
  expect(body.errors[0].extensions).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', serviceName: 'customers' });
  // No host, port or socket error reaches the client.
  expect(text).not.toMatch(/127\.0\.0\.1|localhost|ECONNREFUSED|:\d{4,5}\//);
  expect((await fetch(stack.gateway.url.replace('/graphql', '/healthz'))).status).toBe(200);

  await stack.startSubgraph('customers');
  const again = await gql(`{ customers(first: 1) { totalCount } }`);
  expect(again.errors).toBeUndefined();
  expect(again.data!.customers.totalCount).toBeGreaterThan(0);
});

it('answers /readyz on the subgraph after checking its database', async () => {
  const ready = await fetch(stack.subgraphs.get('customers')!.url.replace('/graphql', '/readyz'));
  expect(ready.status).toBe(200);
  expect(await ready.json()).toMatchObject({ status: 'ready', service: 'customers' });
});

it('refuses an oversized body with 413 and a JSON error', async () => {
  const response = await fetch(stack.subgraphs.get('customers')!.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `{ __typename }`, padding: 'x'.repeat(17 * 1024 * 1024) }),
  });
  expect(response.status).toBe(413);
  const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
  expect(body.errors[0]!.extensions.code).toBe('BAD_REQUEST');
});
