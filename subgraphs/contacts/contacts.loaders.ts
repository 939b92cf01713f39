import type DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { LoaderFamily, addDaysUtc, manyByKey, oneByKey, utcDate, valueByKey, type Clock } from '../platform';
import type { ContactPersonEntity } from './contact-person.entity';
import { ContactPersonRepository } from './contact-person.repository';
import type { InteractionEntity } from './interaction.entity';
import { InteractionRepository, type InteractionCursor, type InteractionFilter } from './interaction.repository';
import { SegmentReportRepository } from './segment-report.repository';

/** Canonical loader-family key of a filter: equal filters batch together. */
export function filterKey(filter: InteractionFilter): string {
  return JSON.stringify({ channels: filter.channels ? [...new Set(filter.channels)].sort() : undefined, since: filter.since?.toISOString() });
}

/** Per-request loaders: one SQL statement per field per fetch, however many customers. */
export interface ContactsLoaders {
  interactionById: DataLoader<string, InteractionEntity | null>;
  interactionPages: LoaderFamily<string, InteractionEntity[]>;
  interactionCounts: LoaderFamily<string, number>;
  contactPersonsByCustomer: DataLoader<string, ContactPersonEntity[]>;
  /** Last contact and mean rating over the last RECENT_SATISFACTION_DAYS: one statement serves both fields. */
  figuresByCustomer: DataLoader<string, ContactFigures>;
  /** SegmentReport.recentInteractionCount per segment: one statement for every segment asked. */
  recentInteractionsBySegment: DataLoader<string, number>;
}

/** A customer's figures from its interactions; a customer without any has NO_FIGURES. */
export interface ContactFigures {
  lastContactAt: Date | null;
  /** Mean rating over the last RECENT_SATISFACTION_DAYS, null without ratings. */
  recentSatisfaction: number | null;
}

const NO_FIGURES: ContactFigures = { lastContactAt: null, recentSatisfaction: null };

/** What "recent" means for Customer.recentSatisfaction. */
export const RECENT_SATISFACTION_DAYS = 180;

/** The number of days "recent" means in SegmentReport.recentInteractionCount: today and the 89 before. */
export const RECENT_INTERACTION_DAYS = 90;

function parseFilter(json: string): InteractionFilter {
  const raw = JSON.parse(json) as { channels?: string[]; since?: string };
  return { channels: raw.channels, since: raw.since ? new Date(raw.since) : undefined };
}

export function createContactsLoaders(dataSource: DataSource, clock: Clock): ContactsLoaders {
  const interactions = new InteractionRepository(dataSource);
  const persons = ContactPersonRepository.of(dataSource);
  return {
    interactionById: oneByKey(
      (ids) => interactions.findByIds(ids),
      (i) => i.id,
    ),
    interactionPages: new LoaderFamily((json) => {
      const args = JSON.parse(json) as { filter: string; after?: InteractionCursor; limit: number };
      return manyByKey(
        (ids) => interactions.pages(ids, parseFilter(args.filter), args.after, args.limit),
        (i) => i.customerId,
      );
    }),
    interactionCounts: new LoaderFamily((filter) => valueByKey((ids) => interactions.counts(ids, parseFilter(filter)), 0)),
    contactPersonsByCustomer: manyByKey(
      (ids) => persons.findByCustomerIds(ids),
      (p) => p.customerId,
    ),
    figuresByCustomer: valueByKey<ContactFigures>(async (ids) => {
      const since = new Date(clock.now().getTime() - RECENT_SATISFACTION_DAYS * 86_400_000);
      const rows = await interactions.figures(ids, since);
      return new Map(
        [...rows].map(([id, r]) => [id, { lastContactAt: r.lastContactAt, recentSatisfaction: r.ratingCount === 0 ? null : r.ratingSum / r.ratingCount }]),
      );
    }, NO_FIGURES),
    recentInteractionsBySegment: valueByKey((segments) => {
      // Whole UTC days: from 00:00 of the 89th day before the request's today.
      const since = new Date(`${addDaysUtc(utcDate(clock.now()), -(RECENT_INTERACTION_DAYS - 1))}T00:00:00.000Z`);
      return new SegmentReportRepository(dataSource).interactionsSince(segments, since);
    }, 0),
  };
}
