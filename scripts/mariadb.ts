import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';
import { createConnection } from 'mysql2/promise';

export const INSTALL_HINT =
  'No MariaDB/MySQL server found: install one (Debian/Ubuntu: apt-get install mariadb-server; macOS: brew install mariadb) or set TEST_DATABASE_URL';

/** Where a server binary may be: PATH first, then the sbin folders Debian and Homebrew use. */
function findBinary(names: string[]): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/opt/homebrew/bin', '/usr/local/bin'];
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (dir && existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

export function findServerBinary(): string | undefined {
  return findBinary(['mariadbd', 'mysqld']);
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface LocalServer {
  /** mysql://c360:c360@127.0.0.1:<port>, with no database in the path. */
  url: string;
  port: number;
  dataDir: string;
  process: ChildProcess;
  /** Stops the server and, unless `keep` was set, removes its data directory. */
  stop(): Promise<void>;
}

export interface LocalServerOptions {
  /** Default: a new temporary directory. */
  dataDir?: string;
  /** Default: a free port. */
  port?: number;
  /** InnoDB buffer pool; default 256M. */
  bufferPool?: string;
  /** Keep the data directory on stop; default false. */
  keep?: boolean;
  /** The durability settings of production (flush and sync at every commit, binary log); default false: speed. */
  durable?: boolean;
  /** server_id, for replication: a primary (durable) is 1 unless set; a replica needs another; default none. */
  serverId?: number;
}

function initialize(server: string, dataDir: string): void {
  const user = userInfo().username;
  const isMariaDb = server.endsWith('mariadbd') || /MariaDB/i.test(spawnSync(server, ['--version']).stdout?.toString() ?? '');
  const installDb = isMariaDb ? findBinary(['mariadb-install-db', 'mysql_install_db']) : undefined;
  const result = installDb
    ? spawnSync(installDb, ['--no-defaults', `--datadir=${dataDir}`, '--auth-root-authentication-method=normal', '--skip-test-db', `--user=${user}`], {
        encoding: 'utf8',
      })
    : spawnSync(server, ['--no-defaults', '--initialize-insecure', `--datadir=${dataDir}`, `--user=${user}`], { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`initialising the database directory failed: ${(result.stderr || result.stdout || '').slice(-800)}`);
  }
}

async function waitUntilUp(socketPath: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the database server exited with code ${child.exitCode}`);
    try {
      const connection = await createConnection({ socketPath, user: 'root' });
      await connection.end();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/**
 * Starts a throwaway MariaDB (or MySQL) from the binary on PATH, on its own
 * data directory and a free port, tuned for speed over durability. Creates a
 * user c360/c360 that may do anything, reachable over TCP.
 */
export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  const server = findServerBinary();
  if (!server) throw new Error(INSTALL_HINT);
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'c360-db-'));
  const port = options.port ?? (await freePort());
  if (!existsSync(join(dataDir, 'mysql'))) initialize(server, dataDir);
  const socketPath = join(dataDir, 'mysqld.sock');
  const log = openSync(join(dataDir, 'server.log'), 'a');
  const args = [
    '--no-defaults',
    `--datadir=${dataDir}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    `--socket=${socketPath}`,
    `--pid-file=${join(dataDir, 'mysqld.pid')}`,
    `--user=${userInfo().username}`,
    `--innodb-buffer-pool-size=${options.bufferPool ?? '256M'}`,
    // A throwaway server: speed over durability, unless asked for the production settings (README, "Operate").
    ...(options.durable
      ? ['--innodb-flush-log-at-trx-commit=1', '--sync-binlog=1', '--innodb-doublewrite=1', '--log-bin=mariadb-bin', '--log-bin-trust-function-creators=1']
      : ['--innodb-flush-log-at-trx-commit=0', '--sync-binlog=0', '--skip-log-bin']),
    ...(options.serverId !== undefined || options.durable ? [`--server-id=${options.serverId ?? 1}`] : []),
    '--max-connections=1000',
    '--character-set-server=utf8mb4',
    '--collation-server=utf8mb4_unicode_ci',
  ];
  const child = spawn(server, args, { stdio: ['ignore', log, log], detached: false });
  try {
    await waitUntilUp(socketPath, child, 60_000);
    const root = await createConnection({ socketPath, user: 'root' });
    try {
      await root.query("CREATE USER IF NOT EXISTS 'c360'@'%' IDENTIFIED BY 'c360'");
      await root.query("GRANT ALL PRIVILEGES ON *.* TO 'c360'@'%' WITH GRANT OPTION");
    } finally {
      await root.end();
    }
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`the local database server did not start (log: ${join(dataDir, 'server.log')}): ${error instanceof Error ? error.message : String(error)}`);
  }
  let stopped: Promise<void> | undefined;
  return {
    url: `mysql://c360:c360@127.0.0.1:${port}`,
    port,
    dataDir,
    process: child,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        const done = () => {
          if (!options.keep) rmSync(dataDir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(killer);
          done();
        });
        child.kill('SIGTERM');
      });
      return stopped;
    },
  };
}
