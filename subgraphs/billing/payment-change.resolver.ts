import { Arg, Ctx, Directive, ID, Mutation, Query, Resolver } from 'type-graphql';
import { writeRule } from '../platform/access';
import { changeRequestDecideField, changeRequestListField, parseChangeRequestQuery } from '../platform/change-request.peer';
import { ChangeRequest } from '../platform/change-request.types';
import { PaymentMethodInput } from './billing.types';
import type { BillingContext } from './invoice.service';
import { PaymentChangeService } from './payment-change.service';

@Resolver()
export class PaymentChangeResolver {
  @Directive(writeRule('collections'))
  @Mutation(() => ChangeRequest, {
    description: 'Asks for a new payment method (four-eyes): PENDING until a supervisor other than the requester approves or rejects it.',
  })
  requestPaymentMethodChange(
    @Arg('customerId', () => ID) customerId: string,
    @Arg('input', () => PaymentMethodInput) input: PaymentMethodInput,
    @Arg('reason') reason: string,
    @Ctx() ctx: BillingContext,
  ): Promise<ChangeRequest> {
    return new PaymentChangeService(ctx).request(customerId, input, reason);
  }

  /** The customers subgraph's approveChangeRequest/rejectChangeRequest for a request stored here, as the deciding user. */
  @Directive('@inaccessible')
  @Directive(writeRule('supervisor'))
  @Mutation(() => String, { name: changeRequestDecideField('billing') })
  async decide(
    @Arg('id', () => ID) id: string,
    @Arg('approve') approve: boolean,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Ctx() ctx: BillingContext,
  ): Promise<string> {
    return JSON.stringify(await new PaymentChangeService(ctx).decide(id, approve, reason));
  }

  /** The customers subgraph's changeRequests and pendingChanges: this subgraph's requests as JSON, newest first. */
  @Directive('@inaccessible')
  @Directive(writeRule('service'))
  @Query(() => String, { name: changeRequestListField('billing') })
  async list(@Arg('query') query: string, @Ctx() ctx: BillingContext): Promise<string> {
    const service = new PaymentChangeService(ctx);
    const rows = await service.list(parseChangeRequestQuery(query, ctx.clock.now()));
    return JSON.stringify(rows.map((r) => service.view(r)));
  }
}
