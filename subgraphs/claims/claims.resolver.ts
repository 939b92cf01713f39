import { Arg, Ctx, Directive, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { writeRule } from '../platform/access';
import { CONNECTION_LIST_SIZE, DateScalar, DecimalScalar, Money, REPORT_COST, REPORT_LIST_SIZE, money, type MoneyValue } from '../platform';
import { ClaimService, type ClaimsContext, type CountedPage } from './claim.service';
import type { ClaimEntity, ClaimEventEntity, ComplaintEntity } from './claims.entity';
import {
  Claim,
  ClaimConnection,
  ClaimDimension,
  ClaimEvent,
  ClaimStat,
  ClaimStatus,
  Complaint,
  ComplaintConnection,
  ComplaintStatus,
  Customer,
  FileComplaintInput,
  Invoice,
  ReportClaimInput,
  SegmentReport,
  Sla,
  SlaDimension,
  SlaStat,
} from './claims.types';
import { ComplaintService } from './complaint.service';

/** What claims adds to Customer, batched across the customers of a fetch. */
@Resolver(() => Customer)
export class CustomerClaimsResolver {
  @Directive(CONNECTION_LIST_SIZE)
  @FieldResolver(() => ClaimConnection, { nullable: true, description: 'Newest first.' })
  claims(
    @Root() customer: Customer,
    @Ctx() ctx: ClaimsContext,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('statuses', () => [ClaimStatus], { nullable: true }) statuses?: ClaimStatus[] | null,
  ) {
    return new ClaimService(ctx).customerPage(customer.id, { first, after, statuses });
  }

  @Directive(CONNECTION_LIST_SIZE)
  @FieldResolver(() => ComplaintConnection, { nullable: true, description: 'Newest first.' })
  complaints(
    @Root() customer: Customer,
    @Ctx() ctx: ClaimsContext,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('statuses', () => [ComplaintStatus], { nullable: true }) statuses?: ComplaintStatus[] | null,
  ) {
    return new ComplaintService(ctx).customerPage(customer.id, { first, after, statuses });
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Claims in REPORTED, IN_REVIEW or APPROVED.' })
  async openClaimCount(@Root() customer: Customer, @Ctx() ctx: ClaimsContext): Promise<number> {
    return (await ctx.loaders.openCounts.load(customer.id)).claims;
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Complaints in OPEN, IN_PROGRESS or ESCALATED.' })
  async openComplaintCount(@Root() customer: Customer, @Ctx() ctx: ClaimsContext): Promise<number> {
    return (await ctx.loaders.openCounts.load(customer.id)).complaints;
  }
}

@Resolver(() => Invoice)
export class InvoiceClaimsResolver {
  @FieldResolver(() => Boolean, { description: 'True while a complaint in OPEN, IN_PROGRESS or ESCALATED names this invoice; dunning skips it.' })
  async disputed(@Root() invoice: Invoice, @Ctx() ctx: ClaimsContext): Promise<boolean> {
    return (await ctx.loaders.openComplaintsByInvoice.load(invoice.id)) > 0;
  }

  @FieldResolver(() => [Complaint])
  complaints(@Root() invoice: Invoice, @Ctx() ctx: ClaimsContext): Promise<ComplaintEntity[]> {
    return ctx.loaders.complaintsByInvoice.load(invoice.id);
  }
}

@Resolver(() => ClaimConnection)
export class ClaimConnectionResolver {
  @FieldResolver(() => Int)
  totalCount(@Root() page: CountedPage<ClaimEntity>): Promise<number> {
    return page.count();
  }
}

@Resolver(() => ComplaintConnection)
export class ComplaintConnectionResolver {
  @FieldResolver(() => Int)
  totalCount(@Root() page: CountedPage<ComplaintEntity>): Promise<number> {
    return page.count();
  }
}

@Resolver(() => Claim)
export class ClaimResolver {
  @Query(() => Claim, { nullable: true })
  claim(@Arg('id', () => ID) id: string, @Ctx() ctx: ClaimsContext) {
    return new ClaimService(ctx).get(id);
  }

  @Directive(REPORT_COST)
  @Directive(REPORT_LIST_SIZE)
  @Query(() => [ClaimStat], { description: 'Claims reported in [from, to], grouped.' })
  claimStats(
    @Arg('from', () => DateScalar) from: string,
    @Arg('to', () => DateScalar) to: string,
    @Arg('groupBy', () => ClaimDimension) groupBy: ClaimDimension,
    @Ctx() ctx: ClaimsContext,
  ) {
    return new ClaimService(ctx).stats(from, to, groupBy);
  }

  @Directive(writeRule('agent'))
  @Mutation(() => Claim)
  reportClaim(@Arg('input', () => ReportClaimInput) input: ReportClaimInput, @Ctx() ctx: ClaimsContext) {
    return new ClaimService(ctx).report(input);
  }

  @Directive(writeRule('claims'))
  @Mutation(() => Claim, { description: 'Fails with INVALID_TRANSITION or VERSION_CONFLICT.' })
  transitionClaim(
    @Arg('id', () => ID) id: string,
    @Arg('to', () => ClaimStatus) to: ClaimStatus,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Ctx() ctx: ClaimsContext,
    @Arg('note', () => String, { nullable: true }) note?: string | null,
    @Arg('settledAmount', () => DecimalScalar, { nullable: true }) settledAmount?: string | null,
  ) {
    return new ClaimService(ctx).transition(id, to, expectedVersion, note, settledAmount);
  }

  @FieldResolver(() => Customer)
  customer(@Root() claim: ClaimEntity): Customer {
    return { id: claim.customerId };
  }

  @FieldResolver(() => Money, { nullable: true })
  claimedAmount(@Root() claim: ClaimEntity): MoneyValue | null {
    return claim.claimedMinor === null ? null : money(claim.claimedMinor, claim.currency);
  }

  @FieldResolver(() => Money, { nullable: true })
  settledAmount(@Root() claim: ClaimEntity): MoneyValue | null {
    return claim.settledMinor === null ? null : money(claim.settledMinor, claim.currency);
  }

  @FieldResolver(() => [ClaimEvent], { description: 'Oldest first.' })
  async history(@Root() claim: ClaimEntity, @Ctx() ctx: ClaimsContext) {
    const events: ClaimEventEntity[] = await ctx.loaders.historyByClaim.load(claim.id);
    return events.map((e) => ({ at: e.at, from: e.fromStatus, to: e.toStatus, note: e.note, actor: e.actor }));
  }
}

@Resolver(() => Complaint)
export class ComplaintResolver {
  @Query(() => Complaint, { nullable: true })
  complaint(@Arg('id', () => ID) id: string, @Ctx() ctx: ClaimsContext) {
    return new ComplaintService(ctx).get(id);
  }

  @Directive(REPORT_COST)
  @Directive(REPORT_LIST_SIZE)
  @Query(() => [SlaStat], { description: 'Complaints received in [from, to], grouped.' })
  slaReport(
    @Arg('from', () => DateScalar) from: string,
    @Arg('to', () => DateScalar) to: string,
    @Arg('groupBy', () => SlaDimension) groupBy: SlaDimension,
    @Ctx() ctx: ClaimsContext,
  ) {
    return new ComplaintService(ctx).slaReport(from, to, groupBy);
  }

  @Directive(writeRule('agent'))
  @Mutation(() => Complaint)
  fileComplaint(@Arg('input', () => FileComplaintInput) input: FileComplaintInput, @Ctx() ctx: ClaimsContext) {
    return new ComplaintService(ctx).file(input);
  }

  @Directive(writeRule('agent'))
  @Mutation(() => Complaint)
  respondToComplaint(@Arg('id', () => ID) id: string, @Arg('message') message: string, @Ctx() ctx: ClaimsContext) {
    return new ComplaintService(ctx).respond(id, message);
  }

  @Directive(writeRule('claims'))
  @Mutation(() => Complaint)
  escalateComplaint(@Arg('id', () => ID) id: string, @Arg('reason') reason: string, @Ctx() ctx: ClaimsContext) {
    return new ComplaintService(ctx).escalate(id, reason);
  }

  @Directive(writeRule('claims'))
  @Mutation(() => Complaint)
  resolveComplaint(@Arg('id', () => ID) id: string, @Arg('resolution') resolution: string, @Ctx() ctx: ClaimsContext) {
    return new ComplaintService(ctx).resolve(id, resolution);
  }

  @FieldResolver(() => Customer)
  customer(@Root() complaint: ComplaintEntity): Customer {
    return { id: complaint.customerId };
  }

  @FieldResolver(() => Sla)
  sla(@Root() complaint: ComplaintEntity, @Ctx() ctx: ClaimsContext): Sla {
    return new ComplaintService(ctx).sla(complaint);
  }

  @FieldResolver(() => Invoice, { nullable: true, description: 'The invoice this complaint disputes, if any.' })
  invoice(@Root() complaint: ComplaintEntity): Invoice | null {
    return complaint.invoiceId ? { id: complaint.invoiceId } : null;
  }
}

/** Claims' figure of a customer segment, counted in SQL over the segment's customers as this subgraph's replica knows them. */
@Resolver(() => SegmentReport)
export class SegmentClaimsResolver {
  @FieldResolver(() => Int)
  openComplaintCount(@Root() report: SegmentReport, @Ctx() ctx: ClaimsContext): Promise<number> {
    return ctx.loaders.openComplaintsBySegment.load(report.segment);
  }
}
