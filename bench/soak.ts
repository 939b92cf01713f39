import { runLoad } from './measure';
import { LOAD_SCENARIOS } from './scenarios';

export interface SoakResult {
  rounds: number;
  secondsPerRound: number;
  /** Gateway heap used after each round (a 2 s pause first), in bytes, from its /metrics. */
  heapAfterRound: number[];
  requests: number;
  errors: number;
  /** True when the heap grew after every round: what a leak looks like. */
  monotonicGrowth: boolean;
}

async function gatewayHeap(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  return Number(/^nodejs_heap_size_used_bytes\{[^}]*\} (\d+(?:\.\d+)?)/m.exec(text)?.[1] ?? NaN);
}

/**
 * The memory soak (issue 15): `rounds` rounds of Q1 at c=8 for
 * `secondsPerRound` each against our gateway, reading its heap after each.
 * Heap use that rises after every single round is reported as growth.
 */
export async function memorySoak(url: string, ctx: { idsFile: string; today: string }, rounds = 5, secondsPerRound = 30): Promise<SoakResult> {
  const q1 = LOAD_SCENARIOS.find((s) => s.name.startsWith('Q1'))!;
  const heapAfterRound: number[] = [];
  let requests = 0;
  let errors = 0;
  for (let round = 0; round < rounds; round++) {
    const run = await runLoad({
      url,
      query: q1.query,
      variables: q1.variables,
      idsFile: ctx.idsFile,
      today: ctx.today,
      connections: 8,
      durationSec: secondsPerRound,
    });
    requests += run.requests;
    errors += run.errors;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    heapAfterRound.push(await gatewayHeap(url.replace('/graphql', '/metrics')));
  }
  const monotonicGrowth = heapAfterRound.every((heap, i) => i === 0 || heap > heapAfterRound[i - 1]!);
  return { rounds, secondsPerRound, heapAfterRound, requests, errors, monotonicGrowth };
}
