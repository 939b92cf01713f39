import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, buildSchema, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { CostEstimator, DEFAULT_COST_LIMITS } from './cost';
import { EXPORTS } from './exports';
import { Q1, Q2, Q3, Q4, Q5 } from '../bench/scenarios';
import { projectRoot } from '../subgraphs/platform';

const SDL = `
  directive @cost(weight: Int!) on FIELD_DEFINITION | OBJECT | SCALAR | ENUM | ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION
  directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
  type Query {
    items(first: Int): ItemConnection @listSize(slicingArguments: ["first"], sizedFields: ["nodes"], assumedSize: 20, requireOneSlicingArgument: false)
    paged(first: Int = 7): ItemConnection @listSize(slicingArguments: ["first"], sizedFields: ["nodes"])
    tags: [Tag!]!
    report: [Tag!]! @cost(weight: 25) @listSize(assumedSize: 4)
  }
  type Mutation { touch: Item }
  type ItemConnection { nodes: [Item!]! pageInfo: PageInfo! }
  type PageInfo @cost(weight: 0) { hasNextPage: Boolean! }
  type Item { id: ID! tags: [Tag!]! owner: Tag }
  type Tag { name: String! }
`;

function estimate(query: string, variables: Record<string, unknown> = {}, sdl = SDL, defaultListSize = 10): number {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  const schema = buildSchema(sdl === SDL ? SDL : readFileSync(join(projectRoot(), 'schema', 'api.graphql'), 'utf8'));
  return new CostEstimator(sdl, defaultListSize).estimate(schema, operation, fragments, variables);
}

describe('CostEstimator', () => {
  it('sizes a connection by first, from a literal or a variable, and multiplies through nesting', () => {
    expect(estimate('{ items(first: 5) { nodes { id } } }')).toBe(1 + 5);
    expect(estimate('query($n: Int) { items(first: $n) { nodes { id } } }', { n: 50 })).toBe(1 + 50);
    // Each item: 1, its tags list (default size 10) of 1 each, its owner 1.
    expect(estimate('{ items(first: 5) { nodes { id tags { name } owner { name } } } }')).toBe(1 + 5 * (1 + 10 + 1));
  });

  it('without first: the assumed size, else the argument default; objects declared @cost(weight: 0) are free', () => {
    expect(estimate('{ items { nodes { id } pageInfo { hasNextPage } } }')).toBe(1 + 20);
    expect(estimate('{ paged { nodes { id } } }')).toBe(1 + 7);
  });

  it('a field @cost replaces the base cost of each item; a mutation field costs 10', () => {
    expect(estimate('{ report { name } }')).toBe(4 * 25);
    expect(estimate('mutation { touch { id } }')).toBe(10);
  });

  it('counts fragments, inline and named, and ignores __typename', () => {
    expect(estimate('{ items(first: 2) { nodes { __typename ...F ... on Item { owner { name } } } } } fragment F on Item { tags { name } }', {}, SDL, 3)).toBe(
      1 + 2 * (1 + 3 + 1),
    );
  });
});

describe('CostEstimator.estimateCached', () => {
  it('remembers an operation per value of the variables its slicing arguments read', () => {
    const schema = buildSchema(SDL);
    const estimator = new CostEstimator(SDL, 10);
    const document = parse('query($n: Int, $other: Int) { items(first: $n) { nodes { id } } }');
    const operation = document.definitions[0] as OperationDefinitionNode;
    expect(estimator.estimateCached(schema, document, operation, { n: 5, other: 1 })).toBe(6);
    // Another value of a variable no slicing argument reads: the same estimate.
    expect(estimator.estimateCached(schema, document, operation, { n: 5, other: 2 })).toBe(6);
    expect(estimator.estimateCached(schema, document, operation, { n: 50 })).toBe(51);
    expect(estimator.estimateCached(schema, document, operation, { n: 5 })).toBe(6);
  });
});

describe('the default limit against the project schema', () => {
  const supergraph = readFileSync(join(projectRoot(), 'schema', 'supergraph.graphql'), 'utf8');
  const real = (query: string, variables: Record<string, unknown> = {}) => estimate(query, variables, supergraph, DEFAULT_COST_LIMITS.defaultListSize);

  it('lets every benchmark scenario through', () => {
    for (const [query, variables] of [
      [Q1, { id: '1' }],
      [Q2, { first: 100, segment: 'A' }],
      [Q3, {}],
      [Q4, {}],
      [Q5, {}],
    ] as const) {
      expect(real(query, variables)).toBeLessThan(DEFAULT_COST_LIMITS.maxCost / 100);
    }
  });

  it('costs a column of objects as a full page of columns, whatever first is, and lets the customers export through', () => {
    const nested = 'keyAccount { members { invoices(first: 1000) { nodes { id } } } }';
    const columns = real(`{ customerColumns(first: 10) { columns { ids ${nested} } } }`);
    expect(columns).toBeGreaterThanOrEqual(real(`{ customers(first: 1000) { nodes { ${nested} } } }`));
    expect(columns).toBeGreaterThan(DEFAULT_COST_LIMITS.maxCost);
    const exported = EXPORTS.find((e) => e.name === 'customers')!.query;
    expect(real(exported, { first: 5000 })).toBeLessThan(DEFAULT_COST_LIMITS.maxCost);
    // Each page, even of scalar columns only, costs as many rows as it can hold: 200 aliased pages are refused.
    expect(real('{ customerColumns(first: 1) { columns { ids } } }')).toBeGreaterThanOrEqual(5000);
    const aliases = Array.from({ length: 200 }, (_, i) => `p${i}: customerColumns(first: 5000) { columns { ids } }`).join(' ');
    expect(real(`{ ${aliases} }`)).toBeGreaterThan(DEFAULT_COST_LIMITS.maxCost);
  });

  it('lets a page of 1,000 customers with every subgraph field through and refuses two nested pages of 1,000', () => {
    const everything = `{ customers(first: 1000) { nodes { id displayName addresses { city } contactPersons { name }
      interactions { nodes { id channel } } invoices { nodes { id openAmount { amount } dunningNotices { level } payments { amount { amount } } } }
      claims { nodes { id history { status } } } complaints { nodes { id sla { firstResponseBreached } } }
      openBalance { amount } keyAccount { name manager { name } members { id } } healthScore lifetimeValue { amount } } } }`;
    expect(real(everything)).toBeLessThan(DEFAULT_COST_LIMITS.maxCost);
    expect(real('{ customers(first: 1000) { nodes { invoices(first: 1000) { nodes { id } } } } }')).toBeGreaterThan(DEFAULT_COST_LIMITS.maxCost);
  });
});
