import { buildSchema, graphql } from 'graphql';
import { guardSchema } from './guard';

const schema = guardSchema(
  buildSchema(`
    directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION
    type Query { customer: Customer columns: CustomerColumns }
    type CustomerColumns { customerNumber: [String!]! displayName: [String!]! @requiresScopes(scopes: [["agent"]]) }
    type Mutation { rename(name: String!): String @requiresScopes(scopes: [["agent"], ["admin"]]) }
    type Customer {
      customerNumber: String!
      displayName: String! @requiresScopes(scopes: [["agent"]])
      email: String @requiresScopes(scopes: [["agent"]])
      notes: [String!]! @requiresScopes(scopes: [["agent"]])
    }
  `),
);
let renamed = 0;
const root = {
  customer: { customerNumber: 'C-000007', displayName: 'Eva Muster', email: 'eva@example.org', notes: ['private'] },
  columns: { customerNumber: ['C-000007', 'C-000008'], displayName: ['Eva Muster', 'Max Muster'] },
  rename: () => ++renamed,
};
const run = (source: string, roles: string[]) => graphql({ schema, source, rootValue: root, contextValue: { identity: { roles } } });

describe('guardSchema', () => {
  it('answers withheld values for a caller without the scope, the real ones with it', async () => {
    const query = '{ customer { customerNumber displayName email notes } }';
    expect((await run(query, ['analyst'])).data).toEqual({ customer: { customerNumber: 'C-000007', displayName: 'C-000007', email: null, notes: [] } });
    expect((await run(query, ['agent'])).data).toEqual({
      customer: { customerNumber: 'C-000007', displayName: 'Eva Muster', email: 'eva@example.org', notes: ['private'] },
    });
  });

  it('answers the column of customer numbers for a withheld column of names', async () => {
    const query = '{ columns { displayName } }';
    expect((await run(query, ['analyst'])).data).toEqual({ columns: { displayName: ['C-000007', 'C-000008'] } });
    expect((await run(query, ['agent'])).data).toEqual({ columns: { displayName: ['Eva Muster', 'Max Muster'] } });
  });

  it('refuses a root field with FORBIDDEN before its resolver runs', async () => {
    const denied = await run('mutation { rename(name: "x") }', ['analyst']);
    expect(denied.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect(renamed).toBe(0);
    expect((await run('mutation { rename(name: "x") }', ['admin'])).data).toEqual({ rename: '1' });
  });
});
