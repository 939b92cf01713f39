import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { dropDatabase, testDatabase } from './database';

type Probe = { db: ReturnType<typeof testDatabase>; connection: Connection; warn: jest.SpyInstance };

/** A test database holding one table, a server connection, and console.warn watched; all undone afterwards. */
async function withProbe(work: (probe: Probe) => Promise<void>): Promise<void> {
  const db = testDatabase('customers');
  const connection = await createConnection({ host: db.host, port: db.port, user: db.user, password: db.password });
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    await connection.query(`CREATE DATABASE \`${db.database}\``);
    await connection.query(`CREATE TABLE \`${db.database}\`.probe (n INT PRIMARY KEY)`);
    await work({ db, connection, warn });
  } finally {
    warn.mockRestore();
    await connection.end();
  }
}

// The test helper every int and e2e suite ends with: a directory MariaDB cannot remove must not fail a suite whose tests passed.
describe('dropDatabase', () => {
  it('drops every table and reports, without failing, a directory that a stray file keeps', () =>
    withProbe(async ({ db, connection, warn }) => {
      const [[row]] = await connection.query<RowDataPacket[]>('SELECT @@datadir AS dir');
      writeFileSync(join(String(row!.dir), db.database, 'stray.bin'), 'not a table');

      await dropDatabase(db);

      const [tables] = await connection.query<RowDataPacket[]>('SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?', [db.database]);
      expect(tables).toEqual([]);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toContain('stray.bin');
    }));

  it('drops a database with nothing stray in it, silently', () =>
    withProbe(async ({ db, connection, warn }) => {
      await dropDatabase(db);

      const [schemas] = await connection.query<RowDataPacket[]>('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [db.database]);
      expect(schemas).toEqual([]);
      expect(warn).not.toHaveBeenCalled();
    }));
});
