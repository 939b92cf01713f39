import { Arg, Ctx, Directive, FieldResolver, Float, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { writeRule } from '../platform/access';
import { RECENT_INTERACTION_DAYS, RECENT_SATISFACTION_DAYS } from './contacts.loaders';
import { CONNECTION_LIST_SIZE, Channel, DateScalar, DateTimeScalar, REPORT_COST, REPORT_LIST_SIZE } from '../platform';
import type { ContactPersonEntity } from './contact-person.entity';
import { ContactPersonService } from './contact-person.service';
import {
  ContactPerson,
  ContactPersonInput,
  Customer,
  Interaction,
  InteractionConnection,
  InteractionDimension,
  InteractionStat,
  LogInteractionInput,
  SegmentReport,
} from './contacts.types';
import type { InteractionEntity } from './interaction.entity';
import { InteractionService, type ContactsContext, type InteractionPage } from './interaction.service';

/** What this subgraph adds to Customer; each field is one batched statement per fetch. */
@Resolver(() => Customer)
export class CustomerContactsResolver {
  @Directive(CONNECTION_LIST_SIZE)
  @FieldResolver(() => InteractionConnection, { nullable: true, description: 'Newest first.' })
  interactions(
    @Root() customer: Customer,
    @Ctx() ctx: ContactsContext,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('channels', () => [Channel], { nullable: true }) channels?: Channel[] | null,
    @Arg('since', () => DateTimeScalar, { nullable: true }) since?: Date | null,
  ): Promise<InteractionPage> {
    return new InteractionService(ctx).customerPage(customer.id, { first, after, channels, since });
  }

  @FieldResolver(() => [ContactPerson], { nullable: true })
  contactPersons(@Root() customer: Customer, @Ctx() ctx: ContactsContext): Promise<ContactPersonEntity[]> {
    return new ContactPersonService(ctx).forCustomer(customer.id);
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description: `Mean satisfaction (1-5) of the customer's rated interactions in the last ${RECENT_SATISFACTION_DAYS} days; null when none was rated.`,
  })
  recentSatisfaction(@Root() customer: Customer, @Ctx() ctx: ContactsContext): Promise<number | null> {
    return new InteractionService(ctx).recentSatisfaction(customer.id);
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true, description: 'occurredAt of the newest interaction; null when there is none.' })
  lastContactAt(@Root() customer: Customer, @Ctx() ctx: ContactsContext): Promise<Date | null> {
    return new InteractionService(ctx).lastContactAt(customer.id);
  }

  /**
   * True once contacts has read the customer's figures (the batch of
   * lastContactAt). lastContactAt and recentSatisfaction are null for a
   * customer without (rated) contacts as well as when contacts is down or its
   * read failed; healthScore @requires this marker to tell them apart. Not in
   * the public API.
   */
  @Directive('@inaccessible')
  @FieldResolver(() => Boolean, { nullable: true })
  async contactDataAvailable(@Root() customer: Customer, @Ctx() ctx: ContactsContext): Promise<boolean> {
    await new InteractionService(ctx).lastContactAt(customer.id);
    return true;
  }
}

@Resolver(() => InteractionConnection)
export class InteractionConnectionResolver {
  @FieldResolver(() => Int)
  totalCount(@Root() page: InteractionPage): Promise<number> {
    return page.count();
  }
}

@Resolver(() => Interaction)
export class InteractionResolver {
  @Query(() => Interaction, { nullable: true })
  interaction(@Arg('id', () => ID) id: string, @Ctx() ctx: ContactsContext): Promise<InteractionEntity | null> {
    return new InteractionService(ctx).get(id);
  }

  @Directive(REPORT_COST)
  @Directive(REPORT_LIST_SIZE)
  @Query(() => [InteractionStat], { description: 'Interactions with occurredAt in [from, to] (whole days, UTC), grouped.' })
  interactionStats(
    @Arg('from', () => DateScalar) from: string,
    @Arg('to', () => DateScalar) to: string,
    @Arg('groupBy', () => InteractionDimension) groupBy: InteractionDimension,
    @Ctx() ctx: ContactsContext,
  ): Promise<InteractionStat[]> {
    return new InteractionService(ctx).stats(from, to, groupBy);
  }

  @Directive(writeRule('agent'))
  @Mutation(() => Interaction)
  logInteraction(@Arg('input', () => LogInteractionInput) input: LogInteractionInput, @Ctx() ctx: ContactsContext) {
    return new InteractionService(ctx).log(input);
  }

  @FieldResolver(() => Customer)
  customer(@Root() interaction: InteractionEntity): Customer {
    return { id: interaction.customerId };
  }
}

@Resolver(() => ContactPerson)
export class ContactPersonResolver {
  @Directive(writeRule('agent'))
  @Mutation(() => ContactPerson)
  addContactPerson(@Arg('input', () => ContactPersonInput) input: ContactPersonInput, @Ctx() ctx: ContactsContext) {
    return new ContactPersonService(ctx).add(input);
  }

  @FieldResolver(() => Customer)
  customer(@Root() person: ContactPersonEntity): Customer {
    return { id: person.customerId };
  }

  @FieldResolver(() => Boolean)
  primary(@Root() person: ContactPersonEntity): boolean {
    return person.primaryMarker === 1;
  }
}

/** Contacts' figure of a customer segment, counted in SQL over the segment's customers as this subgraph's replica knows them. */
@Resolver(() => SegmentReport)
export class SegmentContactsResolver {
  @FieldResolver(() => Int, { description: `The segment's customers' interactions in the ${RECENT_INTERACTION_DAYS} days up to today.` })
  recentInteractionCount(@Root() report: SegmentReport, @Ctx() ctx: ContactsContext): Promise<number> {
    return ctx.loaders.recentInteractionsBySegment.load(report.segment);
  }
}
