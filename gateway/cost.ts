import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  parse,
  valueFromAST,
  type ArgumentNode,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { EnvReader, Principal, ServiceMetrics } from '../subgraphs/platform';
import { limitFor, readRoleLimits } from './limits';

/** What an operation may cost (README, "Cost"); each read from the environment. */
export interface CostLimits {
  /**
   * COST_LIMIT: the largest estimated cost an operation may have; default
   * 1,000,000. The largest page of customers (1,000) with every subgraph
   * field at default page sizes estimates at about 740,000; two nested pages
   * of 1,000 (1,000,000 rows) are over it. 0 turns the check off.
   */
  maxCost: number;
  /** COST_LIMIT_ROLES: per-role limits, e.g. "analyst=500000", instead of the default; of a caller's roles with one, the highest applies. Default none. */
  roles: Record<string, number>;
  /** COST_DEFAULT_LIST_SIZE: items assumed for a list field without `@listSize`; default 10. */
  defaultListSize: number;
}

export const DEFAULT_COST_LIMITS: CostLimits = { maxCost: 1_000_000, roles: {}, defaultListSize: 10 };

export function readCostLimits(reader: EnvReader): CostLimits {
  return {
    maxCost: reader.int('COST_LIMIT', DEFAULT_COST_LIMITS.maxCost, 0, 1_000_000_000),
    roles: readRoleLimits(reader, 'COST_LIMIT_ROLES', 'analyst=500000'),
    defaultListSize: reader.int('COST_DEFAULT_LIST_SIZE', DEFAULT_COST_LIMITS.defaultListSize, 1, 10_000),
  };
}

/** The cost directives of one field, as composition carried them into the supergraph. */
interface FieldCost {
  weight?: number;
  assumedSize?: number;
  slicingArguments?: string[];
  sizedFields?: string[];
}

/** The code Apollo Router and Hive Gateway give to the same refusal. */
export const COST_CODE = 'COST_ESTIMATED_TOO_EXPENSIVE';

const MUTATION_WEIGHT = 10;

function intArgument(directive: DirectiveNode, name: string): number | undefined {
  const value = directive.arguments?.find((a) => a.name.value === name)?.value;
  return value?.kind === Kind.INT ? Number(value.value) : undefined;
}

function listArgument(directive: DirectiveNode, name: string): string[] | undefined {
  const value = directive.arguments?.find((a) => a.name.value === name)?.value;
  return value?.kind === Kind.LIST ? value.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : [])) : undefined;
}

/**
 * Reads `@cost` and `@listSize` off the supergraph: the API schema the
 * gateway serves has dropped them, and every router that reads the
 * supergraph sees the same numbers.
 */
export function costDirectives(supergraphSdl: string): { fields: Map<string, FieldCost>; types: Map<string, number> } {
  const fields = new Map<string, FieldCost>();
  const types = new Map<string, number>();
  const isCost = (d: DirectiveNode) => d.name.value === 'cost' || d.name.value === 'federation__cost';
  const isListSize = (d: DirectiveNode) => d.name.value === 'listSize' || d.name.value === 'federation__listSize';
  for (const definition of parse(supergraphSdl).definitions) {
    if (!('name' in definition) || !definition.name || !('directives' in definition)) continue;
    const typeWeight = definition.directives?.find(isCost);
    if (typeWeight) types.set(definition.name.value, intArgument(typeWeight, 'weight') ?? 0);
    if (!('fields' in definition) || !definition.fields) continue;
    for (const field of definition.fields) {
      const cost = field.directives?.find(isCost);
      const size = field.directives?.find(isListSize);
      if (!cost && !size) continue;
      fields.set(`${definition.name.value}.${field.name.value}`, {
        weight: cost ? intArgument(cost, 'weight') : undefined,
        assumedSize: size ? intArgument(size, 'assumedSize') : undefined,
        slicingArguments: size ? listArgument(size, 'slicingArguments') : undefined,
        sizedFields: size ? listArgument(size, 'sizedFields') : undefined,
      });
    }
  }
  return { fields, types };
}

/**
 * Static cost of an operation, the way Apollo's demand control and the IBM
 * GraphQL cost specification count it: an object costs 1 (a mutation field
 * 10, a scalar 0, unless `@cost` says otherwise), and a list multiplies the
 * cost of one item, with its children, by its size: the slicing argument
 * (`first`) when given, else `@listSize(assumedSize)`, else the default list
 * size. A connection's `@listSize(sizedFields: ["nodes"])` sizes its
 * `nodes`. Fragments on several types are all counted: an upper bound.
 */
export class CostEstimator {
  private readonly directives: ReturnType<typeof costDirectives>;

  constructor(
    supergraphSdl: string,
    private readonly defaultListSize: number,
    /** Told whether each estimateCached found its answer in the cache (metrics); default nothing. */
    private readonly onLookup: (hit: boolean) => void = () => undefined,
  ) {
    this.directives = costDirectives(supergraphSdl);
  }

  private readonly cache = new WeakMap<OperationDefinitionNode, { variables: string[]; costs: Map<string, number> }>();

