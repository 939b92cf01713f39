import { Ctx, Directive, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { REPORT_COST, listSize } from '../platform';
import type { CustomersContext } from './customer.service';
import { CustomerSegment } from './customer.types';

/**
 * One segment's figures for BI. The customers subgraph owns the segment and
 * its customers; billing, claims and contacts add their figures for the same
 * customers, each from its own replica of the customers' segments (kept
 * current by this subgraph's outbox, segment-outbox.*). The gateway sends
 * them nothing but the key, the segment, and joins the figures per segment.
 */
@Directive('@key(fields: "segment")')
@ObjectType({
  description:
    "One segment's figures. openBalance, overdueBalance and openComplaintCount are sums of the Customer field of the same name over the segment's customers.",
})
export class SegmentReport {
  @Field(() => CustomerSegment)
  segment!: CustomerSegment;

  @Field(() => Int)
  customerCount!: number;

  @Field(() => Int, { description: 'Customers with status ACTIVE.' })
  activeCustomerCount!: number;
}

@Resolver(() => SegmentReport)
export class SegmentReportResolver {
  @Directive(REPORT_COST)
  @Directive(listSize(3))
  @Query(() => [SegmentReport], { description: 'One row per segment, A first.' })
  async segmentReport(@Ctx() ctx: CustomersContext): Promise<SegmentReport[]> {
    const rows: { segment: string; n: unknown; active: unknown }[] = await ctx.dataSource.query(
      "SELECT segment, COUNT(*) AS n, SUM(CASE WHEN status = 'ACTIVE' THEN 1 ELSE 0 END) AS active FROM customers GROUP BY segment",
    );
    return Object.values(CustomerSegment).map((segment) => {
      const row = rows.find((r) => r.segment === segment);
      return { segment, customerCount: Number(row?.n ?? 0), activeCustomerCount: Number(row?.active ?? 0) };
    });
  }
}

/** `_entities` for SegmentReport: the figures of the segment named in the representation. */
export async function resolveSegmentReference(reference: { segment: CustomerSegment }, ctx: CustomersContext): Promise<SegmentReport> {
  const all = await new SegmentReportResolver().segmentReport(ctx);
  return all.find((r) => r.segment === reference.segment)!;
}
