import { Arg, Ctx, Directive, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { CONNECTION_LIST_SIZE, DateTimeScalar } from '../platform';
import type { TimelineKind } from '../platform/timeline';
import type { CustomerEntity } from './customer.entity';
import type { CustomersContext } from './customer.service';
import { Customer } from './customer.types';
import { ChangeRequestTimelineEvent, CustomerTimelineEvent, TimelineConnection, TimelineKind as TimelineKindEnum, toTimelineEvent } from './timeline.types';
import { timelineArgs } from './timeline.service';
import { ChangeRequest } from '../platform/change-request.types';
import { writeRule } from '../platform/access';
import { ChangeRequestService } from './change-request.service';

@Resolver(() => Customer)
export class CustomerTimelineResolver {
  @Directive(CONNECTION_LIST_SIZE)
  @FieldResolver(() => TimelineConnection, {
    description:
      'Everything that happened to the customer in every domain, newest first (same instant: by domain, then newest). first defaults to 20, at most 100; from inclusive, to exclusive.',
  })
  async timeline(
    @Root() customer: CustomerEntity,
    @Ctx() ctx: CustomersContext,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('kinds', () => [TimelineKindEnum], { nullable: true }) kinds?: TimelineKind[] | null,
    @Arg('from', () => DateTimeScalar, { nullable: true }) from?: Date | null,
    @Arg('to', () => DateTimeScalar, { nullable: true }) to?: Date | null,
  ) {
    const page = await ctx.loaders.timeline.load({ customerId: customer.id, args: timelineArgs(first, after, kinds, from, to) });
    return { nodes: page.nodes.map(toTimelineEvent), pageInfo: page.pageInfo };
  }
}

@Resolver(() => CustomerTimelineEvent)
export class CustomerEventResolver {
  @FieldResolver(() => Customer)
  async customer(@Root() event: { entityId: string }, @Ctx() ctx: CustomersContext): Promise<CustomerEntity | null> {
    return ctx.loaders.customerById.load(event.entityId);
  }
}

@Resolver(() => ChangeRequestTimelineEvent)
export class ChangeRequestEventResolver {
  @Directive(writeRule('agent'))
  @FieldResolver(() => ChangeRequest, { nullable: true })
  changeRequest(@Root() event: { entityId: string }, @Ctx() ctx: CustomersContext): Promise<ChangeRequest | null> {
    return new ChangeRequestService(ctx).byId(event.entityId);
  }
}
