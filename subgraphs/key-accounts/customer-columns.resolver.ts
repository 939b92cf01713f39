import { Ctx, Directive, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { MAX_COLUMNS_PAGE_SIZE, REQUIRES_ID_RANGE, columnIds, listSize, loadColumn, requiredColumn } from '../platform';
import type { KeyAccountEntity } from './key-accounts.entity';
import { KeyAccountsService, type KeyAccountsContext } from './key-accounts.service';
import { CustomerColumns, KeyAccount } from './key-accounts.types';

/** Key accounts' columns of a page of customers: the Customer fields of the same names. */
@Resolver(() => CustomerColumns)
export class CustomerColumnsKeyAccountsResolver {
  // Demand control cannot tie a column's length to customerColumns' `first` (@listSize sizes lists only): a column of objects is costed as a full page.
  @Directive(listSize(MAX_COLUMNS_PAGE_SIZE))
  @Directive(REQUIRES_ID_RANGE)
  @FieldResolver(() => [KeyAccount], { nullable: 'itemsAndList', description: 'Customer.keyAccount of each customer.' })
  async keyAccount(@Root() page: CustomerColumns, @Ctx() ctx: KeyAccountsContext): Promise<(KeyAccountEntity | null)[]> {
    const memberships = await loadColumn(ctx.loaders.membershipByCustomer, columnIds(page));
    return Promise.all(memberships.map((m) => (m ? ctx.loaders.accountById.load(m.keyAccountId) : null)));
  }

  @Directive('@requires(fields: "overdueBalance openComplaintCount lastContactAt recentSatisfaction contactDataAvailable")')
  @FieldResolver(() => [Int], { nullable: true, description: 'Customer.healthScore of each customer.' })
  healthScore(@Root() page: CustomerColumns, @Ctx() ctx: KeyAccountsContext): number[] {
    const service = new KeyAccountsService(ctx);
    const ids = columnIds(page);
    const overdue = requiredColumn<string>(page, 'overdueBalance', ids);
    const complaints = requiredColumn<number>(page, 'openComplaintCount', ids);
    const lastContact = requiredColumn<string | null>(page, 'lastContactAt', ids);
    const satisfaction = requiredColumn<number | null>(page, 'recentSatisfaction', ids);
    // A column that did not arrive fails the whole column with its service's error, as on Customer.
    return ids.map((id, i) =>
      service.health({
        id,
        overdueBalance: overdue ? { amount: overdue[i]!, currency: '' } : null,
        openComplaintCount: complaints ? complaints[i]! : null,
        lastContactAt: lastContact?.[i] ?? null,
        recentSatisfaction: satisfaction?.[i] ?? null,
        contactDataAvailable: page.contactDataAvailable ?? null,
      }),
    );
  }
}
