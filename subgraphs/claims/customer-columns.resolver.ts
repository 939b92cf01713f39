import { Ctx, Directive, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { REQUIRES_ID_RANGE, columnIds, loadColumn } from '../platform';
import type { ClaimsContext } from './claim.service';
import { CustomerColumns } from './claims.types';

/** Claims' columns of a page of customers: the Customer fields of the same names, one statement for the whole page. */
@Resolver(() => CustomerColumns)
export class CustomerColumnsClaimsResolver {
  @Directive(REQUIRES_ID_RANGE)
  @FieldResolver(() => [Int], { nullable: true, description: 'Customer.openComplaintCount of each customer.' })
  async openComplaintCount(@Root() page: CustomerColumns, @Ctx() ctx: ClaimsContext): Promise<number[]> {
    return (await counts(page, ctx)).map((c) => c.complaints);
  }

  @Directive(REQUIRES_ID_RANGE)
  @FieldResolver(() => [Int], { nullable: true, description: 'Customer.openClaimCount of each customer.' })
  async openClaimCount(@Root() page: CustomerColumns, @Ctx() ctx: ClaimsContext): Promise<number[]> {
    return (await counts(page, ctx)).map((c) => c.claims);
  }
}

function counts(page: CustomerColumns, ctx: ClaimsContext) {
  return loadColumn(ctx.loaders.openCounts, columnIds(page));
}
