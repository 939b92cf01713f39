import { Stack } from '../support/stack';

const stack = new Stack();

beforeAll(async () => {
  await stack.start();
});
afterAll(async () => {
  await stack.stop();
});

const CREATE = `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`;

it('refuses text with a NUL or an unpaired surrogate as BAD_USER_INPUT naming the field, and writes nothing', async () => {
  for (const companyName of ['Null\u0000 GmbH', 'Half \ud83d GmbH']) {
    const { status, text } = await stack.post(CREATE, { input: { kind: 'ORGANIZATION', companyName } });
    expect(status).toBe(400);
    const body = JSON.parse(text);
    expect(body.errors).toEqual([
      { message: 'Text must not contain NUL characters or unpaired surrogates', extensions: { code: 'BAD_USER_INPUT', field: 'companyName' } },
    ]);
  }
  const literal = await stack.post(`mutation { createCustomer(input: { kind: ORGANIZATION, companyName: "Lit\\u0000eral" }) { id } }`);
  expect(JSON.parse(literal.text).errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'companyName' });
  const found = await stack.data(`{ customers(filter: { search: "GmbH" }) { totalCount } }`);
  expect(found.customers.totalCount).toBe(0);
});

it('refuses dates outside 1900-01-01 to 9999-12-30 without echoing them', async () => {
  for (const customerSince of ['1899-12-31', '9999-12-31']) {
    const { status, text } = await stack.post(CREATE, { input: { kind: 'PERSON', firstName: 'Tim', lastName: 'Travel', customerSince } });
    expect(status).toBeLessThan(500);
    const body = JSON.parse(text);
    expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'customerSince' });
    expect(body.errors[0].message).toContain('Date must lie between 1900-01-01 and 9999-12-30');
    expect(text).not.toContain(customerSince);
  }
  const since = await stack.post(`{ customers(filter: { customerSinceFrom: "1899-06-01" }) { totalCount } }`);
  expect(JSON.parse(since.text).errors[0]).toMatchObject({
    message: expect.stringContaining('Date must lie between 1900-01-01 and 9999-12-30'),
    extensions: { code: 'BAD_USER_INPUT' },
  });
  expect(since.text).not.toContain('1899-06-01');
});
