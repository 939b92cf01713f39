import { createConnection, type Connection } from 'mysql2/promise';
import { SUBGRAPHS } from '../../subgraphs';
import { FixedClock, type RunningServer } from '../../subgraphs/platform';
import { testPort } from '../support/ports';
import { Stack, serverConfig, type GraphQLResponse } from '../support/stack';

/**
 * Two gateways and two billing instances on one billing database, as
 * docker-compose runs replicas: each gateway talks to its own billing
 * instance. What one instance's memory cannot guard, the database must.
 */
const stack = new Stack(new FixedClock(new Date('2026-11-22T10:00:00.000Z')));
let secondBilling: RunningServer;
const gateways: RunningServer[] = [];
let db: Connection;

beforeAll(async () => {
  await stack.start();
  const billing = SUBGRAPHS.find((m) => m.name === 'billing')!;
  const peerUrls = Object.fromEntries(SUBGRAPHS.map((m) => [m.name, stack.url(m.name)]));
  secondBilling = await billing.start({
    server: serverConfig(await testPort()),
    database: stack.database('billing'),
    clock: new FixedClock(new Date('2026-11-22T10:00:00.000Z')),
    peerUrls,
  });
  gateways.push(stack.gateway, await stack.startGateway({ subgraphUrls: { ...peerUrls, billing: secondBilling.url } }));
  const d = stack.database('billing');
  db = await createConnection({ host: d.host, port: d.port, user: d.user, password: d.password, database: d.database });
});
afterAll(async () => {
  await db?.end();
  await gateways[1]?.stop();
  await secondBilling?.stop();
  await stack.stop();
});

const via = (gateway: RunningServer, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse> =>
  stack.gql(query, variables, undefined, gateway);

async function overdueInvoice(total: string): Promise<string> {
  const customer = (await stack.data(`mutation { createCustomer(input: { kind: PERSON, firstName: "Rep", lastName: "Lica" }) { id } }`)).createCustomer.id;
  return (
    await stack.data(
      `mutation($c: ID!, $t: Decimal!) { createInvoice(input: { customerId: $c, issueDate: "2026-09-01", dueDate: "2026-09-15", total: $t }) { id } }`,
      {
        c: customer,
        t: total,
      },
    )
  ).createInvoice.id;
}

it('books an idempotent payment once when its retries reach different billing instances at once', async () => {
  const invoice = await overdueInvoice('500.00');
  const answers = await Promise.all(
    Array.from({ length: 16 }, (_, i) =>
      via(
        gateways[i % 2]!,
        `mutation($i: ID!) { recordPayment(input: { invoiceId: $i, amount: "125.00", method: BANK_TRANSFER, idempotencyKey: "replica-pay-1" }) { id amount { amount } } }`,
        { i: invoice },
      ),
    ),
  );
  expect(answers.filter((a) => a.errors)).toEqual([]);
  expect(new Set(answers.map((a) => a.data.recordPayment.id)).size).toBe(1);
  const [rows] = await db.query('SELECT COUNT(*) AS n FROM payments WHERE idempotency_key = ?', ['replica-pay-1']);
  expect(Number((rows as { n: number }[])[0]!.n)).toBe(1);
  const [[inv]] = (await db.query('SELECT paid_minor FROM invoices WHERE id = ?', [invoice])) as unknown as [{ paid_minor: number }[]];
  expect(Number(inv!.paid_minor)).toBe(12500);
});

it('issues each notice once when two instances run dunning for the same day at the same time', async () => {
  const invoices = await Promise.all(['80.00', '90.00', '100.00'].map(overdueInvoice));
  const RUN = `mutation { runDunning(asOf: "2026-11-22") { asOf noticesIssued handedToCollection } }`;
  const answers = await Promise.all([via(gateways[0]!, RUN), via(gateways[1]!, RUN), via(gateways[0]!, RUN), via(gateways[1]!, RUN)]);
  expect(answers.filter((a) => a.errors)).toEqual([]);
  // Every caller is told what the one run did.
  expect(new Set(answers.map((a) => JSON.stringify(a.data.runDunning))).size).toBe(1);
  const [rows] = await db.query(`SELECT invoice_id, COUNT(*) AS n FROM dunning_notices WHERE invoice_id IN (?, ?, ?) GROUP BY invoice_id`, invoices);
  expect((rows as { n: number }[]).map((r) => Number(r.n))).toEqual([1, 1, 1]);
  const [runs] = await db.query(`SELECT status FROM dunning_runs WHERE as_of = '2026-11-22'`);
  expect(runs).toEqual([{ status: 'DONE' }]);
});
