import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { testPort } from './ports';

/** A throwaway Redis for one test file: Debian's redis-server, no persistence, on a free local port. */
export interface TestRedis {
  url: string;
  stop(): Promise<void>;
}

const BINARIES = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'];

export async function startRedis(): Promise<TestRedis> {
  const binary = BINARIES.find((b) => existsSync(b)) ?? 'redis-server';
  const port = await testPort();
  const child: ChildProcess = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${output.slice(-500)}`)), 10_000);
    child.once('error', () => {
      clearTimeout(timer);
      reject(new Error('redis-server not found: apt-get install redis-server (.ci/run does)'));
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
