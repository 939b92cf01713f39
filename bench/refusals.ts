import { request } from 'undici';

/** Milliseconds from sending to a complete refusal at our gateway, median and worst of the runs. */
export interface RefusalLatency {
  depth50: { p50: number; max: number };
  aliases1000: { p50: number; max: number };
  tokens100k: { p50: number; max: number };
}

/** The abusive operations of issue 13's targets: 50 levels deep, 1,000 aliases, 100,000 tokens. */
export function abusiveOperations(): Record<keyof RefusalLatency, string> {
  const repeats = 17;
  return {
    depth50: `{ customers(first: 1) { nodes { ${'interactions(first: 1) { nodes { customer { '.repeat(repeats)} id ${'} } } '.repeat(repeats)} } } }`,
    aliases1000: `{ customers(first: 1) { ${Array.from({ length: 1000 }, (_, i) => `a${i}: totalCount`).join(' ')} } }`,
    tokens100k: `{ segmentReport { ${Array.from({ length: 100_000 }, () => 'segment').join(' ')} } }`,
  };
}

/**
 * Sends each abusive operation `runs` times to the running gateway (one at a
 * time, over a kept-alive connection) and measures the time until the whole
 * refusal has arrived. The e2e tests check that none asks a subgraph.
 */
export async function refusalLatency(url: string, authorization: string, runs = 50): Promise<RefusalLatency> {
  const result = {} as RefusalLatency;
  for (const [name, query] of Object.entries(abusiveOperations()) as [keyof RefusalLatency, string][]) {
    const body = JSON.stringify({ query });
    const times: number[] = [];
    for (let i = 0; i < runs + 5; i++) {
      const started = process.hrtime.bigint();
      const response = await request(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body });
      const text = await response.body.text();
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (!/limit of \d+ exceeded/.test(text)) throw new Error(`${name} was not refused by a limit: ${text.slice(0, 200)}`);
      if (i >= 5) times.push(ms);
    }
    times.sort((a, b) => a - b);
    result[name] = { p50: times[Math.floor(times.length / 2)]!, max: times[times.length - 1]! };
  }
  return result;
}
