import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { RequestHandler } from 'express';
import { GraphQLError, Kind, parse, validate, type GraphQLSchema, type ValidationRule } from 'graphql';
import type { EnvReader } from '../subgraphs/platform';

/**
 * What one operation may hold, checked while it is parsed and validated, so
 * an operation over a limit asks no subgraph anything (README, "Operation
 * limits"). Each is read from the environment; the defaults leave every
 * operation of the project's clients, tests and benchmark far below them.
 */
export interface OperationLimits {
  /** LIMIT_MAX_DEPTH: nesting of selections; default 12. */
  maxDepth: number;
  /** LIMIT_MAX_ALIASES: aliases in the whole operation; default 30. */
  maxAliases: number;
  /** LIMIT_MAX_TOKENS: lexical tokens of the document; default 5000. */
  maxTokens: number;
  /** LIMIT_MAX_DIRECTIVES: directives in the whole operation; default 50. */
  maxDirectives: number;
  /** LIMIT_MAX_ROOT_FIELDS: fields at the root of an operation; default 20. */
  maxRootFields: number;
  /** INTROSPECTION: whether a production gateway answers introspection; default false (always on outside production). */
  introspection: boolean;
}

export const DEFAULT_LIMITS: OperationLimits = { maxDepth: 12, maxAliases: 30, maxTokens: 5000, maxDirectives: 50, maxRootFields: 20, introspection: false };

export function readLimits(reader: EnvReader): OperationLimits {
  return {
    maxDepth: reader.int('LIMIT_MAX_DEPTH', DEFAULT_LIMITS.maxDepth, 1, 1000),
    maxAliases: reader.int('LIMIT_MAX_ALIASES', DEFAULT_LIMITS.maxAliases, 0, 100_000),
    maxTokens: reader.int('LIMIT_MAX_TOKENS', DEFAULT_LIMITS.maxTokens, 10, 1_000_000),
    maxDirectives: reader.int('LIMIT_MAX_DIRECTIVES', DEFAULT_LIMITS.maxDirectives, 0, 100_000),
    maxRootFields: reader.int('LIMIT_MAX_ROOT_FIELDS', DEFAULT_LIMITS.maxRootFields, 1, 10_000),
    introspection: reader.oneOf('INTROSPECTION', 'false', ['true', 'false']) === 'true',
  };
}

/**
 * Per-role numbers such as RATE_LIMIT_ROLES or COST_LIMIT_ROLES, written
 * "analyst=1200,agent=300"; none when unset.
 */
export function readRoleLimits(reader: EnvReader, name: string, example: string): Record<string, number> {
  const roles: Record<string, number> = {};
  for (const pair of (reader.raw(name) ?? '').split(',').filter(Boolean)) {
    const [role, value] = pair.split('=').map((s) => s.trim());
    const n = Number(value);
    if (!role || !Number.isInteger(n) || n < 0) reader.fail(`${name} must look like ${example}`);
    else roles[role] = n;
  }
  return roles;
}

/** Of the caller's roles that have their own limit the highest applies; the default when none has one. */
export function limitFor(roles: readonly string[], perRole: Record<string, number>, fallback: number): number {
  const own = roles.map((r) => perRole[r]).filter((n): n is number => n !== undefined);
  return own.length > 0 ? Math.max(...own) : fallback;
}

/** At most `max` fields at the root of each operation (fragments spread at the root count with their fields). */
export function maxRootFields(max: number): ValidationRule {
  return (context) => ({
    OperationDefinition(node) {
      let count = 0;
      const visit = (selections: readonly { kind: Kind; name?: { value: string }; selectionSet?: { selections: readonly never[] } }[], seen: Set<string>) => {
        for (const selection of selections) {
          if (selection.kind === Kind.FIELD) count++;
          else if (selection.kind === Kind.INLINE_FRAGMENT && selection.selectionSet) visit(selection.selectionSet.selections, seen);
          else if (selection.kind === Kind.FRAGMENT_SPREAD && selection.name && !seen.has(selection.name.value)) {
            seen.add(selection.name.value);
            const fragment = context.getFragment(selection.name.value);
            if (fragment) visit(fragment.selectionSet.selections as never, seen);
          }
        }
      };
      visit(node.selectionSet.selections as never, new Set());
      if (count > max) {
        context.reportError(new GraphQLError(`Syntax Error: Root field limit of ${max} exceeded, found ${count}.`, { nodes: [node] }));
      }
    },
  });
}

/**
 * The checks as Apollo Server options: GraphQL Armor's depth, alias, token
 * and directive limits, field suggestions blocked in production (no "Did you
 * mean" that maps the schema for an attacker), our root-field limit, and no
 * batched requests.
 */
export function protection(limits: OperationLimits, production: boolean) {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth },
    maxAliases: { n: limits.maxAliases },
    maxTokens: { n: limits.maxTokens },
    maxDirectives: { n: limits.maxDirectives },
    blockFieldSuggestion: { enabled: production },
    // Cost is not armor's heuristic but list sizes multiplied through nesting (cost.ts).
    costLimit: { enabled: false },
  }).protect();
  return {
    plugins: armor.plugins,
    validationRules: [...armor.validationRules, maxRootFields(limits.maxRootFields)],
    allowBatchedHttpRequests: false as const,
  };
}

/**
 * The limits, checked before Apollo sees the request. Apollo validates with
 * every graphql-js rule and ours in one pass, so an operation of 1,000
 * aliases or 50 levels took 3-5 ms of validation before it was refused; here
 * it is parsed (with the token limit) and checked against the limit rules
 * alone, and refused at once. Texts that passed are remembered (up to 1,000),
 * so a repeated operation is one lookup. Answers as Apollo would: HTTP 400,
 * GRAPHQL_PARSE_FAILED or GRAPHQL_VALIDATION_FAILED.
 */
export function preflight(
  limits: OperationLimits,
  rules: readonly ValidationRule[],
  schema: () => GraphQLSchema | undefined,
  /** Told the code of each refusal (metrics); default nothing. */
  onRefused: (code: string) => void = () => undefined,
): RequestHandler {
  const passed = new Set<string>();
  return (req, res, next) => {
    const query = (req.body as { query?: unknown } | undefined)?.query;
    const current = schema();
    if (typeof query !== 'string' || !current || passed.has(query)) return next();
    let document;
    try {
      document = parse(query, { maxTokens: limits.maxTokens });
    } catch (error) {
      // Left to Apollo, which answers syntax errors its own way; only the token limit is refused here.
      if (error instanceof GraphQLError && /contains more that \d+ tokens/.test(error.message)) {
        onRefused('GRAPHQL_PARSE_FAILED');
        res
          .status(400)
          .json({ errors: [{ message: `Syntax Error: Token limit of ${limits.maxTokens} exceeded.`, extensions: { code: 'GRAPHQL_PARSE_FAILED' } }] });
        return;
      }
      return next();
    }
    const errors = validate(current, document, rules);
    if (errors.length > 0) {
      onRefused('GRAPHQL_VALIDATION_FAILED');
      res.status(400).json({ errors: errors.map((e) => ({ message: e.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })) });
      return;
    }
    if (passed.size >= 1000) passed.clear();
    passed.add(query);
    next();
  };
}
