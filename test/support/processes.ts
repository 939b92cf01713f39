import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SUBGRAPHS } from '../../subgraphs';
import { GATEWAY_NODE_FLAGS } from '../../gateway/gateway.config';
import { SUBGRAPH_NODE_FLAGS, envPrefix, projectRoot, type SubgraphName } from '../../subgraphs/platform';
import { bearer } from './auth';
import { counterTotal } from '../../scripts/metrics-scrape';
import { databaseUrl, dropDatabase, testDatabase } from './database';
import { testPort } from './ports';

type ServiceName = SubgraphName | 'gateway';

/** How a process ended: its exit code or signal, and how long after the signal it took. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  afterMs: number;
}

/**
 * The deployment as separate OS processes: each subgraph and the gateway run
 * from dist/ (`npm test` builds first), on free ports, each subgraph on a
 * fresh database of the test server, so that a test can SIGKILL or SIGTERM
 * one of them for real.
 */
export class ProcessStack {
  private readonly ports = new Map<ServiceName, number>();
  private readonly databases = new Map<SubgraphName, ReturnType<typeof testDatabase>>();
  private readonly children = new Map<ServiceName, ChildProcess>();
  adminHeaders: Record<string, string> = {};

  constructor(
    /** Extra environment for every process, e.g. SHUTDOWN_TIMEOUT_MS; overrides per service via `envFor`. */
    private readonly env: NodeJS.ProcessEnv = {},
    private readonly envFor: Partial<Record<ServiceName, NodeJS.ProcessEnv>> = {},
  ) {}

  get gatewayUrl(): string {
    return this.url('gateway');
  }

  url(name: ServiceName): string {
    return `http://127.0.0.1:${this.ports.get(name)}/graphql`;
  }

  /** Ports and databases for everything; starts the subgraphs in `subgraphs` (default all), then the gateway. */
  async start(subgraphs: readonly SubgraphName[] = SUBGRAPHS.map((m) => m.name)): Promise<void> {
    if (!existsSync(join(projectRoot(), 'dist', 'gateway', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
    this.adminHeaders = await bearer(['admin'], 'fault-tester');
    for (const name of [...SUBGRAPHS.map((m) => m.name), 'gateway'] as ServiceName[]) this.ports.set(name, await testPort());
    for (const m of SUBGRAPHS) this.databases.set(m.name, testDatabase(m.name));
    await Promise.all(subgraphs.map((name) => this.startService(name)));
    await this.startService('gateway');
  }

  /** Starts (or restarts) one service and waits until it answers /readyz. */
  async startService(name: ServiceName): Promise<void> {
    const script = name === 'gateway' ? join('gateway', 'main.js') : join('subgraphs', name, 'main.js');
    // The Node flags of a deployment (launcher, docker-compose): memory is measured as it would be there.
    const flags = name === 'gateway' ? GATEWAY_NODE_FLAGS : SUBGRAPH_NODE_FLAGS;
    const child = spawn(process.execPath, [...flags, join(projectRoot(), 'dist', script)], {
      env: { ...this.baseEnv(), ...this.env, ...this.envFor[name] },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    this.children.set(name, child);
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} while starting`);
      try {
        if ((await fetch(this.url(name).replace('/graphql', '/readyz'))).ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`${name} did not become ready`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Sends `signal` and waits for the process to end (SIGKILL after `waitMs`). */
  async signal(name: ServiceName, signal: NodeJS.Signals, waitMs = 20_000): Promise<Exit> {
    const child = this.children.get(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} is not running`);
    const sent = Date.now();
    const exited = new Promise<Exit>((resolve) => child.once('exit', (code, sig) => resolve({ code, signal: sig, afterMs: Date.now() - sent })));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), waitMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The DATABASE_URL settings of these subgraphs, e.g. to seed one with `openSubgraph`. */
  databaseEnv(names: readonly SubgraphName[]): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { INTERNAL_AUTH_SECRET: process.env.INTERNAL_AUTH_SECRET };
    for (const name of names) env[`${envPrefix(name)}_DATABASE_URL`] = databaseUrl(this.databases.get(name)!);
    return env;
  }

  /** The most resident memory the process has had so far (VmHWM), in bytes. */
  peakRss(name: ServiceName): number {
    const pid = this.children.get(name)?.pid;
    const status = pid ? readFileSync(`/proc/${pid}/status`, 'utf8') : '';
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
    if (!kb) throw new Error(`${name}: no peak RSS (not running, or no /proc)`);
    return Number(kb) * 1024;
  }

  /** GraphQL requests the subgraphs have served so far, from their /metrics. */
  subgraphRequests(): Promise<number> {
    const started = SUBGRAPHS.filter((m) => this.children.has(m.name)).map((m) => this.url(m.name));
    return counterTotal(started, 'c360_graphql_requests_total');
  }

  async post(query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: any }> {
    const response = await fetch(this.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.adminHeaders },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    return { status: response.status, body: JSON.parse(text) };
  }

  async stop(): Promise<void> {
    await Promise.all(
      [...this.children.entries()]
        .filter(([, child]) => child.exitCode === null && child.signalCode === null)
        .map(([name]) => this.signal(name, 'SIGTERM', 10_000).catch(() => undefined)),
    );
    for (const db of this.databases.values()) await dropDatabase(db).catch(() => undefined);
  }

  private baseEnv(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      TZ: 'UTC',
      APOLLO_TELEMETRY_DISABLED: '1',
      LOG_LEVEL: 'warn',
      MIGRATE_ON_START: 'true',
      HOST: '127.0.0.1',
      INTERNAL_AUTH_SECRET: process.env.INTERNAL_AUTH_SECRET,
      AUTH_JWT_SECRET: process.env.AUTH_JWT_SECRET,
      AUTH_API_KEYS_FILE: '/nonexistent/api-keys.json',
      GATEWAY_PORT: String(this.ports.get('gateway')),
      EXPLORER: 'false',
      RATE_LIMIT_PER_MINUTE: '1000000',
    };
    for (const m of SUBGRAPHS) {
      const prefix = envPrefix(m.name);
      const db = this.databases.get(m.name)!;
      env[`${prefix}_PORT`] = String(this.ports.get(m.name));
      env[`${prefix}_URL`] = this.url(m.name);
      env[`${prefix}_DATABASE_URL`] = databaseUrl(db);
    }
    return env;
  }
}
