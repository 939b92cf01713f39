import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, buildSchema, parse, specifiedRules, validate, type OperationDefinitionNode } from 'graphql';
import { CostEstimator, DEFAULT_COST_LIMITS } from '../gateway/cost';
import { DEFAULT_LIMITS, protection } from '../gateway/limits';
import { DEFAULT_RATE_LIMITS, RateLimiter } from '../gateway/rate-limit';
import { documentId } from '../gateway/trusted-documents';
import { projectRoot, withDeadline } from '../subgraphs/platform';
import { Q1 } from './scenarios';

/** Microseconds that each protection of issue 13 adds at the gateway, for one operation. */
export interface ChecksCost {
  /**
   * GraphQL Armor's depth, alias and directive rules plus the root-field
   * rule, on top of graphql-js validation (tokens are counted by the parser
   * itself). Once per distinct operation text: Apollo caches validated
   * documents, so a repeated operation does not pay it; not in `total`.
   */
  validationRulesPerNewDocument: number;
  /** The estimate of a repeated operation (cached per operation and slicing variables). */
  costEstimate: number;
  rateLimit: number;
  /** The sha256 a trusted-documents-only caller's operation is checked by (others skip it). */
  trustedDocument: number;
  deadline: number;
  /** Per request of a repeated operation: cost estimate, rate limit, trusted-document check and deadline. */
  total: number;
}

async function micros(iterations: number, once: () => unknown): Promise<number> {
  for (let i = 0; i < Math.min(500, iterations); i++) await once();
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await once();
  return Number(process.hrtime.bigint() - started) / 1000 / iterations;
}

/**
 * Measured in process, each check alone against the same parsed Q1 (the
 * customer 360 query), the way the gateway runs it per request: the cost
 * estimate of the operation Apollo's document cache hands out again (with
 * fresh variables that no slicing argument reads), one in-memory rate-limit
 * count, one sha256 of the text and one deadline context; and, once per new
 * operation text, the extra validation rules (time with them minus without).
 */
export async function checksCostMicros(query = Q1, iterations = 5000): Promise<ChecksCost> {
  const schema = buildSchema(readFileSync(join(projectRoot(), 'schema', 'api.graphql'), 'utf8'));
  const supergraph = readFileSync(join(projectRoot(), 'schema', 'supergraph.graphql'), 'utf8');
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  const rules = protection(DEFAULT_LIMITS, true).validationRules;
  const plain = await micros(iterations, () => validate(schema, document, specifiedRules));
  const guarded = await micros(iterations, () => validate(schema, document, [...specifiedRules, ...rules]));
  const estimator = new CostEstimator(supergraph, DEFAULT_COST_LIMITS.defaultListSize);
  const costEstimate = await micros(iterations, () => estimator.estimateCached(schema, document, operation, { id: String(Math.random()) }));
  const limiter = new RateLimiter({ ...DEFAULT_RATE_LIMITS, perMinute: 1_000_000_000 });
  const principal = { sub: 'bench', roles: ['admin'], kind: 'user' as const };
  const rateLimit = await micros(iterations, () => limiter.take(principal));
  const trustedDocument = await micros(iterations, () => documentId(query));
  const deadline = await micros(iterations, () => withDeadline(Date.now() + 15_000, () => Promise.resolve()));
  return {
    validationRulesPerNewDocument: Math.max(0, guarded - plain),
    costEstimate,
    rateLimit,
    trustedDocument,
    deadline,
    total: costEstimate + rateLimit + trustedDocument + deadline,
  };
}

if (require.main === module) {
  checksCostMicros().then((cost) => console.log(JSON.stringify(cost, null, 2)));
}
