import { Arg, Ctx, Directive, Query, Resolver } from 'type-graphql';
import { writeRule } from './access';
import { findAuditEvents, type AuditQuery } from './audit';
import type { SubgraphName } from './config';
import type { RequestContext } from './context';
import { badUserInput } from './errors';

/** The internal query through which the customers subgraph reads a peer's audit rows: one name per subgraph, as with replication. */
export function auditSourceField(service: SubgraphName): string {
  return internalFieldOf('_auditEventsOf', service);
}

/** An internal field named after the subgraph it belongs to, e.g. _auditEventsOfKeyAccounts: one name per subgraph. */
export function internalFieldOf(prefix: string, service: SubgraphName): string {
  return `${prefix}${service.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}`;
}

/** Most rows one internal read may return (a page of 1,000 plus one to tell whether there is more). */
export const MAX_AUDIT_ROWS = 1001;

/** The JSON query of the internal field, checked: nothing but the known keys, each of its type. */
export function parseAuditQuery(text: string): AuditQuery {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw badUserInput('query', 'query must be JSON');
  }
  const str = (k: string) => (typeof raw[k] === 'string' ? (raw[k] as string) : undefined);
  const date = (k: string) => (typeof raw[k] === 'string' && !Number.isNaN(Date.parse(raw[k] as string)) ? new Date(raw[k] as string) : undefined);
  const limit = Number(raw.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_ROWS) throw badUserInput('query', `limit must be 1 to ${MAX_AUDIT_ROWS}`);
  const before = raw.before as { at?: unknown; id?: unknown } | undefined;
  return {
    entityType: str('entityType'),
    entityId: str('entityId'),
    actor: str('actor'),
    from: date('from'),
    to: date('to'),
    before: before && typeof before.at === 'string' && Number.isFinite(Number(before.id)) ? { at: new Date(before.at), id: Number(before.id) } : undefined,
    limit,
  };
}

/**
 * A subgraph's audit rows for the customers subgraph's auditTrail and
 * auditEvents (which merge every subgraph's): a service principal only,
 * never in the public API (@inaccessible). Rows travel as JSON text, so the
 * five subgraphs need no shared GraphQL type for them.
 */
export function createAuditSourceResolver(service: SubgraphName) {
  @Resolver()
  class AuditSourceResolver {
    @Directive('@inaccessible')
    @Directive(writeRule('service'))
    @Query(() => String, { name: auditSourceField(service), description: "This subgraph's audit rows as JSON, newest first." })
    async auditEvents(@Arg('query') query: string, @Ctx() ctx: RequestContext<unknown>): Promise<string> {
      return JSON.stringify(await findAuditEvents(ctx.dataSource, service, parseAuditQuery(query)));
    }
  }
  return AuditSourceResolver;
}
