import { createConnection, type Connection } from 'mysql2/promise';
import { type RunningServer } from '../../subgraphs/platform';
import { Stack, type GraphQLResponse } from '../support/stack';

/**
 * A gateway whose requests may take 800 ms, in front of subgraphs whose own
 * statement cap is 10 s: only the deadline the gateway passes on can end a
 * statement sooner.
 */
const stack = new Stack();
let gateway: RunningServer;
let admin: Connection;

beforeAll(async () => {
  await stack.start();
  gateway = await stack.startGateway({
    requestTimeoutMs: 800,
  });
  const db = stack.database('customers');
  admin = await createConnection({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.database });
});
afterAll(async () => {
  await admin?.end();
  await gateway?.stop();
  await stack.stop();
});

const ask = (query: string): Promise<GraphQLResponse> => stack.gql(query, undefined, undefined, gateway);

/** Statements of the customers subgraph still in the server, other than this connection's own. */
async function runningStatements(): Promise<string[]> {
  const [rows] = await admin.query(
    `SELECT info FROM information_schema.processlist WHERE db = ? AND id <> CONNECTION_ID() AND command = 'Query' AND info LIKE '%customers%'`,
    [stack.database('customers').database],
  );
  return (rows as { info: string }[]).map((r) => r.info);
}

describe('the request deadline, end to end', () => {
  it('a statement blocked past the deadline is cancelled in MariaDB, not left running, and the client gets TIMEOUT', async () => {
    const created = await stack.data(`mutation { createCustomer(input: { kind: PERSON, firstName: "Dee", lastName: "Line", segment: A }) { id } }`);
    const id = created.createCustomer.id as string;
    // Holds the table: the subgraph's SELECT waits for the lock until something cancels it.
    await admin.query('LOCK TABLES customers WRITE');
    let answer: GraphQLResponse;
    let left: string[];
    try {
      answer = await ask(`{ customer(id: "${id}") { customerNumber } }`);
      // The statement's own time limit (what was left of the deadline) ends it in MariaDB at about the moment
      // the gateway answers; either may come first. Left running, it would wait for the lock for a day
      // (lock_wait_timeout): gone within a few seconds, with the lock still held, means cancelled.
      const until = Date.now() + 3000;
      left = await runningStatements();
      while (left.length > 0 && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        left = await runningStatements();
      }
    } finally {
      await admin.query('UNLOCK TABLES');
    }
    expect(answer.errors?.[0]?.extensions).toMatchObject({ reason: 'TIMEOUT', serviceName: 'customers' });
    expect(left).toEqual([]);
    // Once the lock is gone, the same request is served as before.
    const again = await ask(`{ customer(id: "${id}") { customerNumber } }`);
    expect(again.errors).toBeUndefined();
    expect(again.data).toEqual({ customer: { customerNumber: expect.any(String) } });
  });
});
