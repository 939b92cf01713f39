import type { Request, Response } from 'express';
import { buildSchema, type ValidationRule } from 'graphql';
import { preflight, protection, type OperationLimits } from './limits';

const schema = buildSchema('type Query { a: Int b: Q } type Q { c: Int d: Q }');
const LIMITS: OperationLimits = { maxDepth: 3, maxAliases: 2, maxTokens: 30, maxDirectives: 2, maxRootFields: 3, introspection: false };

function run(query: string, check = preflight(LIMITS, protection(LIMITS, true).validationRules, () => schema)) {
  const outcome: { next: boolean; status?: number; body?: { errors: { message: string; extensions: { code: string } }[] } } = { next: false };
  const res = {
    status(code: number) {
      outcome.status = code;
      return this;
    },
    json(body: never) {
      outcome.body = body;
      return this;
    },
  } as unknown as Response;
  check({ body: { query } } as Request, res, () => (outcome.next = true));
  return outcome;
}

describe('preflight', () => {
  it('passes an operation within every limit on to Apollo', () => {
    expect(run('{ a x: a y: a }')).toEqual({ next: true });
  });

  it('refuses one over a limit with 400 and the validation code, naming the limit', () => {
    const outcome = run('{ a x: a y: a z: a }');
    expect(outcome).toMatchObject({ next: false, status: 400 });
    expect(outcome.body?.errors[0]).toMatchObject({
      message: expect.stringMatching(/Aliases limit of 2 exceeded, found 3/),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(run('{ b { d { d { d { c } } } } }').body?.errors[0]?.message).toMatch(/depth limit of 3 exceeded/);
  });

  it('refuses a document over the token limit as a parse failure, and leaves other syntax errors to Apollo', () => {
    const outcome = run(`{ ${Array.from({ length: 40 }, () => 'a').join(' ')} }`);
    expect(outcome).toMatchObject({
      status: 400,
      body: { errors: [{ message: 'Syntax Error: Token limit of 30 exceeded.', extensions: { code: 'GRAPHQL_PARSE_FAILED' } }] },
    });
    expect(run('{ a ')).toEqual({ next: true });
  });

  it('remembers a text that passed: the second time it is not checked again', () => {
    let checked = 0;
    const counting: ValidationRule = () => {
      checked++;
      return {};
    };
    const check = preflight(LIMITS, [counting], () => schema);
    expect([run('{ a }', check).next, run('{ a }', check).next, run('{ b { c } }', check).next]).toEqual([true, true, true]);
    expect(checked).toBe(2);
  });
});
