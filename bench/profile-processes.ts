import { join } from 'node:path';
import { SUBGRAPH_NODE_FLAGS, projectRoot } from '../subgraphs/platform';
import { GATEWAY_NODE_FLAGS } from '../gateway/gateway.config';
import { runLoad } from './measure';
import { procs, start, stop, waitFor } from './processes';
import { summarizeProfiles } from './profile';
import type { LoadScenario } from './scenarios';

/** Self time by package of each process (gateway, subgraphs) while it served one scenario at c=32. */
export interface ProcessProfiles {
  scenario: string;
  processes: Record<string, { bucket: string; share: number }[]>;
}

interface Options {
  env: NodeJS.ProcessEnv;
  /** Subgraph name → its port (the running ones are restarted there with --cpu-prof). */
  subgraphPorts: Record<string, number>;
  gatewayPort: number;
  dir: string;
  idsFile: string;
  today: string;
  durationSec: number;
}

/**
 * Restarts every subgraph and a gateway with --cpu-prof, drives one scenario
 * at c=32 through them, stops them (each writes its profile on exit) and
 * summarizes each: where every process of the graph spends its CPU. Runs
 * last: the subgraphs started this way are stopped at the end, not
 * restarted without the profiler.
 */
export async function profileProcesses(scenarios: LoadScenario[], o: Options): Promise<ProcessProfiles[]> {
  const root = projectRoot();
  const out: ProcessProfiles[] = [];
  for (const scenario of scenarios) {
    for (const name of Object.keys(o.subgraphPorts)) {
      const running = procs.find((p) => p.name === name);
      if (running) await stop(running);
    }
    const dirOf = (name: string) => join(o.dir, `profile-${scenario.name.split(' ')[0]}`, name);
    const started = Object.keys(o.subgraphPorts).map((name) =>
      start(name, [...SUBGRAPH_NODE_FLAGS, '--cpu-prof', `--cpu-prof-dir=${dirOf(name)}`, join(root, 'dist', 'subgraphs', name, 'main.js')], o.env),
    );
    const gateway = start(
      'profiled-gateway',
      [...GATEWAY_NODE_FLAGS, '--cpu-prof', `--cpu-prof-dir=${dirOf('gateway')}`, join(root, 'dist', 'gateway', 'main.js')],
      { ...o.env, GATEWAY_PORT: String(o.gatewayPort) },
    );
    await Promise.all(Object.values(o.subgraphPorts).map((port) => waitFor(`http://127.0.0.1:${port}/readyz`)));
    const url = `http://127.0.0.1:${o.gatewayPort}/graphql`;
    await waitFor(url);
    const job = { url, query: scenario.query, variables: scenario.variables, idsFile: o.idsFile, today: o.today };
    // A short warm-up, so that the profile is of steady work rather than of the JIT.
    await runLoad({ ...job, connections: 8, durationSec: Math.max(1, Math.round(o.durationSec / 3)) });
    await runLoad({ ...job, connections: 32, durationSec: o.durationSec });
    for (const p of [gateway, ...started]) await stop(p);
    out.push({
      scenario: scenario.name,
      processes: Object.fromEntries(['gateway', ...Object.keys(o.subgraphPorts)].map((name) => [name, summarizeProfiles(dirOf(name)).slice(0, 6)])),
    });
  }
  return out;
}
