import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import {
  auditChanges,
  badUserInput,
  idempotencyConflict,
  forUpdate,
  isRetryableConflict,
  notFound,
  optionalText,
  pageRequest,
  parseMoney,
  requireCustomer,
  requiredText,
  retryConflicts,
  toPage,
  type Page,
  type RequestContext,
} from '../platform';
import { BillingAccountEntity, InvoiceEntity, PaymentEntity } from './billing.entity';
import type { BillingLoaders } from './billing.loaders';
import { daysOverdue } from './billing.policy';
import { BillingRepository, type InvoiceCursor, type InvoiceFilter } from './billing.repository';
import type { CreateInvoiceInput, InvoiceStatus, RecordPaymentInput } from './billing.types';

export type BillingContext = RequestContext<BillingLoaders>;

const CURSOR_TAG = 'invoices';
const ATTEMPTS = 5;

export function formatInvoiceNumber(seq: number): string {
  return `INV-${String(seq).padStart(7, '0')}`;
}

/** total minus payments; nothing is owed on CANCELLED and WRITTEN_OFF invoices. */
export function openMinorOf(invoice: Pick<InvoiceEntity, 'status' | 'totalMinor' | 'paidMinor'>): number {
  return invoice.status === 'CANCELLED' || invoice.status === 'WRITTEN_OFF' ? 0 : invoice.totalMinor - invoice.paidMinor;
}

const isCursor = (v: unknown): v is InvoiceCursor =>
  typeof v === 'object' && v !== null && typeof (v as InvoiceCursor).issueDate === 'string' && Number.isInteger((v as InvoiceCursor).seq);

export interface InvoicePage extends Page<InvoiceEntity> {
  count: () => Promise<number>;
}

/** Invoices and payments. */
export class InvoiceService {
  constructor(private readonly ctx: BillingContext) {}

  get(id: string): Promise<InvoiceEntity | null> {
    return this.ctx.loaders.invoiceById.load(id);
  }

  daysOverdue(invoice: InvoiceEntity): number {
    return daysOverdue(invoice.dueDate, this.ctx.loaders.today, openMinorOf(invoice));
  }

  async customerPage(
    customerId: string,
    args: { first?: number | null; after?: string | null; statuses?: InvoiceStatus[] | null; overdueOnly?: boolean | null },
  ): Promise<InvoicePage> {
    const page = pageRequest(CURSOR_TAG, args.first, args.after, isCursor);
    const filter: InvoiceFilter = {
      statuses: args.statuses && args.statuses.length > 0 ? [...new Set(args.statuses)].sort() : undefined,
      overdueBefore: args.overdueOnly ? this.ctx.loaders.today : undefined,
    };
    const filterKey = JSON.stringify(filter);
    const rows =
      page.first === 0 ? [] : await this.ctx.loaders.invoicePages.for(JSON.stringify({ filter, after: page.after, limit: page.first + 1 })).load(customerId);
    for (const row of rows) this.ctx.loaders.invoiceById.prime(row.id, row);
    return {
      ...toPage(rows, page.first, CURSOR_TAG, (i) => ({ issueDate: i.issueDate, seq: i.numberSeq })),
      count: () => this.ctx.loaders.invoiceCounts.for(filterKey).load(customerId),
    };
  }

  async create(input: CreateInvoiceInput): Promise<InvoiceEntity> {
    const { policy } = this.ctx.loaders.settings;
    const totalMinor = parseMoney('total', input.total);
    if (totalMinor <= 0) throw badUserInput('total', 'total must be greater than 0');
    if (input.dueDate < input.issueDate) throw badUserInput('dueDate', 'dueDate must not be before issueDate');
    const currency = input.currency?.trim().toUpperCase() || policy.currency;
    if (currency !== policy.currency) throw badUserInput('currency', `this deployment invoices in ${policy.currency} only`);
    const customer = await requireCustomer(this.ctx.customerDirectory, input.customerId, this.ctx.identity);
    const now = this.ctx.clock.now();
    // A deadlock (InnoDB picks this short transaction as the victim against a segment move
    // touching the same customer) rolls everything back; nothing left the process, so run it again.
    return retryConflicts(
      () =>
        this.ctx.dataSource.transaction(async (manager) => {
          const repository = BillingRepository.of(manager);
          const numberSeq = await repository.nextInvoiceSeq();
          const invoice = Object.assign(new InvoiceEntity(), {
            id: randomUUID(),
            invoiceNumber: formatInvoiceNumber(numberSeq),
            numberSeq,
            customerId: customer.id,
            issueDate: input.issueDate,
            dueDate: input.dueDate,
            totalMinor,
            paidMinor: 0,
            currency,
            status: 'OPEN',
            dunningLevel: 0,
            createdAt: now,
          });
          await manager.insert(InvoiceEntity, invoice);
          await rememberKind(manager, customer.id, customer.kind, now);
          await this.ctx.audit(manager, { action: 'createInvoice', entityType: 'Invoice', entityId: invoice.id, changes: auditChanges(null, { ...invoice }) });
          return invoice;
        }),
      5,
    );
  }

