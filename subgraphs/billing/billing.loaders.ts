import type DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { LoaderFamily, manyByKey, oneByKey, utcDate, valueByKey, type Clock } from '../platform';
import type { BillingAccountEntity, DunningNoticeEntity, InvoiceEntity, PaymentEntity, PaymentMethodEntity } from './billing.entity';
import type { BillingPolicy } from './billing.policy';
import { DEFAULT_FOUR_EYES, type FourEyesPolicy } from '../platform/change-request';
import { BillingRepository, EMPTY_SUMMARY, type AccountSummary, type InvoiceCursor, type InvoiceFilter } from './billing.repository';
import type { DisputeSource } from './dispute-source';
import { NO_BALANCES, SegmentReportRepository, type SegmentBalances } from './segment-report.repository';

/** Settings every billing request needs: the policy, and where disputes come from. */
export interface BillingSettings {
  policy: BillingPolicy;
  /** Whether payment-method changes take a second person, and for how long a request waits (platform/change-request.ts). */
  fourEyes: FourEyesPolicy;
  disputes: DisputeSource;
}

/** The per-request bundle of billing: DataLoaders (one statement per field per fetch) and settings. */
export interface BillingLoaders {
  settings: BillingSettings;
  /** "Today" of this request, in UTC, fixed for the whole request. */
  today: string;
  invoiceById: DataLoader<string, InvoiceEntity | null>;
  invoicePages: LoaderFamily<string, InvoiceEntity[]>;
  invoiceCounts: LoaderFamily<string, number>;
  summaryByCustomer: DataLoader<string, AccountSummary>;
  accountByCustomer: DataLoader<string, BillingAccountEntity | null>;
  paymentMethodByCustomer: DataLoader<string, PaymentMethodEntity | null>;
  paymentsByInvoice: DataLoader<string, PaymentEntity[]>;
  noticesByInvoice: DataLoader<string, DunningNoticeEntity[]>;
  /** Open and overdue balance per segment: one statement serves both SegmentReport fields of every segment asked. */
  segmentBalances: DataLoader<string, SegmentBalances>;
  /** Per customer: revenue of this calendar year up to today (for key accounts). */
  revenueThisYear: DataLoader<string, number>;
}

/** `fourEyes` defaults to DEFAULT_FOUR_EYES (tests and in-process uses). */
export function createBillingLoaders(given: Omit<BillingSettings, 'fourEyes'> & { fourEyes?: FourEyesPolicy }) {
  const settings: BillingSettings = { ...given, fourEyes: given.fourEyes ?? DEFAULT_FOUR_EYES };
  return (dataSource: DataSource, clock: Clock): BillingLoaders => {
    const repository = BillingRepository.of(dataSource);
    const today = utcDate(clock.now());
    return {
      settings,
      today,
      invoiceById: oneByKey(
        (ids) => repository.invoicesByIds(ids),
        (i) => i.id,
      ),
      invoicePages: new LoaderFamily((json) => {
        const args = JSON.parse(json) as { filter: InvoiceFilter; after?: InvoiceCursor; limit: number };
        return manyByKey(
          (ids) => repository.invoicePages(ids, args.filter, args.after, args.limit),
          (i) => i.customerId,
        );
      }),
      invoiceCounts: new LoaderFamily((json) => valueByKey((ids) => repository.invoiceCounts(ids, JSON.parse(json) as InvoiceFilter), 0)),
      summaryByCustomer: valueByKey((ids) => repository.summaries(ids, today), EMPTY_SUMMARY),
      accountByCustomer: oneByKey(
        (ids) => repository.accountsByCustomerIds(ids),
        (a) => a.customerId,
      ),
      paymentMethodByCustomer: oneByKey(
        (ids) => repository.currentPaymentMethods(ids, today),
        (p) => p.customerId,
      ),
      paymentsByInvoice: manyByKey(
        (ids) => repository.paymentsByInvoiceIds(ids),
        (p) => p.invoiceId,
      ),
      noticesByInvoice: manyByKey(
        (ids) => repository.noticesByInvoiceIds(ids),
        (n) => n.invoiceId,
      ),
      segmentBalances: valueByKey((segments) => SegmentReportRepository.of(dataSource).balances(segments, today), NO_BALANCES),
      revenueThisYear: valueByKey((ids) => repository.revenueBetween(ids, `${today.slice(0, 4)}-01-01`, `${today.slice(0, 4)}-12-31`), 0),
    };
  };
}
