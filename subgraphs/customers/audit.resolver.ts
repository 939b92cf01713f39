import { Arg, Ctx, Directive, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { CONNECTION_LIST_SIZE, DateTimeScalar, badUserInput, recordAudit, type GatewayAuditRecord, type StoredAuditEvent } from '../platform';
import { writeRule } from '../platform/access';
import { AuditService } from './audit.service';
import { AuditEventConnection } from './audit.types';
import type { CustomersContext } from './customer.service';

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

function toGraphQL(page: { nodes: StoredAuditEvent[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }): AuditEventConnection {
  return {
    pageInfo: page.pageInfo,
    nodes: page.nodes.map((e) => ({
      ...e,
      id: String(e.id),
      changes: e.changes.map((c) => ({ field: c.field, before: json(c.before), after: json(c.after) })),
    })),
  };
}

/** The audit trail across all subgraphs, for admins only; there is no way to change or delete a row. */
@Resolver()
export class AuditResolver {
  @Directive(writeRule('admin'))
  @Directive(CONNECTION_LIST_SIZE)
  @Query(() => AuditEventConnection, { description: "One entity's audit rows from every subgraph, newest first. Admin only." })
  async auditTrail(
    @Arg('entityType') entityType: string,
    @Arg('entityId', () => ID) entityId: string,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: CustomersContext,
  ): Promise<AuditEventConnection> {
    return toGraphQL(await new AuditService(ctx).page({ entityType, entityId }, first, after));
  }

  @Directive(writeRule('admin'))
  @Directive(CONNECTION_LIST_SIZE)
  @Query(() => AuditEventConnection, { description: 'Audit rows by caller and time range from every subgraph, newest first. Admin only.' })
  async auditEvents(
    @Arg('actor', () => String, { nullable: true }) actor: string | null,
    @Arg('from', () => DateTimeScalar, { nullable: true }) from: Date | null,
    @Arg('to', () => DateTimeScalar, { nullable: true }) to: Date | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: CustomersContext,
  ): Promise<AuditEventConnection> {
    return toGraphQL(await new AuditService(ctx).page({ actor: actor ?? undefined, from: from ?? undefined, to: to ?? undefined }, first, after));
  }

  @Directive('@inaccessible')
  @Directive(writeRule('service'))
  @Mutation(() => Int, { description: "Takes the gateway's refusals (JSON) into the audit trail. Answers the rows written." })
  async _recordDenials(@Arg('denials') denials: string, @Ctx() ctx: CustomersContext): Promise<number> {
    const rows = parseDenials(denials);
    await ctx.dataSource.transaction(async (manager) => {
      for (const d of rows) {
        await recordAudit(manager, 'gateway', ctx.identity, new Date(d.at), {
          action: d.outcome === 'OK' ? 'EXPORT' : 'DENIED',
          entityType: d.entityType,
          entityId: d.outcome === 'OK' ? d.exported! : null,
          outcome: d.outcome,
          actor: { sub: d.actor, kind: d.actorKind },
        });
      }
    });
    return rows.length;
  }
}

/** The gateway's batch, each field checked (at most 1,001 rows, as the gateway sends). */
function parseDenials(text: string): GatewayAuditRecord[] {
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch {
    throw badUserInput('denials', 'denials must be JSON');
  }
  if (!Array.isArray(rows) || rows.length > 1001) throw badUserInput('denials', 'denials must be a list of at most 1001');
  return rows.map((r: Partial<GatewayAuditRecord>, i) => {
    const ok =
      typeof r.actor === 'string' &&
      r.actor.length <= 200 &&
      ['user', 'api_key', 'service'].includes(String(r.actorKind)) &&
      typeof r.entityType === 'string' &&
      r.entityType.length <= 100 &&
      (r.outcome === 'UNAUTHENTICATED' ||
        r.outcome === 'FORBIDDEN' ||
        (r.outcome === 'OK' && r.entityType === 'Export' && typeof r.exported === 'string' && /^[a-z-]{1,40}\.(csv|json|ndjson)$/.test(r.exported))) &&
      typeof r.at === 'string' &&
      !Number.isNaN(Date.parse(r.at));
    if (!ok) throw badUserInput(`denials[${i}]`, 'not a denial');
    return r as GatewayAuditRecord;
  });
}
