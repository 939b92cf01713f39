import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError, Kind, visit, type DocumentNode, type ValueNode } from 'graphql';
import { ErrorCode } from './errors';

/**
 * NUL characters and unpaired UTF-16 surrogates are not text: MySQL's
 * utf8mb4 refuses them (a driver error, a 500), SQLite stores them, and
 * neither belongs in a customer's record. Every string a client sends is
 * checked, in variables and in literals, before anything runs.
 */
// eslint-disable-next-line no-control-regex -- finding the control character NUL is the point
const NOT_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * True when `value` holds a string that is not text; `trail` is left with
 * the steps to it. The steps are kept as keys and indices and joined only
 * once one is found: an entity fetch sends thousands of strings, nearly
 * always all text, and building a path string for each one cost more than
 * checking it.
 */
function holdsBadText(value: unknown, trail: (string | number)[]): boolean {
  if (typeof value === 'string') return NOT_TEXT.test(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      trail.push(i);
      if (holdsBadText(value[i], trail)) return true;
      trail.pop();
    }
    return false;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      // A key is input as well; it is reported by its parent's path.
      if (NOT_TEXT.test(key)) return true;
      trail.push(key);
      if (holdsBadText(item, trail)) return true;
      trail.pop();
    }
  }
  return false;
}

/** The path of the first string in `value` that is not text (e.g. `input.addresses[0].city`), or undefined. */
export function badTextPath(value: unknown, path: string): string | undefined {
  const trail: (string | number)[] = [];
  if (!holdsBadText(value, trail)) return undefined;
  return trail.reduce<string>((at, step) => (typeof step === 'number' ? `${at}[${step}]` : at ? `${at}.${step}` : step), path);
}

function literalBadTextPath(node: ValueNode, path: string): string | undefined {
  if (node.kind === Kind.STRING) return NOT_TEXT.test(node.value) ? path : undefined;
  if (node.kind === Kind.LIST) {
    for (const [i, item] of node.values.entries()) {
      const found = literalBadTextPath(item, `${path}[${i}]`);
      if (found) return found;
    }
  }
  if (node.kind === Kind.OBJECT) {
    for (const field of node.fields) {
      const found = literalBadTextPath(field.value, `${path}.${field.name.value}`);
      if (found) return found;
    }
  }
  return undefined;
}

/** The path of the first bad string among the operation's variables and literal arguments. */
export function findBadText(document: DocumentNode, variables: Record<string, unknown> | undefined): string | undefined {
  let found = variables ? badTextPath(variables, '') : undefined;
  if (found) return found;
  visit(document, {
    Argument(node) {
      found ??= literalBadTextPath(node.value, node.name.value);
    },
  });
  return found;
}

/** Refuses an operation that carries a string that is not text: BAD_USER_INPUT naming the field, HTTP 400. */
export function textInputPlugin<C extends BaseContext>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          const field = findBadText(document, request.variables);
          if (!field) return;
          // A field whose path starts with the variable `input` is named from inside it, like our other errors.
          const named = field.replace(/^input\./, '');
          throw new GraphQLError('Text must not contain NUL characters or unpaired surrogates', {
            extensions: { code: ErrorCode.BAD_USER_INPUT, field: named, http: { status: 400 } },
          });
        },
      };
    },
  };
}
