import { internalFieldOf } from './audit.resolver';
import { badUserInput } from './errors';
import { CHANGE_REQUEST_STATUSES, type ChangeRequestEntityName, type ChangeRequestQuery, type ChangeRequestStatusName } from './change-request';
import type { SubgraphName } from './config';

/**
 * The internal fields through which the customers subgraph, which answers
 * the public change-request API, reaches the requests another subgraph
 * stores (billing's payment-method requests): one list, one decision.
 */
export const changeRequestListField = (service: SubgraphName) => internalFieldOf('_changeRequestsOf', service);
export const changeRequestDecideField = (service: SubgraphName) => internalFieldOf('_decideChangeRequestOf', service);

/** Most requests one internal read may return: the largest page (100) plus one. */
export const MAX_CHANGE_REQUEST_ROWS = 101;

/** The JSON query of the internal list, checked: nothing but the known keys, each of its type. */
export function parseChangeRequestQuery(text: string, now: Date): ChangeRequestQuery {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw badUserInput('query', 'query must be JSON');
  }
  const limit = Number(raw?.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_CHANGE_REQUEST_ROWS) throw badUserInput('query', `limit must be 1 to ${MAX_CHANGE_REQUEST_ROWS}`);
  const status = (CHANGE_REQUEST_STATUSES as readonly unknown[]).includes(raw.status) ? (raw.status as ChangeRequestStatusName) : undefined;
  const entity = raw.entity === 'CUSTOMER' || raw.entity === 'PAYMENT_METHOD' ? (raw.entity as ChangeRequestEntityName) : undefined;
  const list = (key: string) => {
    const value = raw[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.length > 1000 || !value.every((id) => typeof id === 'string'))
      throw badUserInput('query', `${key} must be up to 1000 ids`);
    return value as string[];
  };
  const before = raw.before as { at?: unknown; id?: unknown } | undefined;
  return {
    status,
    entity,
    customerIds: list('customerIds'),
    ids: list('ids'),
    before:
      before && typeof before.at === 'string' && !Number.isNaN(Date.parse(before.at)) && typeof before.id === 'string'
        ? { at: new Date(before.at), id: before.id }
        : undefined,
    limit,
    now,
  };
}
