import { FakeCustomerDirectory, subgraphHarness, type SubgraphHarness } from './harness';
import { billingSubgraph } from '../../subgraphs/billing';
import { createBillingLoaders } from '../../subgraphs/billing/billing.loaders';
import { DEFAULT_POLICY, type BillingPolicy } from '../../subgraphs/billing/billing.policy';
import { StaticDisputeSource, type DisputeSource } from '../../subgraphs/billing/dispute-source';
import type { DatabaseConfig } from '../../subgraphs/platform';

export const CREATE_INVOICE = `mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) {
  id invoiceNumber status total { amount currency } openAmount { amount } daysOverdue dunningLevel } }`;
export const PAY = `mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { id amount { amount currency } receivedAt method reference } }`;

/** A billing subgraph on a fresh MariaDB database, with stand-ins for the customers and claims subgraphs. */
export async function billingHarness(
  now = '2026-11-22T10:00:00.000Z',
  options: { database?: DatabaseConfig; policy?: Partial<BillingPolicy>; disputes?: DisputeSource } = {},
) {
  const directory = new FakeCustomerDirectory();
  const disputes = new StaticDisputeSource();
  const policy = { ...DEFAULT_POLICY, ...options.policy };
  const h: SubgraphHarness = await subgraphHarness(billingSubgraph, createBillingLoaders({ policy, disputes: options.disputes ?? disputes }), {
    now: new Date(now),
    customerDirectory: directory,
    database: options.database,
  });
  const ok = async (query: string, variables?: Record<string, unknown>): Promise<any> => {
    const result = await h.execute(query, variables);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data;
  };
  const invoice = async (customerId: string, issueDate: string, dueDate: string, total: string) =>
    (await ok(CREATE_INVOICE, { input: { customerId, issueDate, dueDate, total } })).createInvoice;
  const pay = async (invoiceId: string, amount: string, key: string, receivedAt?: string) =>
    (await ok(PAY, { input: { invoiceId, amount, method: 'BANK_TRANSFER', idempotencyKey: key, receivedAt } })).recordPayment;
  return { h, directory, disputes, ok, invoice, pay };
}
