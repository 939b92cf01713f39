import type { GraphQLRequestListener } from '@apollo/server';
import { GraphQLError, parse, type OperationDefinitionNode } from 'graphql';
import { retryablePolicy, safeToRepeat } from './retryable';

const operationOf = (source: string) => parse(source).definitions[0] as OperationDefinitionNode;

const unavailable = (path: string[] | undefined, fromGateway: boolean) =>
  new GraphQLError('The billing service is unavailable; try again later', {
    path,
    extensions: {
      code: 'INTERNAL_SERVER_ERROR',
      serviceName: 'billing',
      reason: 'UNAVAILABLE',
      retryable: true,
      ...(fromGateway ? { gatewayError: true } : {}),
    },
  });

async function afterPolicy(source: string, errors: GraphQLError[]): Promise<unknown[]> {
  const listener = (await retryablePolicy('gatewayError').requestDidStart!({} as never)) as GraphQLRequestListener<never>;
  await listener.didEncounterErrors!({ operation: operationOf(source), errors } as never);
  return errors.map((e) => e.extensions.retryable);
}

describe('safeToRepeat', () => {
  it('holds for queries and for mutations whose every root field is idempotent', () => {
    expect(safeToRepeat(operationOf('{ customers { totalCount } }'))).toBe(true);
    expect(safeToRepeat(operationOf('mutation { runDunning(asOf: "2026-11-01") { noticesIssued } recordPayment(input: {}) { id } }'))).toBe(true);
    expect(safeToRepeat(operationOf('mutation { ... on Mutation { runDunning(asOf: "2026-11-01") { noticesIssued } } }'))).toBe(true);
  });

  it('fails for a mutation that creates something, alone or beside an idempotent one, and behind a named fragment', () => {
    expect(safeToRepeat(operationOf('mutation { createInvoice(input: {}) { id } }'))).toBe(false);
    expect(safeToRepeat(operationOf('mutation { runDunning(asOf: "2026-11-01") { asOf } logInteraction(input: {}) { id } }'))).toBe(false);
    expect(safeToRepeat(operationOf('mutation { ...M }'))).toBe(false);
  });
});

describe('retryablePolicy', () => {
  it('takes retryable back for a lost answer of a non-idempotent mutation and below its result', async () => {
    expect(
      await afterPolicy('mutation { createInvoice(input: {}) { id } }', [
        unavailable(['createInvoice'], true),
        unavailable(['createInvoice', 'customer'], false),
      ]),
    ).toEqual([false, false]);
  });

  it('keeps it where a subgraph refused before writing (its peer was down), and for idempotent mutations and queries', async () => {
    expect(await afterPolicy('mutation { logInteraction(input: {}) { id } }', [unavailable(['logInteraction'], false)])).toEqual([true]);
    expect(await afterPolicy('mutation { recordPayment(input: {}) { id } }', [unavailable(['recordPayment'], true)])).toEqual([true]);
    expect(await afterPolicy('{ customer(id: "1") { openBalance { amount } } }', [unavailable(['customer', 'openBalance'], true)])).toEqual([true]);
  });
});
