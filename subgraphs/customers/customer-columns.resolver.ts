import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Directive, FieldResolver, Info, Int, Query, Resolver, Root } from 'type-graphql';
import { MAX_COLUMNS_PAGE_SIZE, columnIds, cost, loadColumn, notFound } from '../platform';
import { CustomerColumns, CustomerColumnsPage } from './customer-columns.types';
import type { CustomerColumnRow } from './customer.repository';
import { readsRows } from './customer.resolver';
import { CustomerService, type CustomersContext } from './customer.service';
import { CustomerFilter } from './customer.types';

/** Fields of a columns page that show no customer: asking for only these reads no rows (the audit trail's rule). */
const WITHOUT_ROWS = new Set(['pageInfo', '__typename']);

function columnsOf(rows: readonly CustomerColumnRow[]): CustomerColumns {
  return {
    ids: rows.map((c) => c.id),
    customerNumber: rows.map((c) => c.customerNumber),
    displayName: rows.map((c) => c.displayName),
    kind: rows.map((c) => c.kind),
    segment: rows.map((c) => c.segment),
    status: rows.map((c) => c.status),
    customerSince: rows.map((c) => c.customerSince),
  } as CustomerColumns;
}

/** Thin: the page of `customers` with the same arguments, turned into columns. */
@Resolver(() => CustomerColumnsPage)
export class CustomerColumnsResolver {
  // Demand control sizes lists, not the columns of one object: a page costs as a full page of rows (one per customer), whatever first is.
  @Directive(cost(MAX_COLUMNS_PAGE_SIZE))
  @Query(() => CustomerColumnsPage, {
    description:
      'The page of Query.customers with the same arguments, as columns (see CustomerColumns); first defaults to 20 and is capped at 5000. For bulk readers such as the BI exports.',
  })
  async customerColumns(
    @Ctx() ctx: CustomersContext,
    @Arg('filter', () => CustomerFilter, { nullable: true }) filter?: CustomerFilter | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Info() info?: GraphQLResolveInfo,
  ): Promise<CustomerColumnsPage> {
    const page = await new CustomerService(ctx).listColumns(filter, first, after, info ? readsRows(info, WITHOUT_ROWS) : true, MAX_COLUMNS_PAGE_SIZE);
    return { pageInfo: page.pageInfo, columns: columnsOf(page.nodes) };
  }
}

/** What the customers subgraph tells the others about a page of columns. */
@Resolver(() => CustomerColumns)
export class CustomerColumnsHintsResolver {
  /**
   * True when few customers besides the page's have an id between its lowest
   * and highest (CustomerService.idRangeDense): the other subgraphs then read
   * the page as one range of their index (@requires). Not in the public API.
   */
  @Directive('@inaccessible')
  @FieldResolver(() => Boolean, { nullable: true })
  idRangeDense(@Root() page: CustomerColumns, @Ctx() ctx: CustomersContext): Promise<boolean> {
    return new CustomerService(ctx).idRangeDense(page.ids);
  }
}

/** A reference names its customers by id: their columns, in the order given. */
export async function resolveColumnsReference(reference: { ids?: unknown }, ctx: CustomersContext): Promise<CustomerColumns> {
  const rows = await loadColumn(ctx.loaders.customerById, columnIds(reference));
  if (rows.some((row) => row === null)) throw notFound('customer', 'ids');
  return columnsOf(rows as CustomerColumnRow[]);
}
