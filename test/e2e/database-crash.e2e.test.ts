import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { SUBGRAPHS } from '../../subgraphs';
import { EnvReader, envPrefix, projectRoot, readDatabaseConfig, type RunningServer, type SubgraphName } from '../../subgraphs/platform';
import { startGateway } from '../../gateway/gateway';
import { startLocalServer, type LocalServer } from '../../scripts/mariadb';
import { bearer, testAuthConfig } from '../support/auth';
import { testPort } from '../support/ports';
import { serverConfig } from '../support/stack';

/**
 * The database server killed with SIGKILL while payments and customer
 * creations are being acknowledged (c=8), then restarted on the same data
 * directory with the production durability settings (README, "Operate"):
 * every write the gateway acknowledged must be there, and no payment booked
 * twice.
 */
const NAMES: SubgraphName[] = ['customers', 'billing'];
let server: LocalServer;
const subgraphs: RunningServer[] = [];
let gateway: RunningServer;
let headers: Record<string, string>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function post(query: string, variables: Record<string, unknown>): Promise<any> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

beforeAll(async () => {
  server = await startLocalServer({ durable: true, keep: true });
  headers = await bearer(['admin'], 'crash-tester');
  const ports = Object.fromEntries(await Promise.all(SUBGRAPHS.map(async (m) => [m.name, await testPort()] as const)));
  const urls = Object.fromEntries(SUBGRAPHS.map((m) => [m.name, `http://127.0.0.1:${ports[m.name]}/graphql`]));
  for (const name of NAMES) {
    const module = SUBGRAPHS.find((m) => m.name === name)!;
    const database = readDatabaseConfig(new EnvReader({ [`${envPrefix(name)}_DATABASE_URL`]: `${server.url}/crash_${name.replace('-', '_')}` }), name);
    subgraphs.push(await module.start({ server: serverConfig(ports[name]!), database, migrate: true, peerUrls: urls }));
  }
  gateway = await startGateway({
    server: serverConfig(0),
    supergraphSdl: readFileSync(join(projectRoot(), 'schema', 'supergraph.graphql'), 'utf8'),
    subgraphUrls: urls,
    subgraphTimeoutMs: 3000,
    auth: testAuthConfig(),
  });
}, 120_000);
afterAll(async () => {
  await gateway?.stop();
  for (const s of subgraphs) await s.stop().catch(() => undefined);
  await server?.stop();
}, 60_000);

it('keeps every acknowledged customer and payment across a SIGKILL of the database', async () => {
  const customer = (await post(`mutation { createCustomer(input: { kind: ORGANIZATION, companyName: "Crash AG" }) { id } }`, {})).data.createCustomer.id;
  const invoice = (
    await post(`mutation($c: ID!) { createInvoice(input: { customerId: $c, issueDate: "2026-10-01", dueDate: "2026-10-15", total: "100000.00" }) { id } }`, {
      c: customer,
    })
  ).data.createInvoice.id;

  const acknowledged = { customers: [] as string[], payments: [] as string[] };
  let failures = 0;
  let n = 0;
  // The writers run until a second after the restart: through the kill, the outage and the recovery.
  let running = true;
  const loops = Array.from({ length: 8 }, async (_, loop) => {
    while (running) {
      const i = n++;
      try {
        if (loop % 2 === 0) {
          const r = await post(`mutation($n: String!) { createCustomer(input: { kind: ORGANIZATION, companyName: $n }) { id } }`, { n: `Crash ${i}` });
          if (r.data?.createCustomer?.id && !r.errors) acknowledged.customers.push(r.data.createCustomer.id);
          else failures++;
        } else {
          const key = `crash-${i}`;
          const r = await post(
            `mutation($i: ID!, $k: String!) { recordPayment(input: { invoiceId: $i, amount: "0.01", method: BANK_TRANSFER, idempotencyKey: $k }) { id } }`,
            { i: invoice, k: key },
          );
          if (r.data?.recordPayment?.id && !r.errors) acknowledged.payments.push(key);
          else failures++;
        }
      } catch {
        failures++;
      }
    }
  });
  // The kill comes once both kinds of write are being acknowledged (how soon depends on the machine's load).
  const warm = Date.now() + 30_000;
  while ((acknowledged.customers.length <= 5 || acknowledged.payments.length <= 5) && Date.now() < warm) await sleep(100);
  const before = { ...acknowledged, customers: acknowledged.customers.length, payments: acknowledged.payments.length };
  server.process.kill('SIGKILL');
  await new Promise((resolve) => server.process.once('exit', resolve));
  await sleep(500);
  server = await startLocalServer({ dataDir: server.dataDir, port: server.port, durable: true });
  await sleep(1000);
  running = false;
  await Promise.all(loops);

  // Writes were acknowledged before the kill, and refused (not acknowledged) while the server was gone.
  expect(before.customers).toBeGreaterThan(5);
  expect(before.payments).toBeGreaterThan(5);
  expect(failures).toBeGreaterThan(0);
  const db = await createConnection(server.url);
  try {
    const [customers] = await db.query('SELECT id FROM crash_customers.customers');
    const stored = new Set((customers as { id: string }[]).map((r) => r.id));
    expect(acknowledged.customers.filter((id) => !stored.has(id))).toEqual([]);
    const [payments] = await db.query('SELECT idempotency_key AS k, COUNT(*) AS n FROM crash_billing.payments GROUP BY idempotency_key');
    const booked = new Map((payments as { k: string; n: number }[]).map((r) => [r.k, Number(r.n)]));
    expect(acknowledged.payments.filter((k) => booked.get(k) !== 1)).toEqual([]);
    // No payment twice, acknowledged or not; the invoice's paid amount is the sum of its payments.
    expect([...booked.values()].every((count) => count === 1)).toBe(true);
    const [[invoiceRow]] = (await db.query('SELECT paid_minor FROM crash_billing.invoices WHERE id = ?', [invoice])) as unknown as [{ paid_minor: number }[]];
    expect(Number(invoiceRow!.paid_minor)).toBe(booked.size);
  } finally {
    await db.end();
  }
}, 120_000);
