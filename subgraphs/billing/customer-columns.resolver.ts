import { Ctx, Directive, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { DecimalScalar, REQUIRES_ID_RANGE, columnIds, formatMinor, loadColumn, requiredColumn } from '../platform';
import { AccountService } from './account.service';
import { CustomerColumns } from './billing.types';
import type { BillingContext } from './invoice.service';

/**
 * Billing's columns of a page of customers: the same figures as the Customer
 * fields of the same names (one statement for the whole page), as decimals
 * in `currency`.
 */
@Resolver(() => CustomerColumns)
export class CustomerColumnsBillingResolver {
  @FieldResolver(() => String, { nullable: true, description: 'ISO-4217 code of every amount column, e.g. EUR.' })
  currency(@Ctx() ctx: BillingContext): string {
    return ctx.loaders.settings.policy.currency;
  }

  @Directive(REQUIRES_ID_RANGE)
  @FieldResolver(() => [DecimalScalar], { nullable: true, description: 'Customer.openBalance of each customer.' })
  async openBalance(@Root() page: CustomerColumns, @Ctx() ctx: BillingContext): Promise<string[]> {
    return (await figures(page, ctx)).map((f) => formatMinor(f.openMinor));
  }

  @Directive(REQUIRES_ID_RANGE)
  @FieldResolver(() => [DecimalScalar], { nullable: true, description: 'Customer.overdueBalance of each customer.' })
  async overdueBalance(@Root() page: CustomerColumns, @Ctx() ctx: BillingContext): Promise<string[]> {
    return (await figures(page, ctx)).map((f) => formatMinor(f.overdueMinor));
  }

  @Directive(REQUIRES_ID_RANGE)
  @FieldResolver(() => [Int], { nullable: true, description: 'Customer.dunningLevel of each customer.' })
  async dunningLevel(@Root() page: CustomerColumns, @Ctx() ctx: BillingContext): Promise<number[]> {
    return (await figures(page, ctx)).map((f) => f.dunningLevel);
  }

  @Directive('@requires(fields: "segment customerSince idRangeDense")')
  @FieldResolver(() => [DecimalScalar], { nullable: true, description: 'Customer.lifetimeValue (CLV) of each customer.' })
  async lifetimeValue(@Root() page: CustomerColumns, @Ctx() ctx: BillingContext): Promise<string[]> {
    const ids = columnIds(page);
    const segments = requiredColumn<string>(page, 'segment', ids);
    const since = requiredColumn<string>(page, 'customerSince', ids);
    const service = new AccountService(ctx);
    return (await figures(page, ctx)).map((f, i) => service.lifetimeValueFrom(f.revenueMinor, { segment: segments?.[i], customerSince: since?.[i] }).amount);
  }
}

function figures(page: CustomerColumns, ctx: BillingContext) {
  return loadColumn(ctx.loaders.summaryByCustomer, columnIds(page));
}
