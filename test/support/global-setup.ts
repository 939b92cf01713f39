import { INSTALL_HINT, findServerBinary, startLocalServer, type LocalServer } from '../../scripts/mariadb';

declare global {
  var __C360_TEST_DB__: LocalServer | undefined;
}

/**
 * Integration and end-to-end tests need a real MariaDB/MySQL: TEST_DATABASE_URL
 * if set, else a throwaway server started here from the binary on PATH (each
 * test file then creates its own database on it). Runs once per jest run, even
 * when both the int and the e2e project ask for it.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  if (!findServerBinary()) throw new Error(INSTALL_HINT);
  globalThis.__C360_TEST_DB__ = await startLocalServer();
  process.env.TEST_DATABASE_URL = globalThis.__C360_TEST_DB__.url;
}
