import type DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { LoaderFamily, manyByKey, oneByKey, sqlInstant, valueByKey, type Clock } from '../platform';
import type { ClaimEntity, ClaimEventEntity, ComplaintEntity } from './claims.entity';
import { OPEN_CLAIM_STATUSES, OPEN_COMPLAINT_STATUSES, type SlaPolicy } from './claims.policy';
import { ClaimsRepository, type OpenCounts, type TimeCursor } from './claims.repository';
import { SegmentReportRepository } from './segment-report.repository';

/** What claims needs beyond the database: the SLA policy, and where invoices are checked. */
export interface ClaimsSettings {
  sla: SlaPolicy;
  invoices: InvoiceDirectory;
  /** The deployment's one currency (CURRENCY, default EUR). */
  currency: string;
}

/** Whether an invoice exists in billing and whose it is. */
export interface InvoiceDirectory {
  find(ids: string[]): Promise<Map<string, { id: string; customerId: string }>>;
}

interface PageArgs {
  statuses?: string[];
  after?: TimeCursor;
  limit: number;
}

/** The per-request bundle: DataLoaders (one statement per field per fetch) and settings. */
export interface ClaimsLoaders {
  settings: ClaimsSettings;
  repository: ClaimsRepository;
  claimById: DataLoader<string, ClaimEntity | null>;
  complaintById: DataLoader<string, ComplaintEntity | null>;
  historyByClaim: DataLoader<string, ClaimEventEntity[]>;
  claimPages: LoaderFamily<string, ClaimEntity[]>;
  claimCounts: LoaderFamily<string, number>;
  complaintPages: LoaderFamily<string, ComplaintEntity[]>;
  complaintCounts: LoaderFamily<string, number>;
  /** Open claims and complaints per customer: one statement for both fields. */
  openCounts: DataLoader<string, OpenCounts>;
  complaintsByInvoice: DataLoader<string, ComplaintEntity[]>;
  openComplaintsByInvoice: DataLoader<string, number>;
  /** Open complaints per segment (SegmentReport.openComplaintCount): one statement for every segment asked. */
  openComplaintsBySegment: DataLoader<string, number>;
}

export function createClaimsLoaders(settings: ClaimsSettings) {
  return (dataSource: DataSource, _clock: Clock): ClaimsLoaders => {
    const repository = new ClaimsRepository(dataSource.manager, (d) => sqlInstant(dataSource, d));
    const statuses = (json: string) => (JSON.parse(json) as string[] | null) ?? undefined;
    return {
      settings,
      repository,
      claimById: oneByKey(
        (ids) => repository.claimsByIds(ids),
        (c) => c.id,
      ),
      complaintById: oneByKey(
        (ids) => repository.complaintsByIds(ids),
        (c) => c.id,
      ),
      historyByClaim: manyByKey(
        (ids) => repository.eventsByClaimIds(ids),
        (e) => e.claimId,
      ),
      claimPages: new LoaderFamily((json) => {
        const a = JSON.parse(json) as PageArgs;
        return manyByKey(
          (ids) => repository.claimPages(ids, a.statuses, a.after, a.limit),
          (c) => c.customerId,
        );
      }),
      claimCounts: new LoaderFamily((json) => valueByKey((ids) => repository.claimCounts(ids, statuses(json)), 0)),
      complaintPages: new LoaderFamily((json) => {
        const a = JSON.parse(json) as PageArgs;
        return manyByKey(
          (ids) => repository.complaintPages(ids, a.statuses, a.after, a.limit),
          (c) => c.customerId,
        );
      }),
      complaintCounts: new LoaderFamily((json) => valueByKey((ids) => repository.complaintCounts(ids, statuses(json)), 0)),
      openCounts: valueByKey((ids) => repository.openCounts(ids, OPEN_CLAIM_STATUSES, OPEN_COMPLAINT_STATUSES), { claims: 0, complaints: 0 }),
      complaintsByInvoice: manyByKey(
        (ids) => repository.complaintsByInvoiceIds(ids),
        (c) => c.invoiceId!,
      ),
      openComplaintsByInvoice: valueByKey((ids) => repository.openComplaintsPerInvoice(ids, OPEN_COMPLAINT_STATUSES), 0),
      openComplaintsBySegment: valueByKey((segments) => new SegmentReportRepository(dataSource.manager).openComplaints(segments, OPEN_COMPLAINT_STATUSES), 0),
    };
  };
}
