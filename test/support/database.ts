import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { EnvReader, envPrefix, readDatabaseConfig, type DatabaseConfig, type SubgraphName } from '../../subgraphs/platform';

/** A database of its own for one test file, on the test server. */
export function testDatabase(subgraph: SubgraphName): Extract<DatabaseConfig, { type: 'mysql' }> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set; run the tests through jest (its global setup starts a server)');
  const name = `c360_test_${subgraph.replace(/-/g, '_')}_${randomBytes(4).toString('hex')}`;
  const base = new URL(url);
  base.pathname = `/${name}`;
  const config = readDatabaseConfig(new EnvReader({ [`${envPrefix(subgraph)}_DATABASE_URL`]: base.toString() }), subgraph);
  if (config.type !== 'mysql') throw new Error('TEST_DATABASE_URL must be a mysql:// URL');
  return config;
}

/** A test database as the `<SUBGRAPH>_DATABASE_URL` a process or tool is given. */
export function databaseUrl(db: Extract<DatabaseConfig, { type: 'mysql' }>): string {
  return `mysql://${db.user}:${encodeURIComponent(db.password ?? '')}@${db.host}:${db.port}/${db.database}`;
}

/** MariaDB's ER_DB_DROP_RMDIR: a file appeared in the database's directory while it was dropped. */
const DROP_RMDIR = 1010;

/**
 * Drops a test database; a failed removal of its directory (errno 39,
 * directory not empty) is tried again, four times at most. Seen in CI to
 * persist, about once a run: every table gone, and one file left in the
 * directory, `<table>.TRG-` of a table with triggers (`audit_events`,
 * `key_account_members`, `key_account_member_history`): by its name a copy
 * of that table's trigger file, and a file DROP DATABASE does not know.
 * That is cleanup the throwaway server's data directory ends anyway, so it
 * is reported with the files left, not failed; a table left behind still fails.
 */
export async function dropDatabase(db: Extract<DatabaseConfig, { type: 'mysql' }>): Promise<void> {
  const connection = await createConnection({ host: db.host, port: db.port, user: db.user, password: db.password });
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await connection.query(`DROP DATABASE IF EXISTS \`${db.database}\``);
        return;
      } catch (error) {
        if ((error as { errno?: number }).errno !== DROP_RMDIR) throw error;
        if (attempt === 4) return await reportLeftovers(connection, db.database, error as Error);
        await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
      }
    }
  } finally {
    await connection.end();
  }
}

/** After a DROP that could not remove the directory: fails if a table is left, else names the files that are. */
async function reportLeftovers(connection: Connection, database: string, error: Error): Promise<void> {
  const [tables] = await connection.query<RowDataPacket[]>('SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?', [database]);
  if (tables.length > 0) throw new Error(`${error.message}; tables left: ${tables.map((t) => String(t.name)).join(', ')}`);
  const [rows] = await connection.query<RowDataPacket[]>('SELECT @@datadir AS dir');
  let files: string;
  try {
    files = readdirSync(join(String(rows[0]?.dir), database)).join(', ') || '(none)';
  } catch {
    files = '(the data directory is not on this machine)';
  }
  console.warn(`dropDatabase: ${database} has no table left, but its directory stays (${error.message}); files: ${files}`);
}

/** The two databases a write path is tested on: the production MariaDB and the embedded SQLite default. */
export const DATABASE_KINDS = ['mariadb', 'sqlite'] as const;
export type DatabaseKind = (typeof DATABASE_KINDS)[number];

/** A fresh database of either kind for one test file: SQLite in a temporary directory, as `npm start` uses it. */
export function databaseOf(kind: DatabaseKind, subgraph: SubgraphName): DatabaseConfig {
  if (kind === 'mariadb') return testDatabase(subgraph);
  return { type: 'sqlite', path: join(mkdtempSync(join(tmpdir(), 'c360-test-')), `${subgraph}.sqlite`) };
}
