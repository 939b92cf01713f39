import { Ctx, Directive, FieldResolver, Float, Resolver, Root } from 'type-graphql';
import { DateTimeScalar, REQUIRES_ID_RANGE, columnIds, loadColumn } from '../platform';
import { CustomerColumns } from './contacts.types';
import type { ContactsContext } from './interaction.service';

/** Contacts' columns of a page of customers: the Customer fields of the same names, one statement for the whole page. */
@Resolver(() => CustomerColumns)
export class CustomerColumnsContactsResolver {
  @Directive(REQUIRES_ID_RANGE)
  @FieldResolver(() => [DateTimeScalar], { nullable: 'itemsAndList', description: 'Customer.lastContactAt of each customer.' })
  async lastContactAt(@Root() page: CustomerColumns, @Ctx() ctx: ContactsContext): Promise<(Date | null)[]> {
    return (await figures(page, ctx)).map((f) => f.lastContactAt);
  }

  @Directive(REQUIRES_ID_RANGE)
  @FieldResolver(() => [Float], { nullable: 'itemsAndList', description: 'Customer.recentSatisfaction of each customer.' })
  async recentSatisfaction(@Root() page: CustomerColumns, @Ctx() ctx: ContactsContext): Promise<(number | null)[]> {
    return (await figures(page, ctx)).map((f) => f.recentSatisfaction);
  }

  /** As Customer.contactDataAvailable: true once contacts has the figures, for healthScore (@requires). Not in the public API. */
  @Directive('@inaccessible')
  @Directive(REQUIRES_ID_RANGE)
  @FieldResolver(() => Boolean, { nullable: true })
  async contactDataAvailable(@Root() page: CustomerColumns, @Ctx() ctx: ContactsContext): Promise<boolean> {
    await figures(page, ctx);
    return true;
  }
}

function figures(page: CustomerColumns, ctx: ContactsContext) {
  return loadColumn(ctx.loaders.figuresByCustomer, columnIds(page));
}
