import type { Faker } from '@faker-js/faker';
import type { DataSource } from 'typeorm';
import { addDaysUtc, advanceSequence, insertRows, seededFaker, weighted, type SeedCustomer, type SeedInput } from '../platform';
import { rebuildRollups } from '../platform/rollup';
import { seedCustomerSegments } from '../platform/segment-replica';
import { DEFAULT_POLICY, daysBetween, interestMinor } from './billing.policy';
import { formatInvoiceNumber } from './invoice.service';
import { BILLING_ROLLUPS } from './billing.rollups';

/** Customers per generated batch, to bound memory on the large size. */
const BATCH = 2000;
const TOTAL_RANGE: Record<SeedCustomer['segment'], [number, number]> = { A: [20_000, 500_000], B: [8_000, 120_000], C: [2_000, 30_000] };

/** Overdue invoices the claims seed may dispute (SeedInput.shared.overdueInvoices). */
export interface OverdueInvoice {
  id: string;
  customerId: string;
}

interface Rows {
  overdue: OverdueInvoice[];
  invoices: Record<string, unknown>[];
  payments: Record<string, unknown>[];
  notices: Record<string, unknown>[];
}

/** A payment some days after the issue date, never later than yesterday (the seed's today is not over). */
function paymentDay(faker: Faker, issueDate: string, dueDate: string, today: string): string | null {
  const day = addDaysUtc(issueDate, faker.number.int({ min: 1, max: Math.max(1, daysBetween(issueDate, dueDate) + 10) }));
  const yesterday = addDaysUtc(today, -1);
  const clamped = day > yesterday ? yesterday : day;
  return clamped < issueDate ? null : clamped;
}

function pay(faker: Faker, rows: Rows, invoiceId: string, amount: number, day: string, method: string): void {
  const id = faker.string.uuid();
  const receivedAt = new Date(`${day}T${String(faker.number.int({ min: 7, max: 18 })).padStart(2, '0')}:00:00.000Z`);
  rows.payments.push({
    id,
    invoice_id: invoiceId,
    amount_minor: amount,
    currency: 'EUR',
    received_at: receivedAt,
    method,
    reference: `Payment ${id.slice(0, 8)}`,
    idempotency_key: `seed-${id}`,
    created_at: receivedAt,
  });
}

/**
 * One invoice and what happened to it by the seed's today: paid (mostly),
 * not yet due, cancelled, or overdue and dunned by the default policy, up to
 * the handover to collection. Overdue invoices of blocked customers stay undunned.
 */
function invoice(faker: Faker, rows: Rows, seq: number, customer: SeedCustomer, blocked: boolean, method: string, issueDate: string, today: string): void {
  const id = faker.string.uuid();
  const dueDate = addDaysUtc(issueDate, customer.kind === 'PERSON' ? 14 : 30);
  const [min, max] = TOTAL_RANGE[customer.segment];
  const total = faker.number.int({ min, max });
  const overdueDays = daysBetween(dueDate, today);
  const paidOn = paymentDay(faker, issueDate, dueDate, today);
  let status = paidOn ? 'PAID' : 'OPEN';
  let paid = paidOn ? total : 0;
  let level = 0;
  const fate = faker.number.float({ min: 0, max: 1 });
  if (fate < 0.03) {
    status = 'CANCELLED';
    paid = 0;
  } else if (overdueDays <= 0) {
    if (fate < 0.75) [status, paid] = ['OPEN', 0];
  } else if (fate < 0.13) {
    paid = faker.datatype.boolean(0.3) ? Math.floor((total * faker.number.int({ min: 20, max: 70 })) / 100) : 0;
    status = paid > 0 ? 'PARTIALLY_PAID' : 'OPEN';
    if (!blocked) {
      level = DEFAULT_POLICY.steps.filter((s) => overdueDays >= s.daysOverdue).length;
      if (level === 3 && overdueDays >= DEFAULT_POLICY.collectionDays && faker.datatype.boolean(0.6)) status = 'IN_COLLECTION';
      if (status === 'IN_COLLECTION' && overdueDays > 365 && faker.datatype.boolean(0.3)) status = 'WRITTEN_OFF';
    }
  }
  if (paid < total && status !== 'CANCELLED' && status !== 'WRITTEN_OFF' && overdueDays > 0) rows.overdue.push({ id, customerId: customer.id });
  rows.invoices.push({
    id,
    invoice_number: formatInvoiceNumber(seq),
    number_seq: seq,
    customer_id: customer.id,
    issue_date: issueDate,
    due_date: dueDate,
    total_minor: total,
    paid_minor: paid,
    currency: 'EUR',
    status,
    dunning_level: level,
    created_at: new Date(`${issueDate}T08:00:00.000Z`),
  });
  if (paid > 0) pay(faker, rows, id, paid, paidOn ?? addDaysUtc(today, -1), method);
  for (const step of DEFAULT_POLICY.steps.slice(0, level)) {
    const issuedOn = addDaysUtc(dueDate, step.daysOverdue);
    const interest = step.level >= DEFAULT_POLICY.interestFromLevel ? interestMinor(total - paid, customer.kind, step.daysOverdue, DEFAULT_POLICY) : 0;
    rows.notices.push({
      id: faker.string.uuid(),
      invoice_id: id,
      level: step.level,
      issued_on: issuedOn,
      fee_minor: step.feeMinor,
      interest_minor: interest,
      pay_by: addDaysUtc(issuedOn, DEFAULT_POLICY.payByDays),
      channel: step.channel,
    });
  }
}

