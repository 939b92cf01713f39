import { createConnection } from 'mysql2/promise';
import { dropDatabase, testDatabase } from '../../test/support/database';
import { customersSubgraph } from '../customers';
import { openSubgraphDatabase } from './subgraph';
import { isStatementTimeout } from './datasource';
import { withDeadline } from './deadline';
import type { DataSource } from 'typeorm';

describe('the SQL session of a serving subgraph: statement timeout and IN lists', () => {
  const db = testDatabase('customers');
  let dataSource: DataSource;
  beforeAll(async () => {
    const server = {
      port: 0,
      host: '127.0.0.1',
      production: false,
      bodyLimitBytes: 1024,
      shutdownTimeoutMs: 0,
      internalAuthSecret: 'x'.repeat(32),
      sqlStatementTimeoutMs: 500,
    };
    dataSource = await openSubgraphDatabase({ server, database: db, migrate: true }, customersSubgraph.dataSourceOptions());
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await dropDatabase(db);
  });

  it('cancels a statement that runs longer, in the server: the process list no longer shows it', async () => {
    // Several at once, so that pooled connections made after start are capped too.
    const slow = await Promise.allSettled(Array.from({ length: 4 }, (_, i) => dataSource.query(`SELECT SLEEP(3) AS slept, ${i} AS n`)));
    for (const result of slow) {
      expect(result.status).toBe('rejected');
      const reason = (result as PromiseRejectedResult).reason as unknown;
      expect(isStatementTimeout(reason)).toBe(true);
    }
    const admin = await createConnection({ host: db.host, port: db.port, user: db.user, password: db.password });
    try {
      const [rows] = await admin.query("SELECT COUNT(*) AS n FROM information_schema.processlist WHERE info LIKE 'SELECT SLEEP(3)%'");
      expect(Number((rows as { n: unknown }[])[0]!.n)).toBe(0);
    } finally {
      await admin.end();
    }
    // A statement within the cap runs as before.
    expect(await dataSource.query('SELECT SLEEP(0.1) AS slept')).toEqual([{ slept: expect.anything() }]);
  });

  it('keeps IN lists of keys as index lookups on every pooled connection (MariaDB rewrites long ones into a derived table)', async () => {
    const settings = await Promise.all(
      Array.from({ length: 4 }, () => dataSource.query('SELECT @@SESSION.in_predicate_conversion_threshold AS t, SLEEP(0.05) AS s')),
    );
    for (const [row] of settings as { t: unknown }[][]) expect(Number(row!.t)).toBe(0);
    const ids = Array.from({ length: 1200 }, (_, i) => `'k${i}'`).join(',');
    const plan: { table: string | null }[] = await dataSource.query(`EXPLAIN SELECT id FROM customers WHERE id IN (${ids})`);
    expect(plan.map((step) => step.table)).toEqual(['customers']);
  });

  it("within a request, a statement ends at the request's deadline, sooner than the cap", async () => {
    // The cap is 500 ms; the request has 150 ms left, and a 0.4 s sleep would fit the cap.
    const [inRequest] = await Promise.allSettled([withDeadline(Date.now() + 150, () => dataSource.query('SELECT SLEEP(0.4) AS slept'))]);
    expect(inRequest.status).toBe('rejected');
    expect(isStatementTimeout((inRequest as PromiseRejectedResult).reason)).toBe(true);
    // Outside a request only the cap applies.
    expect(await dataSource.query('SELECT SLEEP(0.4) AS slept')).toEqual([{ slept: expect.anything() }]);
    // A transaction's statements each get what is left; the rolled-back transaction wrote nothing.
    await dataSource.query('CREATE TABLE IF NOT EXISTS deadline_probe (n INT)');
    const [written] = await Promise.allSettled([
      withDeadline(Date.now() + 150, () =>
        dataSource.transaction(async (manager) => {
          await manager.query('INSERT INTO deadline_probe (n) VALUES (1)');
          await manager.query('SELECT SLEEP(0.4) AS slept');
        }),
      ),
    ]);
    expect(written.status).toBe('rejected');
    expect(Number((await dataSource.query('SELECT COUNT(*) AS n FROM deadline_probe'))[0].n)).toBe(0);
  });
});
