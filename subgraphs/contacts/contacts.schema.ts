import type { GraphQLSchema } from 'graphql';
import { createAuditSourceResolver } from '../platform/audit.resolver';
import { buildFederatedSchema, type DataSourceOptions, type SafeLogger } from '../platform';
import type { ContactsLoaders } from './contacts.loaders';
import { CustomerSegmentEntity } from '../platform/segment-replica';
import { ContactPersonEntity } from './contact-person.entity';
import {
  ContactPersonResolver,
  CustomerContactsResolver,
  InteractionConnectionResolver,
  InteractionResolver,
  SegmentContactsResolver,
} from './contacts.resolver';
import { Customer, CustomerColumns, SegmentReport } from './contacts.types';
import { CustomerColumnsContactsResolver } from './customer-columns.resolver';
import { CustomerSegmentReplicaResolver } from './customer-segment.resolver';
import { InteractionEntity } from './interaction.entity';
import { CreateContacts1763900000000 } from './migrations/1763900000000-CreateContacts';
import { InteractionStatsIndex1764300000000 } from './migrations/1764300000000-InteractionStatsIndex';
import { CustomerSegments1764500000000 } from './migrations/1764500000000-CustomerSegments';
import { RecentInteractionsIndex1764500000001 } from './migrations/1764500000001-RecentInteractionsIndex';
import { SegmentInteractionDays1764600000000 } from './migrations/1764600000000-SegmentInteractionDays';
import { AuditEvents1764700000000 } from './migrations/1764700000000-AuditEvents';
import { CustomerFiguresIndex1764800000000 } from './migrations/1764800000000-CustomerFiguresIndex';
import { InteractionStatDays1764900000000 } from './migrations/1764900000000-InteractionStatDays';
import { TimelineFeed1765100000000 } from './migrations/1765100000000-TimelineFeed';

export function contactsDataSourceOptions(logger?: SafeLogger): DataSourceOptions {
  return {
    entities: [InteractionEntity, ContactPersonEntity, CustomerSegmentEntity],
    migrations: [
      CreateContacts1763900000000,
      InteractionStatsIndex1764300000000,
      CustomerSegments1764500000000,
      RecentInteractionsIndex1764500000001,
      SegmentInteractionDays1764600000000,
      AuditEvents1764700000000,
      CustomerFiguresIndex1764800000000,
      InteractionStatDays1764900000000,
      TimelineFeed1765100000000,
    ],
    logger,
  };
}

/** The contacts subgraph's schema: pure, no I/O. */
export function buildContactsSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [
      createAuditSourceResolver('contacts'),
      CustomerContactsResolver,
      CustomerColumnsContactsResolver,
      InteractionConnectionResolver,
      InteractionResolver,
      ContactPersonResolver,
      SegmentContactsResolver,
      CustomerSegmentReplicaResolver,
    ],
    orphanedTypes: [Customer, CustomerColumns, SegmentReport],
    // A Customer reference needs nothing from this database: the id is the whole stub.
    referenceResolvers: {
      Customer: { __resolveReference: (reference: { id: string }) => ({ id: reference.id }) },
      CustomerColumns: { __resolveReference: (reference: CustomerColumns) => reference },
      SegmentReport: { __resolveReference: (reference: SegmentReport) => reference },
      // The customer timeline refers to interactions by id.
      Interaction: {
        __resolveReference: (reference: { id: string }, ctx: { loaders: ContactsLoaders }) => ctx.loaders.interactionById.load(reference.id),
      },
    },
  });
}
