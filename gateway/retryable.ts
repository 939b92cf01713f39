import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Kind, type GraphQLError, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/**
 * Mutations a client may repeat without anything happening twice: keyed
 * (`recordPayment` by its idempotencyKey), one per date (`runDunning`),
 * guarded by a version (`updateCustomer`, `transitionClaim`: a repeat of an
 * applied change is a VERSION_CONFLICT), or setting a state that a repeat
 * sets again (dunning block, manager, membership, resolution: a repeat
 * changes nothing or is refused).
 */
export const IDEMPOTENT_MUTATIONS: ReadonlySet<string> = new Set([
  'recordPayment',
  'runDunning',
  'updateCustomer',
  'transitionClaim',
  'setDunningBlock',
  'assignKeyAccountManager',
  'addKeyAccountMember',
  'removeKeyAccountMember',
  'resolveComplaint',
]);

/** Root field names of a selection set, through inline fragments; null when a named fragment hides them. */
function rootFields(selectionSet: SelectionSetNode): string[] | null {
  const names: string[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) names.push(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const inner = rootFields(selection.selectionSet);
      if (!inner) return null;
      names.push(...inner);
    } else return null;
  }
  return names;
}

/** True when repeating the whole operation cannot do anything twice. */
export function safeToRepeat(operation: OperationDefinitionNode | undefined): boolean {
  if (!operation || operation.operation !== 'mutation') return true;
  const fields = rootFields(operation.selectionSet);
  return fields !== null && fields.every((name) => IDEMPOTENT_MUTATIONS.has(name) || name === '__typename');
}

/**
 * `retryable: true` promises that the same request may simply be sent again.
 * A timeout or outage in a mutation that is not idempotent cannot promise
 * that: the write may have happened before the answer was lost, or (for an
 * error below the mutation's result) has happened. Such errors say
 * `retryable: false`. Kept true: errors a subgraph raised at the mutation
 * field itself, because subgraphs ask their peers before they write anything
 * (see customer-directory.ts), and errors that name the gateway as their
 * source are never among them.
 */
export function retryablePolicy<C extends BaseContext>(gatewayMarker: string): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ operation, errors }) {
          if (safeToRepeat(operation)) return;
          for (const error of errors as readonly GraphQLError[]) {
            const extensions = error.extensions as Record<string, unknown>;
            if (extensions?.retryable !== true) continue;
            const fromGateway = extensions[gatewayMarker] === true;
            const atMutationField = (error.path?.length ?? 0) === 1;
            if (fromGateway || !atMutationField) extensions.retryable = false;
          }
        },
      };
    },
  };
}
