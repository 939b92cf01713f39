import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Directive, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { CONNECTION_LIST_SIZE } from '../platform';
import { PERSONAL_DATA, writeRule } from '../platform/access';
import type { AddressEntity, CustomerEntity } from './customer.entity';
import { CustomerService, type CustomerPage, type CustomersContext } from './customer.service';
import { Address, CreateCustomerInput, Customer, CustomerConnection, CustomerFilter, UpdateCustomerInput } from './customer.types';

/** Fields of a connection that show no customer: asking for only these reads no rows' content. */
const WITHOUT_ROWS = new Set(['pageInfo', 'totalCount', '__typename']);

/** True unless the selection is only fields that show no customer (`withoutRows`; a fragment counts as reading rows): the audit trail's rule for a page. */
export function readsRows(info: GraphQLResolveInfo, withoutRows: ReadonlySet<string> = WITHOUT_ROWS): boolean {
  return info.fieldNodes.some((node) => (node.selectionSet?.selections ?? []).some((s) => s.kind !== 'Field' || !withoutRows.has(s.name.value)));
}

/** Thin: arguments in, service call, result out. */
@Resolver(() => Customer)
export class CustomerResolver {
  @Query(() => Customer, { nullable: true })
  customer(@Arg('id', () => ID) id: string, @Ctx() ctx: CustomersContext): Promise<CustomerEntity | null> {
    return new CustomerService(ctx).get(id);
  }

  @Query(() => Customer, { nullable: true })
  customerByNumber(@Arg('customerNumber') customerNumber: string, @Ctx() ctx: CustomersContext): Promise<CustomerEntity | null> {
    return new CustomerService(ctx).getByNumber(customerNumber);
  }

  @Directive(CONNECTION_LIST_SIZE)
  @Query(() => CustomerConnection, {
    description: 'Ordered by customer number; first defaults to 20 and is capped at 1000 (see README).',
  })
  customers(
    @Ctx() ctx: CustomersContext,
    @Arg('filter', () => CustomerFilter, { nullable: true }) filter?: CustomerFilter | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Info() info?: GraphQLResolveInfo,
  ) {
    return new CustomerService(ctx).list(filter, first, after, info ? readsRows(info) : true);
  }

  @Directive(writeRule('agent'))
  @Mutation(() => Customer)
  createCustomer(@Arg('input', () => CreateCustomerInput) input: CreateCustomerInput, @Ctx() ctx: CustomersContext) {
    return new CustomerService(ctx).create(input);
  }

  @Directive(writeRule('agent'))
  @Mutation(() => Customer, { description: 'Fails with VERSION_CONFLICT when expectedVersion is not the stored version.' })
  updateCustomer(
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('input', () => UpdateCustomerInput) input: UpdateCustomerInput,
    @Ctx() ctx: CustomersContext,
  ) {
    return new CustomerService(ctx).update(id, expectedVersion, input);
  }

  @Directive(PERSONAL_DATA)
  @FieldResolver(() => [Address])
  addresses(@Root() customer: CustomerEntity, @Ctx() ctx: CustomersContext): Promise<AddressEntity[]> {
    return ctx.loaders.addressesByCustomerId.load(customer.id);
  }
}

@Resolver(() => CustomerConnection)
export class CustomerConnectionResolver {
  @FieldResolver(() => Int)
  totalCount(@Root() page: CustomerPage): Promise<number> {
    return page.count();
  }
}

/** `_entities` for Customer: every representation of one request goes through one batched load. */
export function resolveCustomerReference(reference: { id: string }, ctx: CustomersContext): Promise<CustomerEntity | null> {
  return ctx.loaders.customerById.load(reference.id);
}
