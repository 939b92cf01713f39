import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

/** A process the benchmark started (a subgraph, a gateway, the replay server). */
export interface Proc {
  name: string;
  child: ChildProcess;
}

/** Every process this run started, stopped at the end (and on Ctrl-C). */
export const procs: Proc[] = [];

/** Starts a Node process; `cpu` pins it to those cores with taskset (default: any core). */
export function start(name: string, args: string[], env: NodeJS.ProcessEnv, options: { cwd?: string; cpu?: string } = {}): Proc {
  const child = options.cpu
    ? spawn('taskset', ['-c', options.cpu, process.execPath, ...args], { env, cwd: options.cwd, stdio: ['ignore', 'ignore', 'inherit'] })
    : spawn(process.execPath, args, { env, cwd: options.cwd, stdio: ['ignore', 'ignore', 'inherit'] });
  const proc = { name, child };
  procs.push(proc);
  return proc;
}

/** Stops one process and forgets it. */
export async function stop(proc: Proc): Promise<void> {
  const index = procs.indexOf(proc);
  if (index >= 0) procs.splice(index, 1);
  if (proc.child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    proc.child.once('exit', () => resolve());
    proc.child.kill('SIGTERM');
  });
}

/** Waits until `url` answers 2xx (a GraphQL endpoint is asked for __typename). */
export async function waitFor(url: string, seconds = 120): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  let last = 'no answer';
  for (;;) {
    try {
      const response = await fetch(url, {
        method: url.endsWith('/graphql') ? 'POST' : 'GET',
        headers: { 'content-type': 'application/json', ...(process.env.BENCH_AUTHORIZATION ? { authorization: process.env.BENCH_AUTHORIZATION } : {}) },
        body: url.endsWith('/graphql') ? '{"query":"{ __typename }"}' : undefined,
      });
      if (response.ok) return;
      last = `${response.status} ${(await response.text()).slice(0, 200)}`;
    } catch (error) {
      // not up yet
      last = error instanceof Error ? `${error.message} ${String((error.cause as Error | undefined)?.message ?? '')}` : String(error);
    }
    if (Date.now() > deadline) throw new Error(`${url} did not come up (last: ${last})`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Resets each process's peak RSS (Linux clear_refs), so the next reading is the peak of one run. */
export function resetPeaks(): void {
  for (const p of procs) {
    try {
      writeFileSync(`/proc/${p.child.pid}/clear_refs`, '5');
    } catch {
      // not Linux, or not allowed: peaks then cover the whole bench
    }
  }
}

/** Peak RSS per process name, in bytes, since the last resetPeaks. */
export function peaks(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of procs) {
    try {
      const status = readFileSync(`/proc/${p.child.pid}/status`, 'utf8');
      out[p.name] = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    } catch {
      out[p.name] = 0;
    }
  }
  return out;
}

/** CPU time (user + system) a process has used so far, in ms (Linux /proc; 0 elsewhere). */
export function cpuMillis(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command; clock ticks of 10 ms on Linux.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** CPU ms so far of each named process (taskset's child is the process itself: taskset execs). */
export function cpuByProcess(extra: Record<string, number | undefined> = {}): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of procs) out[p.name] = cpuMillis(p.child.pid);
  for (const [name, pid] of Object.entries(extra)) out[name] = cpuMillis(pid);
  return out;
}
