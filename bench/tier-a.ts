import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { envPrefix, projectRoot, type SubgraphName } from '../subgraphs/platform';
import { GATEWAY_NODE_FLAGS } from '../gateway/gateway.config';
import { startHive } from './hive';
import { combineRuns, runLoad, type LoadRun } from './measure';
import { cpuMillis, peaks, resetPeaks, start, stop, waitFor, type Proc } from './processes';
import { summarizeProfiles } from './profile';
import { Q1, Q2, type VariableKind } from './scenarios';

/**
 * Tier A: the gateway alone. Every subgraph is replaced by the replay server
 * (bench/replay-server.ts), which answers each subgraph request with the
 * response recorded from the real subgraph during the warm-up, so almost all
 * the CPU left is the gateway's. The gateway under test is pinned to core 1
 * (taskset), the replay server to core 0; the load generator runs where the
 * kernel puts it. Operations have fixed variables, so that every subgraph
 * request has been recorded; our gateway runs with SUBGRAPH_DEDUPE=false,
 * since identical concurrent requests would otherwise share one fetch and
 * the comparison would no longer be of gateway work.
 */
export interface TierAScenario {
  name: string;
  c1: LoadRun;
  /** Median of the c=32 runs, with each run. */
  c32: LoadRun & { runs: LoadRun[] };
  /** CPU ms of the gateway per request at c=32, and what that makes one core serve. */
  cpuMsPerRequest: number;
  rpsPerCore: number;
  peakRssMb: number;
  /** Subgraph requests the replay server had not recorded during the measured runs (forwarded; should be 0). */
  replayMisses: number;
}

export interface TierAResult {
  target: string;
  label: string;
  scenarios: TierAScenario[];
}

export interface TierAReport {
  results: TierAResult[];
  /** Self time of our gateway by package, Q2 at c=32 against the replay server. */
  profile: { bucket: string; share: number }[];
}

interface TierAOptions {
  env: NodeJS.ProcessEnv;
  /** The real subgraphs, for recording. */
  subgraphUrls: Record<string, string>;
  supergraph: string;
  portBase: number;
  /** One customer id: Q1's fixed variable. */
  customerId: string;
  today: string;
  dir: string;
  durationSec: number;
  warmupSec: number;
  runs: number;
  withHive: boolean;
}

const SCENARIOS: { name: string; query: string; variables: VariableKind }[] = [
  { name: 'Q1 customer 360', query: Q1, variables: 'customerId' },
  { name: 'Q2 page of 100', query: Q2, variables: 'segmentPage100Fixed' },
];

async function replayStats(port: number): Promise<{ hits: number; misses: number }> {
  return (await (await fetch(`http://127.0.0.1:${port}/__stats`)).json()) as { hits: number; misses: number };
}

/** The supergraph with every subgraph URL pointing at the replay server (for Hive, which reads URLs from it). */
function replaySupergraph(sdl: string, replayUrls: Record<string, string>): string {
  return sdl.replace(/@join__graph\(name: "([^"]+)", url: "[^"]*"\)/g, (_m, name: string) => `@join__graph(name: "${name}", url: "${replayUrls[name]}")`);
}

