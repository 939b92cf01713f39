import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../subgraphs/platform';
import { start, type Proc } from './processes';

/** The Hive Gateway release compared against (installed on demand, not a dependency). */
export const HIVE_GATEWAY_VERSION = '2.15.1';

const root = projectRoot();

/** Hive Gateway, installed on demand into a scratch folder (it is not a dependency of the project). */
export async function startHive(
  supergraph: string,
  env: NodeJS.ProcessEnv,
  port: number,
  options: { name?: string; cpu?: string } = {},
): Promise<{ version: string; proc: Proc } | null> {
  const dir = join(tmpdir(), `c360-hive-gateway-${HIVE_GATEWAY_VERSION}`);
  mkdirSync(dir, { recursive: true });
  const bin = join(dir, 'node_modules', '@graphql-hive', 'gateway', 'dist', 'bin.js');
  if (!existsSync(bin)) {
    const code = await new Promise<number>((resolve) => {
      const npm = spawn('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', `@graphql-hive/gateway@${HIVE_GATEWAY_VERSION}`], { stdio: 'ignore' });
      npm.on('exit', (c) => resolve(c ?? 1));
    });
    if (code !== 0 || !existsSync(bin)) return null;
  }
  const version = (JSON.parse(readFileSync(join(dir, 'node_modules', '@graphql-hive', 'gateway', 'package.json'), 'utf8')) as { version: string }).version;
  // The subgraphs answer signed requests only: Hive forwards the bench's principal, signed as the stock
  // gateway does (gateway.config.cjs, which Hive loads from its working directory).
  const helper = join(root, 'dist', 'bench', 'auth-cost.js');
  writeFileSync(
    join(dir, 'gateway.config.cjs'),
    `const principal = require(${JSON.stringify(helper)}).benchPrincipalSigner(process.env.INTERNAL_AUTH_SECRET);
exports.gatewayConfig = {
  propagateHeaders: {
    async fromClientToSubgraphs() {
      return { 'x-c360-principal': await principal() };
    },
  },
};
`,
  );
  const proc = start(options.name ?? 'hive-gateway', [bin, 'supergraph', supergraph, '--port', String(port)], env, { cwd: dir, cpu: options.cpu });
  return { version, proc };
}
