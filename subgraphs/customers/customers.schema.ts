import type { GraphQLSchema } from 'graphql';
import { AuditResolver } from './audit.resolver';
import { buildFederatedSchema, type DataSourceOptions, type SafeLogger } from '../platform';
import { AddressEntity, CustomerEntity } from './customer.entity';
import { CustomerColumnsHintsResolver, CustomerColumnsResolver, resolveColumnsReference } from './customer-columns.resolver';
import { CustomerConnectionResolver, CustomerResolver, resolveCustomerReference } from './customer.resolver';
import { SegmentReportResolver, resolveSegmentReference } from './segment-report';
import { CreateCustomers1763800000000 } from './migrations/1763800000000-CreateCustomers';
import { CustomerNumberSequence1764400000000 } from './migrations/1764400000000-CustomerNumberSequence';
import { SegmentOutbox1764500000000 } from './migrations/1764500000000-SegmentOutbox';
import { SegmentStatusIndex1764500000001 } from './migrations/1764500000001-SegmentStatusIndex';
import { AuditEvents1764700000000 } from './migrations/1764700000000-AuditEvents';
import { SegmentOutboxEntity } from './segment-outbox.entity';
import { ChangeRequestEventResolver, CustomerEventResolver, CustomerTimelineResolver } from './timeline.resolver';
import { TIMELINE_EVENT_TYPES } from './timeline.types';
import { ChangeRequestResolver, CustomerChangeRequestResolver } from './change-request.resolver';
import { ChangeRequests1765000000001 } from './migrations/1765000000001-ChangeRequests';
import { TimelineProjection1765100000000 } from './migrations/1765100000000-TimelineProjection';

/** Entities and migrations of the customers database; `logger` lets tests count statements. */
export function customersDataSourceOptions(logger?: SafeLogger): DataSourceOptions {
  return {
    entities: [CustomerEntity, AddressEntity, SegmentOutboxEntity],
    migrations: [
      CreateCustomers1763800000000,
      CustomerNumberSequence1764400000000,
      SegmentOutbox1764500000000,
      SegmentStatusIndex1764500000001,
      AuditEvents1764700000000,
      ChangeRequests1765000000001,
      TimelineProjection1765100000000,
    ],
    logger,
  };
}

/** The customers subgraph's schema: pure, no I/O, so composition and tests reuse it. */
export function buildCustomersSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [
      CustomerResolver,
      CustomerConnectionResolver,
      CustomerColumnsResolver,
      CustomerColumnsHintsResolver,
      SegmentReportResolver,
      AuditResolver,
      CustomerTimelineResolver,
      CustomerEventResolver,
      ChangeRequestEventResolver,
      ChangeRequestResolver,
      CustomerChangeRequestResolver,
    ],
    orphanedTypes: TIMELINE_EVENT_TYPES,
    referenceResolvers: {
      Customer: { __resolveReference: resolveCustomerReference },
      CustomerColumns: { __resolveReference: resolveColumnsReference },
      SegmentReport: { __resolveReference: resolveSegmentReference },
    },
  });
}
