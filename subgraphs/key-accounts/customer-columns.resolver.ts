import { Ctx, Directive, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { MAX_COLUMNS_PAGE_SIZE, columnIds, loadColumn } from '../platform';
import type { KeyAccountEntity } from './key-accounts.entity';
import { KeyAccountsService, type KeyAccountsContext } from './key-accounts.service';
import { CustomerColumns, KeyAccount } from './key-accounts.types';

/** Key accounts' columns of a page of customers: the Customer fields of the same names. */
@Resolver(() => CustomerColumns)
export class CustomerColumnsKeyAccountsResolver {
  @FieldResolver(() => [KeyAccount], { nullable: 'itemsAndList', description: 'Customer.keyAccount of each customer.' })
  async keyAccount(@Root() page: CustomerColumns, @Ctx() ctx: KeyAccountsContext): Promise<(KeyAccountEntity | null)[]> {
    const memberships = await loadColumn(ctx.loaders.membershipByCustomer, columnIds(page, MAX_COLUMNS_PAGE_SIZE));
    return Promise.all(memberships.map((m) => (m ? ctx.loaders.accountById.load(m.keyAccountId) : null)));
  }

  @Directive('@requires(fields: "overdueBalance openComplaintCount lastContactAt recentSatisfaction contactDataAvailable")')
  @FieldResolver(() => [Int], { nullable: true, description: 'Customer.healthScore of each customer.' })
  healthScore(@Root() page: CustomerColumns, @Ctx() ctx: KeyAccountsContext): number[] {
    const service = new KeyAccountsService(ctx);
    // A column that did not arrive fails the whole column with its service's error, as on Customer.
    return columnIds(page, MAX_COLUMNS_PAGE_SIZE).map((id, i) =>
      service.health({
        id,
        overdueBalance: page.overdueBalance ? { amount: page.overdueBalance[i]!, currency: '' } : null,
        openComplaintCount: page.openComplaintCount?.[i] ?? null,
        lastContactAt: page.lastContactAt?.[i] ?? null,
        recentSatisfaction: page.recentSatisfaction?.[i] ?? null,
        contactDataAvailable: page.contactDataAvailable ?? null,
      }),
    );
  }
}