export async function gatewayOnly(o: TierAOptions, readSupergraph: () => string): Promise<TierAReport> {
  const root = projectRoot();
  const replayPort = o.portBase + 50;
  const replay = start('replay', [join(root, 'dist', 'bench', 'replay-server.js'), String(replayPort), JSON.stringify(o.subgraphUrls)], o.env, { cpu: '0' });
  const replayUrls = Object.fromEntries(Object.keys(o.subgraphUrls).map((name) => [name, `http://127.0.0.1:${replayPort}/${name}`]));
  const idsFile = join(o.dir, 'tier-a-ids.json');
  writeFileSync(idsFile, JSON.stringify([o.customerId]));
  const supergraphFile = join(o.dir, 'tier-a-supergraph.graphql');
  writeFileSync(supergraphFile, replaySupergraph(readSupergraph(), replayUrls));
  await waitFor(`http://127.0.0.1:${replayPort}/__stats`);

  const ourEnv = (port: number): NodeJS.ProcessEnv => ({
    ...o.env,
    GATEWAY_PORT: String(port),
    SUBGRAPH_DEDUPE: 'false',
    ...Object.fromEntries(Object.entries(replayUrls).map(([n, u]) => [`${envPrefix(n as SubgraphName)}_URL`, u])),
  });
  const targets: { name: string; label: string; launch: (port: number) => Promise<Proc | null> }[] = [
    {
      name: 'ours',
      label: 'Customer 360 gateway',
      launch: async (port) => start('a-ours', [...GATEWAY_NODE_FLAGS, join(root, 'dist', 'gateway', 'main.js')], ourEnv(port), { cpu: '1' }),
    },
    {
      name: 'stock',
      label: 'stock @apollo/gateway',
      launch: async (port) =>
        start(
          'a-stock',
          [...GATEWAY_NODE_FLAGS, join(root, 'dist', 'bench', 'stock-gateway.js'), supergraphFile, String(port), JSON.stringify(replayUrls)],
          o.env,
          {
            cpu: '1',
          },
        ),
    },
  ];
  if (o.withHive) {
    targets.push({
      name: 'hive',
      label: 'Hive Gateway',
      launch: async (port) => (await startHive(supergraphFile, o.env, port, { name: 'a-hive', cpu: '1' }))?.proc ?? null,
    });
  }

  const results: TierAResult[] = [];
  for (const [i, target] of targets.entries()) {
    const port = replayPort + 1 + i;
    const url = `http://127.0.0.1:${port}/graphql`;
    const proc = await target.launch(port);
    if (!proc) continue;
    await waitFor(url);
    const scenarios: TierAScenario[] = [];
    for (const s of SCENARIOS) {
      const job = { url, query: s.query, variables: s.variables, idsFile, today: o.today };
      // The warm-up records every subgraph request of the operation.
      await runLoad({ ...job, connections: 8, durationSec: o.warmupSec });
      const c1 = await runLoad({ ...job, connections: 1, durationSec: o.durationSec });
      resetPeaks();
      const before = { cpu: cpuMillis(proc.child.pid), replay: await replayStats(replayPort) };
      const runs: LoadRun[] = [];
      for (let r = 0; r < o.runs; r++) runs.push(await runLoad({ ...job, connections: 32, durationSec: o.durationSec }));
      const after = { cpu: cpuMillis(proc.child.pid), replay: await replayStats(replayPort) };
      const requests = Math.max(
        1,
        runs.reduce((n, r) => n + r.requests, 0),
      );
      const cpuMsPerRequest = (after.cpu - before.cpu) / requests;
      scenarios.push({
        name: s.name,
        c1,
        c32: combineRuns(runs),
        cpuMsPerRequest,
        rpsPerCore: cpuMsPerRequest > 0 ? 1000 / cpuMsPerRequest : 0,
        peakRssMb: (peaks()[proc.name] ?? 0) / 1024 / 1024,
        replayMisses: after.replay.misses - before.replay.misses,
      });
      console.log(`[bench] tier A ${target.name} ${s.name}: c=32 ${combineRuns(runs).rps.toFixed(0)} rps, ${cpuMsPerRequest.toFixed(2)} ms CPU per request`);
    }
    results.push({ target: target.name, label: target.label, scenarios });
    await stop(proc);
  }

  // Where our gateway's time goes: Q2 at c=32 with --cpu-prof, pinned like the runs above.
  const profileDir = join(o.dir, 'tier-a-profile');
  const port = replayPort + 9;
  const profiled = start(
    'a-profiled',
    [...GATEWAY_NODE_FLAGS, '--cpu-prof', `--cpu-prof-dir=${profileDir}`, join(root, 'dist', 'gateway', 'main.js')],
    ourEnv(port),
    {
      cpu: '1',
    },
  );
  const url = `http://127.0.0.1:${port}/graphql`;
  await waitFor(url);
  const q2 = SCENARIOS[1]!;
  await runLoad({ url, query: q2.query, variables: q2.variables, idsFile, today: o.today, connections: 32, durationSec: o.durationSec });
  await stop(profiled);
  await stop(replay);
  return { results, profile: summarizeProfiles(profileDir) };
}
