import type { GraphQLSchema } from 'graphql';
import { createAuditSourceResolver } from '../platform/audit.resolver';
import { buildFederatedSchema, type DataSourceOptions, type SafeLogger } from '../platform';
import { CustomerSegmentEntity } from '../platform/segment-replica';
import { BillingAccountEntity, DunningNoticeEntity, DunningRunEntity, InvoiceEntity, PaymentEntity, PaymentMethodEntity } from './billing.entity';
import type { BillingLoaders } from './billing.loaders';
import {
  CustomerBillingResolver,
  DunningNoticeResolver,
  InvoiceConnectionResolver,
  InvoiceResolver,
  KeyAccountRevenueResolver,
  PaymentResolver,
  SegmentBillingResolver,
} from './billing.resolver';
import { Customer, CustomerColumns, KeyAccount, SegmentReport } from './billing.types';
import { CustomerColumnsBillingResolver } from './customer-columns.resolver';
import { CustomerSegmentReplicaResolver } from './customer-segment.resolver';
import { CreateBilling1764000000000 } from './migrations/1764000000000-CreateBilling';
import { InvoiceNumberSequence1764400000000 } from './migrations/1764400000000-InvoiceNumberSequence';
import { DunningRunProgress1764400000001 } from './migrations/1764400000001-DunningRunProgress';
import { CustomerSegments1764500000000 } from './migrations/1764500000000-CustomerSegments';
import { SegmentReportIndex1764500000001 } from './migrations/1764500000001-SegmentReportIndex';
import { SegmentBalances1764600000000 } from './migrations/1764600000000-SegmentBalances';
import { AuditEvents1764700000000 } from './migrations/1764700000000-AuditEvents';
import { CustomerSummaryIndex1764800000000 } from './migrations/1764800000000-CustomerSummaryIndex';
import { ReceivableDays1764900000000 } from './migrations/1764900000000-ReceivableDays';
import { CollectionHandovers1765000000000 } from './migrations/1765000000000-CollectionHandovers';
import { ChangeRequests1765000000001 } from './migrations/1765000000001-ChangeRequests';
import { TimelineFeed1765100000000 } from './migrations/1765100000000-TimelineFeed';
import { PaymentChangeResolver } from './payment-change.resolver';

export function billingDataSourceOptions(logger?: SafeLogger): DataSourceOptions {
  return {
    entities: [InvoiceEntity, PaymentEntity, DunningNoticeEntity, DunningRunEntity, BillingAccountEntity, PaymentMethodEntity, CustomerSegmentEntity],
    migrations: [
      CreateBilling1764000000000,
      InvoiceNumberSequence1764400000000,
      DunningRunProgress1764400000001,
      CustomerSegments1764500000000,
      SegmentReportIndex1764500000001,
      SegmentBalances1764600000000,
      AuditEvents1764700000000,
      CustomerSummaryIndex1764800000000,
      ReceivableDays1764900000000,
      CollectionHandovers1765000000000,
      ChangeRequests1765000000001,
      TimelineFeed1765100000000,
    ],
    logger,
  };
}

/** The billing subgraph's schema: pure, no I/O. */
export function buildBillingSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [
      createAuditSourceResolver('billing'),
      PaymentChangeResolver,
      CustomerBillingResolver,
      CustomerColumnsBillingResolver,
      InvoiceConnectionResolver,
      InvoiceResolver,
      PaymentResolver,
      DunningNoticeResolver,
      KeyAccountRevenueResolver,
      SegmentBillingResolver,
      CustomerSegmentReplicaResolver,
    ],
    orphanedTypes: [Customer, CustomerColumns, KeyAccount, SegmentReport],
    referenceResolvers: {
      // The representation (id, plus segment and customerSince for lifetimeValue) is the whole stub.
      Customer: { __resolveReference: (reference: Customer) => reference },
      // A page of customers as columns: its ids (and required columns) are all its fields need.
      CustomerColumns: { __resolveReference: (reference: CustomerColumns) => reference },
      KeyAccount: { __resolveReference: (reference: KeyAccount) => reference },
      SegmentReport: { __resolveReference: (reference: SegmentReport) => reference },
      Invoice: {
        __resolveReference: (reference: { id: string }, ctx: { loaders: BillingLoaders }) => ctx.loaders.invoiceById.load(reference.id),
      },
    },
  });
}
