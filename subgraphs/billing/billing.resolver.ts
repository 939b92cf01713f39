import { Arg, Ctx, Directive, FieldResolver, Float, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { writeRule } from '../platform/access';
import { CONNECTION_LIST_SIZE, DateScalar, REPORT_COST, Money, money, type MoneyValue } from '../platform';
import { AccountService, KeyAccountRevenueService } from './account.service';
import type { DunningNoticeEntity, InvoiceEntity, PaymentEntity } from './billing.entity';
import {
  CreateInvoiceInput,
  Customer,
  DunningNotice,
  DunningRun,
  Invoice,
  InvoiceConnection,
  InvoiceStatus,
  KeyAccount,
  Payment,
  PaymentMethod,
  PaymentMethodInput,
  ReceivablesReport,
  RecordPaymentInput,
  SegmentReport,
} from './billing.types';
import { DunningService } from './dunning.service';
import { InvoiceService, openMinorOf, type BillingContext, type InvoicePage } from './invoice.service';

/** What billing adds to Customer; every field is batched across the customers of a fetch. */
@Resolver(() => Customer)
export class CustomerBillingResolver {
  @Directive(CONNECTION_LIST_SIZE)
  @FieldResolver(() => InvoiceConnection, { nullable: true, description: 'Newest first.' })
  invoices(
    @Root() customer: Customer,
    @Ctx() ctx: BillingContext,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('statuses', () => [InvoiceStatus], { nullable: true }) statuses?: InvoiceStatus[] | null,
    @Arg('overdueOnly', () => Boolean, { nullable: true }) overdueOnly?: boolean | null,
  ): Promise<InvoicePage> {
    return new InvoiceService(ctx).customerPage(customer.id, { first, after, statuses, overdueOnly });
  }

  @FieldResolver(() => Money, { nullable: true, description: "Sum of openAmount over the customer's invoices." })
  openBalance(@Root() customer: Customer, @Ctx() ctx: BillingContext): Promise<MoneyValue> {
    return new AccountService(ctx).openBalance(customer.id);
  }

  @FieldResolver(() => Money, { nullable: true, description: "Sum of openAmount over the customer's invoices with daysOverdue > 0." })
  overdueBalance(@Root() customer: Customer, @Ctx() ctx: BillingContext): Promise<MoneyValue> {
    return new AccountService(ctx).overdueBalance(customer.id);
  }

  @FieldResolver(() => Int, { nullable: true, description: "Highest dunningLevel among the customer's invoices with openAmount > 0; 0 when none." })
  dunningLevel(@Root() customer: Customer, @Ctx() ctx: BillingContext): Promise<number> {
    return new AccountService(ctx).dunningLevel(customer.id);
  }

  @FieldResolver(() => Boolean, { nullable: true })
  dunningBlocked(@Root() customer: Customer, @Ctx() ctx: BillingContext): Promise<boolean> {
    return new AccountService(ctx).dunningBlocked(customer.id);
  }

  @FieldResolver(() => PaymentMethod, { nullable: true })
  paymentMethod(@Root() customer: Customer, @Ctx() ctx: BillingContext): Promise<PaymentMethod | null> {
    return new AccountService(ctx).paymentMethod(customer.id);
  }

  @FieldResolver(() => Money, {
    nullable: true,
    description:
      'What the invoices earned: their totals, without cancelled invoices and without the written-off part of written-off invoices (what was paid on them counts).',
  })
  lifetimeRevenue(@Root() customer: Customer, @Ctx() ctx: BillingContext): Promise<MoneyValue> {
    return new AccountService(ctx).lifetimeRevenue(customer.id);
  }

  @Directive('@requires(fields: "segment customerSince")')
  @FieldResolver(() => Money, { nullable: true, description: 'Customer lifetime value: revenue so far plus expected future revenue (formula in the README).' })
  lifetimeValue(@Root() customer: Customer, @Ctx() ctx: BillingContext): Promise<MoneyValue> {
    return new AccountService(ctx).lifetimeValue(customer);
  }
}

@Resolver(() => InvoiceConnection)
export class InvoiceConnectionResolver {
  @FieldResolver(() => Int)
  totalCount(@Root() page: InvoicePage): Promise<number> {
    return page.count();
  }
}

@Resolver(() => Invoice)
export class InvoiceResolver {
  @Query(() => Invoice, { nullable: true })
  invoice(@Arg('id', () => ID) id: string, @Ctx() ctx: BillingContext): Promise<InvoiceEntity | null> {
    return new InvoiceService(ctx).get(id);
  }

  @Directive(REPORT_COST)
  @Query(() => ReceivablesReport)
  receivables(@Ctx() ctx: BillingContext, @Arg('asOf', () => DateScalar, { nullable: true, description: 'Defaults to today.' }) asOf?: string | null) {
    return new DunningService(ctx).receivables(asOf);
  }

  @Directive(writeRule('collections'))
  @Mutation(() => Invoice)
  createInvoice(@Arg('input', () => CreateInvoiceInput) input: CreateInvoiceInput, @Ctx() ctx: BillingContext) {
    return new InvoiceService(ctx).create(input);
  }

  @Directive(writeRule('collections'))
  @Mutation(() => Payment)
  recordPayment(@Arg('input', () => RecordPaymentInput) input: RecordPaymentInput, @Ctx() ctx: BillingContext) {
    return new InvoiceService(ctx).recordPayment(input);
  }

  @Directive(writeRule('collections'))
  @Mutation(() => DunningRun)
  runDunning(@Arg('asOf', () => DateScalar) asOf: string, @Ctx() ctx: BillingContext) {
    return new DunningService(ctx).run(asOf);
  }

  @Directive(writeRule('collections'))
  @Mutation(() => Customer)
  setDunningBlock(
    @Arg('customerId', () => ID) customerId: string,
    @Arg('blocked') blocked: boolean,
    @Arg('reason') reason: string,
    @Ctx() ctx: BillingContext,
  ) {
    return new DunningService(ctx).setBlock(customerId, blocked, reason);
  }

  @Directive(writeRule('collections'))
  @Mutation(() => PaymentMethod)
  changePaymentMethod(
    @Arg('customerId', () => ID) customerId: string,
    @Arg('input', () => PaymentMethodInput) input: PaymentMethodInput,
    @Ctx() ctx: BillingContext,
  ) {
    return new AccountService(ctx).change(customerId, input);
  }

  @FieldResolver(() => Customer)
  customer(@Root() invoice: InvoiceEntity): Customer {
    return { id: invoice.customerId };
  }

  @FieldResolver(() => Money)
  total(@Root() invoice: InvoiceEntity): MoneyValue {
    return money(invoice.totalMinor, invoice.currency);
  }

  @FieldResolver(() => Money, { description: 'total minus payments received; 0 for CANCELLED and WRITTEN_OFF invoices.' })
  openAmount(@Root() invoice: InvoiceEntity): MoneyValue {
    return money(openMinorOf(invoice), invoice.currency);
  }

  @FieldResolver(() => Int, { description: 'Days past the due date while an amount is open; 0 otherwise.' })
  daysOverdue(@Root() invoice: InvoiceEntity, @Ctx() ctx: BillingContext): number {
    return new InvoiceService(ctx).daysOverdue(invoice);
  }

  @FieldResolver(() => [DunningNotice])
  dunningNotices(@Root() invoice: InvoiceEntity, @Ctx() ctx: BillingContext): Promise<DunningNoticeEntity[]> {
    return ctx.loaders.noticesByInvoice.load(invoice.id);
  }

  @FieldResolver(() => [Payment])
  payments(@Root() invoice: InvoiceEntity, @Ctx() ctx: BillingContext): Promise<PaymentEntity[]> {
    return ctx.loaders.paymentsByInvoice.load(invoice.id);
  }
}

@Resolver(() => Payment)
export class PaymentResolver {
  @FieldResolver(() => Money)
  amount(@Root() payment: PaymentEntity): MoneyValue {
    return money(payment.amountMinor, payment.currency);
  }
}

@Resolver(() => DunningNotice)
export class DunningNoticeResolver {
  @FieldResolver(() => Money)
  fee(@Root() notice: DunningNoticeEntity, @Ctx() ctx: BillingContext): MoneyValue {
    return money(notice.feeMinor, ctx.loaders.settings.policy.currency);
  }

  @FieldResolver(() => Money, { description: 'Default interest accrued up to issuedOn.' })
  interest(@Root() notice: DunningNoticeEntity, @Ctx() ctx: BillingContext): MoneyValue {
    return money(notice.interestMinor, ctx.loaders.settings.policy.currency);
  }
}

/** Billing's side of KeyAccount: revenue of the members, against the target. */
@Resolver(() => KeyAccount)
export class KeyAccountRevenueResolver {
  @Directive('@requires(fields: "memberIds")')
  @FieldResolver(() => Money, {
    description:
      "What the members' invoices issued this calendar year earned: totals, without cancelled invoices and without the written-off part of written-off invoices (from billing).",
  })
  revenueYearToDate(@Root() account: KeyAccount, @Ctx() ctx: BillingContext): Promise<MoneyValue> {
    return new KeyAccountRevenueService(ctx).revenueYearToDate(account);
  }

  @Directive('@requires(fields: "memberIds annualRevenueTarget { amount }")')
  @FieldResolver(() => Float, { description: 'revenueYearToDate / (annualRevenueTarget x share of the year elapsed).' })
  targetAttainment(@Root() account: KeyAccount, @Ctx() ctx: BillingContext): Promise<number> {
    return new KeyAccountRevenueService(ctx).targetAttainment(account);
  }
}

/**
 * Billing's figures of a customer segment, summed in SQL over the segment's
 * customers as this subgraph's replica knows them: the gateway sends only
 * the segment.
 */
@Resolver(() => SegmentReport)
export class SegmentBillingResolver {
  @FieldResolver(() => Money)
  async openBalance(@Root() report: SegmentReport, @Ctx() ctx: BillingContext): Promise<MoneyValue> {
    return money((await ctx.loaders.segmentBalances.load(report.segment)).openMinor, ctx.loaders.settings.policy.currency);
  }

  @FieldResolver(() => Money)
  async overdueBalance(@Root() report: SegmentReport, @Ctx() ctx: BillingContext): Promise<MoneyValue> {
    return money((await ctx.loaders.segmentBalances.load(report.segment)).overdueMinor, ctx.loaders.settings.policy.currency);
  }
}
