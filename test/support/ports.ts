import { createServer } from 'node:net';

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

let next = 0;

/**
 * A free port for a test server. Each jest worker draws from its own range,
 * so two workers never pick the same port between probing and binding (what
 * asking the OS for "any free port" in parallel workers cannot promise).
 */
export async function testPort(): Promise<number> {
  const worker = Number(process.env.JEST_WORKER_ID ?? '1');
  for (let tries = 0; tries < 500; tries++) {
    const port = 20_000 + worker * 500 + (next++ % 500);
    if (await isFree(port)) return port;
  }
  throw new Error("no free port in this worker's range");
}