/**
 * About 8 invoices per customer over two years (6 for the large size, about
 * about 585,000 for 100,000 customers), with payments, and overdue invoices at every dunning level; one
 * payment method per customer; about 1 % of customers with a dunning block.
 */
export async function seedBilling(dataSource: DataSource, input: SeedInput): Promise<number> {
  const faker = seededFaker(3, input.today);
  const [low, high] = input.size === 'large' ? [3, 10] : [4, 12];
  const windowStart = addDaysUtc(input.today, -730);
  let seq = 0;
  let total = 0;
  const overdue: OverdueInvoice[] = [];
  input.shared.overdueInvoices = overdue;
  // The replica of the customers' segments first (platform/segment-replica.ts): each invoice's insert trigger takes its segment from it.
  await seedCustomerSegments(dataSource, input);
  for (let b = 0; b < input.customers.length; b += BATCH) {
    const rows: Rows = { overdue, invoices: [], payments: [], notices: [] };
    const accounts: Record<string, unknown>[] = [];
    const methods: Record<string, unknown>[] = [];
    for (const customer of input.customers.slice(b, b + BATCH)) {
      const blocked = faker.datatype.boolean(0.01);
      const method = weighted(faker, [
        ['SEPA_DIRECT_DEBIT', 50],
        ['BANK_TRANSFER', 35],
        ['CREDIT_CARD', 15],
      ] as const);
      const updatedAt = new Date(`${customer.customerSince}T08:00:00.000Z`);
      accounts.push({
        customer_id: customer.id,
        kind: customer.kind,
        dunning_blocked: blocked,
        block_reason: blocked ? 'Payment plan agreed' : null,
        updated_at: updatedAt,
      });
      if (customer.status !== 'PROSPECT' && faker.datatype.boolean(0.9)) {
        methods.push({
          id: faker.string.uuid(),
          customer_id: customer.id,
          type: method,
          iban: method === 'CREDIT_CARD' ? null : faker.finance.iban({ formatted: false, countryCode: 'DE' }),
          valid_from: customer.customerSince,
          created_at: updatedAt,
        });
      }
      if (customer.status === 'PROSPECT') continue;
      const from = customer.customerSince > windowStart ? customer.customerSince : windowStart;
      const span = Math.max(1, daysBetween(from, input.today) - 1);
      const count = faker.number.int({ min: low, max: high });
      const days = Array.from({ length: count }, () => faker.number.int({ min: 0, max: span })).sort((x, y) => x - y);
      for (const day of days) invoice(faker, rows, ++seq, customer, blocked, method, addDaysUtc(from, day), input.today);
    }
    await insertRows(dataSource, 'billing_accounts', accounts);
    await insertRows(dataSource, 'payment_methods', methods);
    await insertRows(dataSource, 'invoices', rows.invoices);
    await insertRows(dataSource, 'payments', rows.payments);
    await insertRows(dataSource, 'dunning_notices', rows.notices);
    total += rows.invoices.length;
  }
  await advanceSequence(dataSource.manager, 'invoice_number_seq', seq);
  // The triggers journalled every row; one GROUP BY per rollup is far cheaper than folding the journal.
  await rebuildRollups(dataSource, BILLING_ROLLUPS);
  return total;
}