  /**
   * Books a payment exactly once per idempotency key. The invoice row is
   * locked for the transaction, so concurrent payments on one invoice queue
   * up and an overpayment cannot slip through between check and write.
   */
  async recordPayment(input: RecordPaymentInput): Promise<PaymentEntity> {
    const amountMinor = parseMoney('amount', input.amount);
    if (amountMinor <= 0) throw badUserInput('amount', 'amount must be greater than 0');
    const key = requiredText('idempotencyKey', input.idempotencyKey, 100);
    const reference = optionalText('reference', input.reference, 140);
    const now = this.ctx.clock.now();
    const receivedAt = input.receivedAt ?? now;
    if (receivedAt.getTime() > now.getTime()) throw badUserInput('receivedAt', 'receivedAt must not lie in the future');

    const replay = async (manager: EntityManager): Promise<PaymentEntity | null> => {
      // A plain read: payments on one invoice already queue on its row lock, and a
      // locking read here would take gap locks that deadlock concurrent payments.
      // The same key committed meanwhile on another invoice fails the unique
      // index on insert, and the retry below answers with it.
      const first = await manager.findOne(PaymentEntity, { where: { idempotencyKey: key } });
      if (!first) return null;
      if (first.invoiceId !== input.invoiceId || first.amountMinor !== amountMinor) {
        throw idempotencyConflict('this idempotencyKey was already used for another payment (other invoice or amount)');
      }
      return first;
    };

    for (let attempt = 1; ; attempt++) {
      try {
        const payment = await this.ctx.dataSource.transaction(async (manager) => {
          const invoice = await forUpdate(manager.createQueryBuilder(InvoiceEntity, 'i').where('i.id = :id', { id: input.invoiceId })).getOne();
          const earlier = await replay(manager);
          if (earlier) return earlier;
          if (!invoice) throw notFound('Invoice', input.invoiceId);
          if (invoice.status === 'CANCELLED' || invoice.status === 'WRITTEN_OFF') {
            throw badUserInput('invoiceId', `a ${invoice.status} invoice takes no payments`);
          }
          const open = openMinorOf(invoice);
          if (amountMinor > open) {
            throw badUserInput('amount', `amount exceeds the open amount of ${(open / 100).toFixed(2)} ${invoice.currency}: overpayments are not accepted`);
          }
          const created = Object.assign(new PaymentEntity(), {
            id: randomUUID(),
            invoiceId: invoice.id,
            amountMinor,
            currency: invoice.currency,
            receivedAt,
            method: input.method,
            reference,
            idempotencyKey: key,
            createdAt: now,
          });
          await manager.insert(PaymentEntity, created);
          const paidMinor = invoice.paidMinor + amountMinor;
          const status = paidMinor === invoice.totalMinor ? 'PAID' : invoice.status === 'IN_COLLECTION' ? 'IN_COLLECTION' : 'PARTIALLY_PAID';
          await manager.update(InvoiceEntity, { id: invoice.id }, { paidMinor, status });
          // Two rows: the payment booked, and what it changed on its invoice.
          await this.ctx.audit(manager, { action: 'recordPayment', entityType: 'Payment', entityId: created.id, changes: auditChanges(null, { ...created }) });
          await this.ctx.audit(manager, {
            action: 'recordPayment',
            entityType: 'Invoice',
            entityId: invoice.id,
            changes: auditChanges({ paidMinor: invoice.paidMinor, status: invoice.status }, { paidMinor, status }),
          });
          return created;
        });
        this.ctx.loaders.invoiceById.clear(input.invoiceId);
        this.ctx.loaders.paymentsByInvoice.clear(input.invoiceId);
        return payment;
      } catch (error) {
        // The same key committed by a concurrent call between our check and insert: answer with it.
        if (!isRetryableConflict(error) || attempt >= ATTEMPTS) throw error;
        const first = await this.ctx.dataSource.transaction((manager) => replay(manager));
        if (first) return first;
      }
    }
  }
}

/** Keeps the customer's kind (for the interest rate) without reading the customers database. */
export async function rememberKind(manager: EntityManager, customerId: string, kind: string, now: Date): Promise<void> {
  // One upsert, not read-then-insert: two first invoices of one customer at once must both succeed.
  await manager
    .createQueryBuilder()
    .insert()
    .into(BillingAccountEntity)
    .values({ customerId, kind, dunningBlocked: false, blockReason: null, updatedAt: now })
    .orUpdate(['kind'], ['customer_id'])
    .execute();
}
