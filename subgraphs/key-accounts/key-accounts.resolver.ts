import { Arg, Ctx, Directive, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { writeRule } from '../platform/access';
import { CONNECTION_LIST_SIZE, Money, money, type MoneyValue } from '../platform';
import type { KeyAccountEntity, ManagerEntity } from './key-accounts.entity';
import { KeyAccountsService, type KeyAccountPage, type KeyAccountsContext } from './key-accounts.service';
import {
  CreateKeyAccountInput,
  CreateKeyAccountManagerInput,
  Customer,
  KeyAccount,
  KeyAccountConnection,
  KeyAccountManager,
  KeyAccountTier,
} from './key-accounts.types';

@Resolver(() => Customer)
export class CustomerKeyAccountResolver {
  @FieldResolver(() => KeyAccount, { nullable: true })
  async keyAccount(@Root() customer: Customer, @Ctx() ctx: KeyAccountsContext): Promise<KeyAccountEntity | null> {
    const membership = await ctx.loaders.membershipByCustomer.load(customer.id);
    return membership ? ctx.loaders.accountById.load(membership.keyAccountId) : null;
  }

  @Directive('@requires(fields: "overdueBalance { amount } openComplaintCount lastContactAt recentSatisfaction contactDataAvailable")')
  @FieldResolver(() => Int, {
    nullable: true,
    description: '0-100, 100 healthy: from overdue balance, open complaints, recency of contact and satisfaction (formula in the README).',
  })
  healthScore(@Root() customer: Customer, @Ctx() ctx: KeyAccountsContext): number | null {
    return new KeyAccountsService(ctx).health(customer);
  }
}

@Resolver(() => KeyAccount)
export class KeyAccountResolver {
  @Query(() => KeyAccount, { nullable: true })
  keyAccount(@Arg('id', () => ID) id: string, @Ctx() ctx: KeyAccountsContext): Promise<KeyAccountEntity | null> {
    return ctx.loaders.accountById.load(id);
  }

  @Directive(CONNECTION_LIST_SIZE)
  @Query(() => KeyAccountConnection)
  keyAccounts(
    @Ctx() ctx: KeyAccountsContext,
    @Arg('tiers', () => [KeyAccountTier], { nullable: true }) tiers?: KeyAccountTier[] | null,
    @Arg('managerId', () => ID, { nullable: true }) managerId?: string | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<KeyAccountPage> {
    return new KeyAccountsService(ctx).list({ tiers, managerId, first, after });
  }

  @Directive(writeRule('keyAccounts'))
  @Mutation(() => KeyAccount)
  createKeyAccount(@Arg('input', () => CreateKeyAccountInput) input: CreateKeyAccountInput, @Ctx() ctx: KeyAccountsContext) {
    return new KeyAccountsService(ctx).create(input);
  }

  @Directive(writeRule('keyAccounts'))
  @Mutation(() => KeyAccount)
  assignKeyAccountManager(@Arg('keyAccountId', () => ID) keyAccountId: string, @Arg('managerId', () => ID) managerId: string, @Ctx() ctx: KeyAccountsContext) {
    return new KeyAccountsService(ctx).assignManager(keyAccountId, managerId);
  }

  @Directive(writeRule('keyAccounts'))
  @Mutation(() => KeyAccount)
  addKeyAccountMember(@Arg('keyAccountId', () => ID) keyAccountId: string, @Arg('customerId', () => ID) customerId: string, @Ctx() ctx: KeyAccountsContext) {
    return new KeyAccountsService(ctx).addMember(keyAccountId, customerId);
  }

  @Directive(writeRule('keyAccounts'))
  @Mutation(() => KeyAccount)
  removeKeyAccountMember(@Arg('keyAccountId', () => ID) keyAccountId: string, @Arg('customerId', () => ID) customerId: string, @Ctx() ctx: KeyAccountsContext) {
    return new KeyAccountsService(ctx).removeMember(keyAccountId, customerId);
  }

  @FieldResolver(() => KeyAccountManager)
  async manager(@Root() account: KeyAccountEntity, @Ctx() ctx: KeyAccountsContext): Promise<ManagerEntity> {
    return (await ctx.loaders.managerById.load(account.managerId))!;
  }

  @FieldResolver(() => [Customer])
  async members(@Root() account: KeyAccountEntity, @Ctx() ctx: KeyAccountsContext): Promise<Customer[]> {
    return (await ctx.loaders.membersByAccount.load(account.id)).map((m) => ({ id: m.customerId }));
  }

  /** For billing's revenueYearToDate (@requires); not part of the public API. */
  @Directive('@inaccessible')
  @FieldResolver(() => [ID])
  async memberIds(@Root() account: KeyAccountEntity, @Ctx() ctx: KeyAccountsContext): Promise<string[]> {
    return (await ctx.loaders.membersByAccount.load(account.id)).map((m) => m.customerId);
  }

  @FieldResolver(() => Money)
  annualRevenueTarget(@Root() account: KeyAccountEntity, @Ctx() ctx: KeyAccountsContext): MoneyValue {
    return money(account.annualTargetMinor, ctx.loaders.currency);
  }
}

@Resolver(() => KeyAccountConnection)
export class KeyAccountConnectionResolver {
  @FieldResolver(() => Int)
  totalCount(@Root() page: KeyAccountPage): Promise<number> {
    return page.count();
  }
}

@Resolver(() => KeyAccountManager)
export class KeyAccountManagerResolver {
  @Query(() => [KeyAccountManager])
  keyAccountManagers(@Ctx() ctx: KeyAccountsContext): Promise<ManagerEntity[]> {
    return new KeyAccountsService(ctx).managers();
  }

  @Directive(writeRule('admin'))
  @Mutation(() => KeyAccountManager, { description: 'Adds a key-account manager (not in the contract; managers must come from somewhere).' })
  createKeyAccountManager(@Arg('input', () => CreateKeyAccountManagerInput) input: CreateKeyAccountManagerInput, @Ctx() ctx: KeyAccountsContext) {
    return new KeyAccountsService(ctx).createManager(input);
  }

  @FieldResolver(() => [KeyAccount])
  keyAccounts(@Root() manager: ManagerEntity, @Ctx() ctx: KeyAccountsContext): Promise<KeyAccountEntity[]> {
    return ctx.loaders.accountsByManager.load(manager.id);
  }
}
