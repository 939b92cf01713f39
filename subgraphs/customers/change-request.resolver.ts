import { Arg, Ctx, Directive, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { CONNECTION_LIST_SIZE, PageInfo, type Page } from '../platform';
import { writeRule } from '../platform/access';
import { ChangeRequest, ChangeRequestEntity, ChangeRequestStatus } from '../platform/change-request.types';
import type { CustomerEntity } from './customer.entity';
import type { CustomersContext } from './customer.service';
import { Customer, UpdateCustomerInput } from './customer.types';
import { ChangeRequestService } from './change-request.service';

@ObjectType({ description: 'A page of change requests, newest first.' })
export class ChangeRequestConnection {
  @Field(() => [ChangeRequest])
  nodes!: ChangeRequest[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

/** Four-eyes change requests (README, "Change requests"); payment-method requests are made in billing (requestPaymentMethodChange). */
@Resolver()
export class ChangeRequestResolver {
  @Directive(writeRule('agent'))
  @Mutation(() => ChangeRequest, {
    description:
      'Asks for a change of customer master data that needs a second person. Fails with VERSION_CONFLICT when expectedVersion is not the stored version; approval applies it only if the customer is still at that version (else SUPERSEDED).',
  })
  requestCustomerChange(
    @Arg('customerId', () => ID) customerId: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('input', () => UpdateCustomerInput) input: UpdateCustomerInput,
    @Arg('reason') reason: string,
    @Ctx() ctx: CustomersContext,
  ): Promise<ChangeRequest> {
    return new ChangeRequestService(ctx).requestCustomerChange(customerId, expectedVersion, input, reason);
  }

  @Directive(writeRule('supervisor'))
  @Mutation(() => ChangeRequest, {
    description:
      'Approves and applies a PENDING request: FORBIDDEN for its requester; SUPERSEDED (nothing written) when the data changed since; INVALID_TRANSITION once decided or expired.',
  })
  approveChangeRequest(@Arg('id', () => ID) id: string, @Ctx() ctx: CustomersContext): Promise<ChangeRequest> {
    return new ChangeRequestService(ctx).decide(id, true, null);
  }

  @Directive(writeRule('supervisor'))
  @Mutation(() => ChangeRequest, { description: 'Rejects a PENDING request (nothing written): FORBIDDEN for its requester.' })
  rejectChangeRequest(@Arg('id', () => ID) id: string, @Arg('reason') reason: string, @Ctx() ctx: CustomersContext): Promise<ChangeRequest> {
    return new ChangeRequestService(ctx).decide(id, false, reason);
  }

  @Directive(writeRule('agent'))
  @Directive(CONNECTION_LIST_SIZE)
  @Query(() => ChangeRequestConnection, { description: 'Change requests of every store, newest first; first defaults to 20, at most 100.' })
  changeRequests(
    @Ctx() ctx: CustomersContext,
    @Arg('status', () => ChangeRequestStatus, { nullable: true }) status?: ChangeRequestStatus | null,
    @Arg('entity', () => ChangeRequestEntity, { nullable: true }) entity?: ChangeRequestEntity | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<Page<ChangeRequest>> {
    return new ChangeRequestService(ctx).page(status, entity, first, after);
  }
}

@Resolver(() => Customer)
export class CustomerChangeRequestResolver {
  @Directive(writeRule('agent'))
  @FieldResolver(() => [ChangeRequest], { description: "The customer's PENDING change requests (master data and payment method), newest first." })
  pendingChanges(@Root() customer: CustomerEntity, @Ctx() ctx: CustomersContext): Promise<ChangeRequest[]> {
    return new ChangeRequestService(ctx).pending(customer.id);
  }
}
