import { createConnection, type Connection } from 'mysql2/promise';
import { billingSubgraph } from '../../subgraphs/billing';
import { InternalSigner, PRINCIPAL_HEADER, type DatabaseConfig, type RunningServer } from '../../subgraphs/platform';
import { startLocalServer, type LocalServer } from '../../scripts/mariadb';
import { FakeCustomerDirectory } from '../support/harness';
import { testPort } from '../support/ports';
import { serverConfig } from '../support/stack';

/**
 * BILLING_DATABASE_READ_URL on a real MariaDB primary/replica pair (binary
 * log replication between two local servers): the reads of read-only
 * requests come from the replica, while a mutation and what it reads back
 * go to the primary. Replication is paused to tell the two apart.
 */
let primary: LocalServer;
let replica: LocalServer;
let replicaAdmin: Connection;
let billing: RunningServer;
const signer = new InternalSigner(process.env.INTERNAL_AUTH_SECRET!);

async function ask(query: string, variables?: Record<string, unknown>): Promise<{ data?: any; errors?: unknown[] }> {
  const token = await signer.sign({ sub: 'replica-tester', roles: ['admin'], kind: 'user' });
  const response = await fetch(billing.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [PRINCIPAL_HEADER]: token },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: unknown[] };
}

async function replicating(): Promise<boolean> {
  const [rows] = await replicaAdmin.query('SHOW SLAVE STATUS');
  const status = (rows as Record<string, string>[])[0];
  return status?.Slave_IO_Running === 'Yes' && status?.Slave_SQL_Running === 'Yes';
}

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  primary = await startLocalServer({ durable: true });
  replica = await startLocalServer({ serverId: 2 });
  replicaAdmin = await createConnection(replica.url);
  await replicaAdmin.query(
    `CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = ${primary.port}, MASTER_USER = 'c360', MASTER_PASSWORD = 'c360', MASTER_USE_GTID = slave_pos`,
  );
  await replicaAdmin.query('START SLAVE');
  expect(await eventually(replicating, Boolean)).toBe(true);
  const database: DatabaseConfig = {
    type: 'mysql',
    host: '127.0.0.1',
    port: primary.port,
    user: 'c360',
    password: 'c360',
    database: 'rr_billing',
    readReplica: { host: '127.0.0.1', port: replica.port, user: 'c360', password: 'c360', database: 'rr_billing' },
  };
  billing = await billingSubgraph.start({
    server: serverConfig(await testPort()),
    database,
    migrate: true,
    customerDirectory: new FakeCustomerDirectory().add('c1', 'PERSON'),
  });
  // The schema has reached the replica.
  await eventually(
    async () =>
      replicaAdmin.query(`SHOW TABLES FROM rr_billing LIKE 'invoices'`).then(
        ([rows]) => (rows as unknown[]).length,
        () => 0,
      ),
    (n) => n === 1,
  );
}, 120_000);
afterAll(async () => {
  await billing?.stop();
  await replicaAdmin?.end();
  await replica?.stop();
  await primary?.stop();
}, 60_000);

const CREATE = `mutation { createInvoice(input: { customerId: "c1", issueDate: "2026-10-01", dueDate: "2026-10-15", total: "80.00" }) {
  id customer { openBalance { amount } } } }`;
const PAY = `mutation($i: ID!, $k: String!) { recordPayment(input: { invoiceId: $i, amount: "30.00", method: BANK_TRANSFER, idempotencyKey: $k }) { id } }`;
const GET = `query($i: ID!) { invoice(id: $i) { id openAmount { amount } } }`;

it('reads a query from the replica, and a mutation with its read-back from the primary', async () => {
  await replicaAdmin.query('STOP SLAVE');
  try {
    const created = await ask(CREATE);
    expect(created.errors).toBeUndefined();
    const id = created.data.createInvoice.id as string;
    // The mutation's answer reads the customer's balance after the write: from the primary, so it counts the new invoice.
    expect(created.data.createInvoice.customer).toEqual({ openBalance: { amount: '80.00' } });
    // The payment reads the invoice it pays (on the primary: the replica has not seen it).
    const paid = await ask(PAY, { i: id, k: 'rr-1' });
    expect(paid.errors).toBeUndefined();
    // A query reads the replica, which has not seen the invoice yet.
    expect((await ask(GET, { i: id })).data.invoice).toBeNull();
    await replicaAdmin.query('START SLAVE');
    // Once the replica has applied everything the primary wrote (the invoice and the payment, not just the
    // first of the two), the query sees it.
    const primaryAdmin = await createConnection(primary.url);
    try {
      const [[{ pos }]] = (await primaryAdmin.query('SELECT @@gtid_binlog_pos AS pos')) as unknown as [[{ pos: string }]];
      const [[{ waited }]] = (await replicaAdmin.query('SELECT MASTER_GTID_WAIT(?, 10) AS waited', [pos])) as unknown as [[{ waited: number }]];
      expect(Number(waited)).toBe(0);
    } finally {
      await primaryAdmin.end();
    }
    const seen = await ask(GET, { i: id });
    expect(seen.data.invoice).toEqual({ id, openAmount: { amount: '50.00' } });
  } finally {
    if (!(await replicating())) await replicaAdmin.query('START SLAVE');
  }
}, 60_000);
