import type { GraphQLSchema } from 'graphql';
import { createAuditSourceResolver } from '../platform/audit.resolver';
import { buildFederatedSchema, type DataSourceOptions, type SafeLogger } from '../platform';
import type { ClaimsLoaders } from './claims.loaders';
import { CustomerSegmentEntity } from '../platform/segment-replica';
import { ClaimEntity, ClaimEventEntity, ComplaintEntity, ComplaintEventEntity } from './claims.entity';
import {
  ClaimConnectionResolver,
  ClaimResolver,
  ComplaintConnectionResolver,
  ComplaintResolver,
  CustomerClaimsResolver,
  InvoiceClaimsResolver,
  SegmentClaimsResolver,
} from './claims.resolver';
import { Customer, CustomerColumns, Invoice, SegmentReport } from './claims.types';
import { CustomerColumnsClaimsResolver } from './customer-columns.resolver';
import { CustomerSegmentReplicaResolver } from './customer-segment.resolver';
import { CreateClaims1764100000000 } from './migrations/1764100000000-CreateClaims';
import { ClaimNumberSequence1764400000000 } from './migrations/1764400000000-ClaimNumberSequence';
import { CustomerSegments1764500000000 } from './migrations/1764500000000-CustomerSegments';
import { AuditEvents1764700000000 } from './migrations/1764700000000-AuditEvents';
import { ReportDays1764900000000 } from './migrations/1764900000000-ReportDays';
import { TimelineFeed1765100000000 } from './migrations/1765100000000-TimelineFeed';

export function claimsDataSourceOptions(logger?: SafeLogger): DataSourceOptions {
  return {
    entities: [ClaimEntity, ClaimEventEntity, ComplaintEntity, ComplaintEventEntity, CustomerSegmentEntity],
    migrations: [
      CreateClaims1764100000000,
      ClaimNumberSequence1764400000000,
      CustomerSegments1764500000000,
      AuditEvents1764700000000,
      ReportDays1764900000000,
      TimelineFeed1765100000000,
    ],
    logger,
  };
}

/** The claims subgraph's schema: pure, no I/O. */
export function buildClaimsSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [
      createAuditSourceResolver('claims'),
      CustomerClaimsResolver,
      CustomerColumnsClaimsResolver,
      InvoiceClaimsResolver,
      ClaimConnectionResolver,
      ComplaintConnectionResolver,
      ClaimResolver,
      ComplaintResolver,
      SegmentClaimsResolver,
      CustomerSegmentReplicaResolver,
    ],
    orphanedTypes: [Customer, CustomerColumns, Invoice, SegmentReport],
    // Customer and Invoice references carry their whole stub: the id.
    referenceResolvers: {
      Customer: { __resolveReference: (reference: { id: string }) => ({ id: reference.id }) },
      Invoice: { __resolveReference: (reference: { id: string }) => ({ id: reference.id }) },
      CustomerColumns: { __resolveReference: (reference: CustomerColumns) => reference },
      SegmentReport: { __resolveReference: (reference: SegmentReport) => reference },
      // The customer timeline refers to claims and complaints by id.
      Claim: { __resolveReference: (reference: { id: string }, ctx: { loaders: ClaimsLoaders }) => ctx.loaders.claimById.load(reference.id) },
      Complaint: { __resolveReference: (reference: { id: string }, ctx: { loaders: ClaimsLoaders }) => ctx.loaders.complaintById.load(reference.id) },
    },
  });
}
