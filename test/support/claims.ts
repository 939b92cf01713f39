import { FakeCustomerDirectory, subgraphHarness } from './harness';
import { claimsSubgraph } from '../../subgraphs/claims';
import { createClaimsLoaders, type InvoiceDirectory } from '../../subgraphs/claims/claims.loaders';
import { DEFAULT_SLA } from '../../subgraphs/claims/claims.policy';
import type { DatabaseConfig } from '../../subgraphs/platform';

/** A stand-in for billing: the invoices it was given exist, with their customer. */
export class FakeInvoiceDirectory implements InvoiceDirectory {
  readonly invoices = new Map<string, string>();

  async find(ids: string[]) {
    return new Map(ids.filter((id) => this.invoices.has(id)).map((id) => [id, { id, customerId: this.invoices.get(id)! }]));
  }
}

/** The claims subgraph on a fresh MariaDB database, with stand-ins for customers and billing. */
export async function claimsHarness(now = '2026-11-22T10:00:00.000Z', database?: DatabaseConfig) {
  const directory = new FakeCustomerDirectory();
  const invoices = new FakeInvoiceDirectory();
  const h = await subgraphHarness(claimsSubgraph, createClaimsLoaders({ sla: DEFAULT_SLA, currency: 'EUR', invoices }), {
    now: new Date(now),
    customerDirectory: directory,
    database,
  });
  const ok = async (query: string, variables?: Record<string, unknown>): Promise<any> => {
    const result = await h.execute(query, variables);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data;
  };
  return { h, directory, invoices, ok };
}
