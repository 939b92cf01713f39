import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; hitCount?: number }[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a stack frame's code lives: a package, Node itself, our code, or the idle/GC pseudo-frames. */
function bucket(url: string, fn: string): string {
  if (!url) {
    if (fn.startsWith('(')) return fn;
    if (fn === 'parse' || fn === 'stringify') return 'JSON (native)';
    // Synchronous socket and pipe writes; on a saturated machine they also hold the time the process
    // was descheduled when the write woke its peer (the profiler samples wall time).
    if (fn === 'writeBuffer' || fn === 'writeString' || fn === 'writev') return 'writes (native)';
    return '(native)';
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  // node:internal/streams/writable → node:internal/streams: HTTP, streams, timers and promises stay apart.
  if (url.startsWith('node:'))
    return `node:${url
      .slice(5)
      .split('/')
      .slice(0, url.startsWith('node:internal/') ? 2 : 1)
      .join('/')}`;
  return 'customer360';
}

/**
 * Frames that are not serving: waiting, and loading modules (a server loads
 * its modules once, at start, which a profile from process start includes).
 */
const NOT_SERVING = new Set(['(idle)', '(program)', 'node:internal/modules']);

/** Self time per bucket, as shares of the busy time spent serving, largest first. */
export function summarizeProfiles(dir: string): { bucket: string; share: number }[] {
  const totals = new Map<string, number>();
  let all = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, i) => {
      const node = byId.get(id)!;
      const key = bucket(node.callFrame.url, node.callFrame.functionName);
      if (NOT_SERVING.has(key)) return;
      const dt = profile.timeDeltas[i] ?? 0;
      totals.set(key, (totals.get(key) ?? 0) + dt);
      all += dt;
    });
  }
  return [...totals]
    .map(([b, t]) => ({ bucket: b, share: all ? t / all : 0 }))
    .sort((a, b) => b.share - a.share)
    .slice(0, 12);
}