  /**
   * The estimate of an operation Apollo has parsed before (its document
   * cache hands out the same AST): remembered per operation and per value of
   * the variables its slicing arguments read, so a repeated operation costs a
   * lookup, not a walk.
   */
  estimateCached(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): number {
    const keyOf = (names: string[]) => JSON.stringify(names.map((name) => variables[name] ?? null));
    const cached = this.cache.get(operation);
    const hit = cached?.costs.get(keyOf(cached.variables));
    this.onLookup(hit !== undefined);
    if (hit !== undefined) return hit;
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    const read = new Set<string>();
    const cost = this.estimate(schema, operation, fragments, variables, read);
    const entry = cached ?? { variables: [...read].sort(), costs: new Map<string, number>() };
    if (!cached) this.cache.set(operation, entry);
    // A client that pages with ever new sizes does not grow the cache without bound.
    if (entry.costs.size >= 100) entry.costs.clear();
    entry.costs.set(keyOf(entry.variables), cost);
    return cost;
  }

  estimate(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Record<string, FragmentDefinitionNode>,
    variables: Record<string, unknown>,
    read = new Set<string>(),
  ): number {
    const root = schema.getRootType(operation.operation);
    if (!root) return 0;
    const walk = (type: GraphQLCompositeType, set: SelectionSetNode, sized: Map<string, number>, seen: Set<string>): number => {
      let total = 0;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          total += field(type, selection, sized.get(selection.name.value), seen);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
          if (on && isCompositeType(on)) total += walk(on, selection.selectionSet, sized, seen);
        } else if (!seen.has(selection.name.value)) {
          const fragment = fragments[selection.name.value];
          const on = fragment && schema.getType(fragment.typeCondition.name.value);
          if (fragment && on && isCompositeType(on)) total += walk(on, fragment.selectionSet, sized, new Set([...seen, selection.name.value]));
        }
      }
      return total;
    };
    const field = (parent: GraphQLCompositeType, node: FieldNode, sizedAs: number | undefined, seen: Set<string>): number => {
      if (node.name.value.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent))) return 0;
      const definition = parent.getFields()[node.name.value];
      if (!definition) return 0;
      const named = getNamedType(definition.type);
      const info = this.directives.fields.get(`${parent.name}.${definition.name}`);
      const composite = isCompositeType(named);
      const base = parent === schema.getMutationType() ? MUTATION_WEIGHT : composite ? 1 : 0;
      const own = info?.weight ?? this.directives.types.get(named.name) ?? base;
      const slice = info?.slicingArguments ? this.slice(definition, node.arguments ?? [], info.slicingArguments, variables, read) : undefined;
      const size = slice ?? info?.assumedSize ?? this.defaultListSize;
      const sized = new Map((info?.sizedFields ?? []).map((name) => [name, size]));
      const children = composite && node.selectionSet ? walk(named, node.selectionSet, sized, seen) : 0;
      if (!isListType(getNullableType(definition.type))) return own + children;
      // A list sized by its own @listSize (or a connection's sizedFields): one item's cost times its size.
      const items = sizedAs ?? (info?.sizedFields ? this.defaultListSize : size);
      return items * (own + children);
    };
    return walk(root, operation.selectionSet, new Map(), new Set());
  }

  /** The largest slicing argument given, or its default in the schema; undefined when none has a value. */
  private slice(
    definition: GraphQLField<unknown, unknown>,
    nodes: readonly ArgumentNode[],
    names: string[],
    variables: Record<string, unknown>,
    read: Set<string>,
  ): number | undefined {
    let size: number | undefined;
    for (const name of names) {
      const argument = definition.args.find((a) => a.name === name);
      const node = nodes.find((a) => a.name.value === name);
      if (node?.value.kind === Kind.VARIABLE) read.add(node.value.name.value);
      const value = node && argument ? valueFromAST(node.value, argument.type, variables) : argument?.defaultValue;
      if (typeof value === 'number' && Number.isFinite(value)) size = Math.max(size ?? 0, Math.max(0, value));
    }
    return size;
  }
}

/** The refusal: the code the routers use, the estimate and the limit, HTTP 400. */
export function tooExpensive(estimated: number, max: number): GraphQLError {
  return new GraphQLError(`Operation cost ${estimated} exceeds the limit of ${max}`, {
    extensions: { code: COST_CODE, cost: { estimated, max }, http: { status: 400 } },
  });
}

/**
 * Refuses an operation whose estimated cost is over the caller's limit once
 * it is parsed, validated and its variables are known, before it is planned:
 * no subgraph is asked.
 */
export function costLimitPlugin(supergraphSdl: string, limits: CostLimits, metrics?: ServiceMetrics): ApolloServerPlugin<{ principal?: Principal }> {
  const lookups = metrics?.counter('c360_cost_estimate_cache_total', 'Cost estimates answered from the cache (hit) or computed (miss)', ['result']);
  const estimator = new CostEstimator(supergraphSdl, limits.defaultListSize, (hit) => lookups?.inc({ result: hit ? 'hit' : 'miss' }));
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, operation, document, request, contextValue }) {
          const max = limitFor(contextValue.principal?.roles ?? [], limits.roles, limits.maxCost);
          if (max === 0 || !operation) return;
          const estimated = estimator.estimateCached(schema, document, operation, request.variables ?? {});
          if (estimated > max) throw tooExpensive(estimated, max);
        },
      };
    },
  };
}
