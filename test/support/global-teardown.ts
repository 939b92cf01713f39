/** Stops the throwaway server of global-setup (once, whichever project ends last). */
export default async function globalTeardown(): Promise<void> {
  const server = globalThis.__C360_TEST_DB__;
  globalThis.__C360_TEST_DB__ = undefined;
  if (server) {
    delete process.env.TEST_DATABASE_URL;
    await server.stop();
  }
}
