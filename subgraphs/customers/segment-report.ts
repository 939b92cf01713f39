import DataLoader from 'dataloader';
import { Ctx, Directive, Field, FieldResolver, ID, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { groupBy } from '../platform';
import type { CustomersContext } from './customer.service';
import { CustomerSegment } from './customer.types';

/**
 * One segment's figures for BI. The customers subgraph owns the segment and
 * its customers; billing, claims and contacts add their figures for the same
 * customers (they @require the inaccessible customerIds), and the gateway
 * joins them per segment.
 */
@Directive('@key(fields: "segment")')
@ObjectType({ description: "One segment's figures. openBalance, overdueBalance and openComplaintCount are sums of the Customer field of the same name over the segment's customers." })
export class SegmentReport {
  @Field(() => CustomerSegment)
  segment!: CustomerSegment;

  @Field(() => Int)
  customerCount!: number;

  @Field(() => Int, { description: 'Customers with status ACTIVE.' })
  activeCustomerCount!: number;
}

/** The ids of each segment's customers: one statement for all segments asked. */
export function segmentMembersLoader(dataSource: DataSource): DataLoader<string, string[]> {
  return new DataLoader(async (segments) => {
    const rows: { id: string; segment: string }[] = await dataSource.query(
      `SELECT id, segment FROM customers WHERE segment IN (${segments.map(() => '?').join(', ')}) ORDER BY number_seq`,
      [...segments],
    );
    return groupBy(segments, rows, (r) => r.segment).map((list) => list.map((r) => r.id));
  });
}

@Resolver(() => SegmentReport)
export class SegmentReportResolver {
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

  /** For the other subgraphs' @requires; not part of the public API. */
  @Directive('@inaccessible')
  @FieldResolver(() => [ID])
  customerIds(@Root() report: SegmentReport, @Ctx() ctx: CustomersContext): Promise<string[]> {
    return ctx.loaders.segmentMembers.load(report.segment);
  }
}

/** `_entities` for SegmentReport: the figures of the segment named in the representation. */
export async function resolveSegmentReference(reference: { segment: CustomerSegment }, ctx: CustomersContext): Promise<SegmentReport> {
  const all = await new SegmentReportResolver().segmentReport(ctx);
  return all.find((r) => r.segment === reference.segment)!;
}
