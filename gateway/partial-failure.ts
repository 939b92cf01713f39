import { Kind, parse, type DocumentNode, type GraphQLError, type SelectionSetNode } from 'graphql';

/**
 * When a subgraph cannot answer a fetch, @apollo/gateway records one error
 * without a path and leaves the fields of that fetch unset. Here the failed
 * fetch is answered instead with what a subgraph would say if each of its
 * fields had failed: null for every field it was asked for, and an error at
 * each of them. The gateway maps `_entities` error paths onto the entities'
 * paths in the client's answer, so every field of the dead subgraph is null
 * with a path-bearing error, and everything the other subgraphs answered
 * stays in `data`. A field that @requires one of them sees an explicit null
 * (not a missing value) and can answer with its own error.
 */

interface FetchShape {
  /** Response keys of the fields asked per entity type (`_entities` fetches). */
  entityFields?: Map<string, string[]>;
  /** Response keys of the root fields (query or mutation fetches). */
  rootFields: string[];
}

const shapes = new Map<string, FetchShape>();
/** Query plans are cached, so the same few fetch operations recur: keep their shapes, within bounds. */
const MAX_SHAPES = 1000;

function responseKeys(selectionSet: SelectionSetNode, document: DocumentNode): string[] {
  const keys: string[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== '__typename') keys.push(selection.alias?.value ?? selection.name.value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) keys.push(...responseKeys(selection.selectionSet, document));
    else {
      const fragment = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value);
      if (fragment?.kind === Kind.FRAGMENT_DEFINITION) keys.push(...responseKeys(fragment.selectionSet, document));
    }
  }
  return [...new Set(keys)];
}

/** What a fetch operation asks for, from its text (the query planner writes these). */
export function fetchShape(query: string): FetchShape {
  const cached = shapes.get(query);
  if (cached) return cached;
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const shape: FetchShape = { rootFields: [] };
  if (operation?.kind === Kind.OPERATION_DEFINITION) {
    shape.rootFields = responseKeys(operation.selectionSet, document);
    const entities = operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD && s.name.value === '_entities');
    if (entities?.kind === Kind.FIELD && entities.selectionSet) {
      shape.entityFields = new Map();
      for (const selection of entities.selectionSet.selections) {
        if (selection.kind !== Kind.INLINE_FRAGMENT || !selection.typeCondition) continue;
        const type = selection.typeCondition.name.value;
        shape.entityFields.set(type, [...(shape.entityFields.get(type) ?? []), ...responseKeys(selection.selectionSet, document)]);
      }
    }
  }
  if (shapes.size >= MAX_SHAPES) shapes.clear();
  shapes.set(query, shape);
  return shape;
}

export interface PartialResponse {
  data: Record<string, unknown>;
  errors: { message: string; path: (string | number)[]; extensions: Record<string, unknown> }[];
}

/**
 * The answer to a failed fetch: every field asked is null, each with `error`'s
 * message and extensions at its path. Undefined when the operation cannot be
 * read (the gateway then reports the error as it would have).
 */
export function failedFetchResponse(query: string, variables: Record<string, unknown> | undefined, error: GraphQLError): PartialResponse | undefined {
  let shape: FetchShape;
  try {
    shape = fetchShape(query);
  } catch {
    return undefined;
  }
  const extensions = { ...error.extensions };
  const fail = (path: (string | number)[]) => ({ message: error.message, path, extensions });
  const representations = variables?.representations;
  if (shape.entityFields && Array.isArray(representations)) {
    const errors: PartialResponse['errors'] = [];
    const entities = representations.map((representation: { __typename?: string }, index) => {
      const typename = representation?.__typename ?? '';
      const fields = shape.entityFields!.get(typename) ?? [];
      const entity: Record<string, unknown> = { __typename: typename };
      for (const field of fields) {
        entity[field] = null;
        errors.push(fail(['_entities', index, field]));
      }
      return entity;
    });
    return { data: { _entities: entities }, errors };
  }
  const data: Record<string, unknown> = {};
  for (const field of shape.rootFields) data[field] = null;
  return { data, errors: shape.rootFields.map((field) => fail([field])) };
}
