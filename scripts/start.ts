import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SignJWT } from 'jose';
import { SUBGRAPHS } from '../subgraphs';
import { SUBGRAPH_NODE_FLAGS, loadSubgraphConfig, projectRoot, utcDate } from '../subgraphs/platform';
import { GATEWAY_NODE_FLAGS, explorerTokensFile, loadGatewayConfig } from '../gateway/gateway.config';
import { seedAll } from './database';

/** How long a process may take to answer /readyz; default 60 s. */
const READY_TIMEOUT_MS = 60_000;

interface Child {
  name: string;
  process: ChildProcess;
}

const children: Child[] = [];
let stopping = false;

function spawnService(name: string, script: string, flags: string[] = []): Child {
  const child = spawn(process.execPath, [...flags, join(projectRoot(), 'dist', script)], {
    env: { ...process.env, APOLLO_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const entry = { name, process: child };
  children.push(entry);
  child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`[start] ${name} exited (${signal ?? `code ${code}`}); stopping everything`);
    void stopAll(1);
  });
  return entry;
}

async function waitReady(name: string, graphqlUrl: string): Promise<void> {
  const url = graphqlUrl.replace(/\/graphql$/, '/readyz');
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${name} was not ready within ${READY_TIMEOUT_MS / 1000} s (${url})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stopAll(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  // Gateway first, so that no request arrives at a subgraph that is going away.
  for (const child of [...children].reverse()) {
    if (child.process.exitCode === null) {
      child.process.kill('SIGTERM');
      await new Promise((r) => child.process.once('exit', r));
    }
  }
  process.exit(code);
}

const DEV_SECRET_FILE = join(projectRoot(), '.data', 'dev-auth-secret');
/** Lifetime of the printed development tokens. */
const DEV_TOKEN_HOURS = 12;

/**
 * The secrets every process needs, for a newcomer who set none:
 * - INTERNAL_AUTH_SECRET, shared by the processes this launcher starts, is
 *   generated per launch unless given (nothing outside needs it);
 * - outside production, AUTH_JWT_SECRET is generated once and kept in
 *   .data/dev-auth-secret, so printed tokens survive a restart.
 * In production nothing is generated: the gateway refuses to start without
 * an auth configuration. Answers whether development tokens can be printed.
 */
function prepareSecrets(): boolean {
  process.env.INTERNAL_AUTH_SECRET ||= randomBytes(32).toString('base64url');
  if (process.env.NODE_ENV === 'production') return false;
  if (!process.env.AUTH_JWT_SECRET && !process.env.AUTH_JWKS_URL && !process.env.AUTH_JWKS_FILE) {
    if (!existsSync(DEV_SECRET_FILE)) {
      mkdirSync(join(projectRoot(), '.data'), { recursive: true });
      writeFileSync(DEV_SECRET_FILE, randomBytes(32).toString('base64url'), { mode: 0o600 });
    }
    process.env.AUTH_JWT_SECRET = readFileSync(DEV_SECRET_FILE, 'utf8').trim();
  }
  return Boolean(process.env.AUTH_JWT_SECRET);
}

/** The tokens as the explorer offers them (EXPLORER_TOKENS_FILE, default .data/explorer-tokens.json), readable by this user only. */
function writeExplorerTokens(tokens: Record<string, string>): void {
  const file = explorerTokensFile();
  mkdirSync(dirname(file), { recursive: true });
  const entries = Object.entries(tokens).map(([role, token]) => ({ label: role, headers: { authorization: `Bearer ${token}` } }));
  writeFileSync(file, `${JSON.stringify(entries, null, 2)}\n`, { mode: 0o600 });
}

/** Ready-to-paste development tokens (HS256 with AUTH_JWT_SECRET). */
async function developmentTokens(): Promise<Record<string, string>> {
  const key = new TextEncoder().encode(process.env.AUTH_JWT_SECRET!);
  const tokens: Record<string, string> = {};
  for (const role of ['admin', 'analyst']) {
    tokens[role] = await new SignJWT({ roles: [role] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(`dev-${role}`)
      .setIssuedAt()
      .setExpirationTime(`${DEV_TOKEN_HOURS}h`)
      .sign(key);
  }
  return tokens;
}

/**
 * `npm start`: migrates every subgraph's database, seeds the demo data when
 * a database is empty (the first run), starts each subgraph on its own port
 * and then the gateway, and prints where to find them. Ctrl-C stops all.
 */
async function main(): Promise<void> {
  const printTokens = prepareSecrets();
  // Validate every process's configuration here, once, before anything starts.
  const gateway = loadGatewayConfig();
  for (const module of SUBGRAPHS) loadSubgraphConfig(module.name);
  const store = process.env.DATABASE_URL ? 'MySQL (DATABASE_URL)' : 'embedded SQLite under .data/';
  console.log(`[start] databases: ${store}`);
  await seedAll({ size: 'demo', today: utcDate(new Date()), reset: false, onlyEmpty: true, log: (line) => console.log(`${line} (first run: demo data)`) });

  for (const module of SUBGRAPHS) spawnService(module.name, join('subgraphs', module.name, 'main.js'), SUBGRAPH_NODE_FLAGS);
  await Promise.all(SUBGRAPHS.map((m) => waitReady(m.name, gateway.subgraphUrls[m.name])));
  // The explorer offers the same tokens ready to use (development only; .data is not committed).
  const tokens = printTokens ? await developmentTokens() : {};
  writeExplorerTokens(tokens);
  spawnService('gateway', join('gateway', 'main.js'), GATEWAY_NODE_FLAGS);
  const gatewayUrl = `http://localhost:${gateway.server.port}/graphql`;
  await waitReady('gateway', gatewayUrl);

  console.log('\nCustomer 360 is running.');
  for (const module of SUBGRAPHS) console.log(`  ${module.name.padEnd(13)} ${gateway.subgraphUrls[module.name]}`);
  console.log(`\n  Gateway: ${gatewayUrl}  (open it in a browser for the explorer, or http://localhost:${gateway.server.port}/explorer)`);
  if (printTokens) {
    console.log(`\n  Development tokens (${DEV_TOKEN_HOURS} h; send as "Authorization: Bearer <token>"):`);
    for (const [role, token] of Object.entries(tokens)) console.log(`    ${role.padEnd(8)} ${token}`);
  }
  console.log('\n  Ctrl-C stops everything.');
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));
main().catch((error) => {
  console.error(`[start] ${error instanceof Error ? error.message : String(error)}`);
  void stopAll(1);
});
