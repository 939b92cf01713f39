import { buildSchema, parse, print } from 'graphql';
import { accessRules, analyzeOperation, restoreWithheld, supergraphForGateway } from './access';

const SDL = `
  type Query { customers: [Customer!]! columns: CustomerColumns! audit: [String!] @requiresScopes(scopes: [["admin"]]) }
  type CustomerColumns { customerNumber: [String!]! displayName: [String!]! @requiresScopes(scopes: [["agent"], ["admin"]]) }
  type Mutation { pay(amount: Int!): Int @requiresScopes(scopes: [["collections"], ["admin"]]) note: Int }
  type Customer {
    id: ID!
    customerNumber: String!
    displayName: String! @requiresScopes(scopes: [["agent"], ["admin"]])
    email: String @requiresScopes(scopes: [["agent"], ["admin"]])
    addresses: [String!]! @requiresScopes(scopes: [["agent"], ["admin"]])
    subject: String! @requiresScopes(scopes: [["agent"], ["admin"]])
  }
  directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION
`;
const schema = buildSchema(SDL);
const rules = accessRules(SDL);
const PAGE = parse(
  `query Page { customers { id name: displayName email addresses ...more } } fragment more on Customer { subject mail2: email @include(if: true) }`,
);

describe('accessRules', () => {
  it('reads every @requiresScopes by schema coordinate, scopes being role sets', () => {
    expect(rules.get('Customer.email')).toEqual([['agent'], ['admin']]);
    expect(rules.get('Mutation.pay')).toEqual([['collections'], ['admin']]);
    expect(rules.has('Customer.id')).toBe(false);
  });
});

describe('analyzeOperation', () => {
  it('leaves an operation alone for a caller who may see everything', () => {
    const access = analyzeOperation(schema, PAGE, ['agent'], rules);
    expect(access).toMatchObject({ forbidden: null, document: null, withheld: [] });
  });

  it('takes withheld fields out before planning, keeping @include, and names each withheld field once', () => {
    const access = analyzeOperation(schema, PAGE, ['analyst'], rules);
    const printed = print(access.document!);
    expect(printed).not.toMatch(/\bemail\b|\baddresses\b|\bsubject\b|displayName/);
    expect(printed).toContain('__c360_withheld_0: customerNumber');
    expect(printed).toMatch(/__c360_withheld_\d: __typename @include\(if: true\)/);
    expect(access.withheld).toEqual(['Customer.addresses', 'Customer.displayName', 'Customer.email', 'Customer.subject']);
  });

  it('withholds a column of names with the column of customer numbers, its own pseudonym', () => {
    const access = analyzeOperation(schema, parse('{ columns { names: displayName } }'), ['analyst'], rules);
    expect(print(access.document!)).toContain('__c360_withheld_0: customerNumber');
    const answer: Record<string, unknown> = { __c360_withheld_0: ['C-000001', 'C-000002'] };
    restoreWithheld(answer, access.restore);
    expect(answer).toEqual({ names: ['C-000001', 'C-000002'] });
    expect(access.withheld).toEqual(['CustomerColumns.displayName']);
  });

  it('forbids a root field the roles do not allow, a query as well as a mutation', () => {
    expect(analyzeOperation(schema, parse('mutation { pay(amount: 1) }'), ['agent'], rules).forbidden?.extensions.code).toBe('FORBIDDEN');
    expect(analyzeOperation(schema, parse('mutation { pay(amount: 1) }'), ['collections'], rules).forbidden).toBeNull();
    expect(analyzeOperation(schema, parse('{ audit }'), ['supervisor'], rules).forbidden?.message).toBe('Your roles do not allow Query.audit');
  });
});

describe('restoreWithheld', () => {
  it('puts back null, an empty list, [withheld] text and the pseudonym, under the client’s own keys', () => {
    const access = analyzeOperation(schema, PAGE, ['analyst'], rules);
    const aliases = [...access.restore.keys()];
    const row: Record<string, unknown> = { id: '1' };
    for (const alias of aliases) row[alias] = alias === '__c360_withheld_0' ? 'C-000001' : 'Customer';
    const data = { customers: [row] };
    restoreWithheld(data, access.restore);
    expect(data.customers[0]).toEqual({ id: '1', name: 'C-000001', email: null, addresses: [], subject: '[withheld]', mail2: null });
  });
});

describe('supergraphForGateway', () => {
  it('drops only for: SECURITY of the requiresScopes link, so that @apollo/gateway loads it', () => {
    const sdl = `schema @link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY) @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY) { query: Query }`;
    expect(supergraphForGateway(sdl)).toBe(
      `schema @link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY) @link(url: "https://specs.apollo.dev/requiresScopes/v0.1") { query: Query }`,
    );
  });
});
