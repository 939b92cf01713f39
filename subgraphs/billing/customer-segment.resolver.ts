import { Arg, Ctx, Directive, Int, Mutation, Resolver } from 'type-graphql';
import { writeRule } from '../platform/access';
import { replicateCustomerSegments, replicationMutation } from '../platform/segment-replica';
import { CustomerSegmentInput } from './billing.types';
import type { BillingContext } from './invoice.service';

/**
 * Receives the customers subgraph's segment changes into this subgraph's
 * replica (customer_segments), which SegmentReport joins against. Called by
 * the customers outbox directly, never through the gateway: @inaccessible.
 */
@Resolver()
export class CustomerSegmentReplicaResolver {
  @Directive('@inaccessible')
  @Directive(writeRule('service'))
  @Mutation(() => Int, {
    name: replicationMutation('billing'),
    description: 'Applies segment changes; a row only replaces a stored row of a lower version. Answers the number of rows accepted.',
  })
  replicateCustomerSegments(@Arg('rows', () => [CustomerSegmentInput]) rows: CustomerSegmentInput[], @Ctx() ctx: BillingContext): Promise<number> {
    return replicateCustomerSegments(ctx.dataSource, rows, ctx.clock.now());
  }
}
