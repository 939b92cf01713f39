import { join } from 'node:path';
import { request } from 'undici';
import { GATEWAY_NODE_FLAGS } from '../gateway/gateway.config';
import { delayingProxy } from '../scripts/delaying-proxy';
import { envPrefix, projectRoot } from '../subgraphs/platform';
import { start, stop, waitFor } from './processes';

/** How long answers take while one subgraph is slower than the gateway's subgraph deadline (the fault-tolerance target: every answer within the deadline plus 10 %). */
export interface SlowSubgraphLatency {
  deadlineMs: number;
  delayMs: number;
  connections: number;
  requests: number;
  /** Answers that were partial: the slow subgraph's fields null with a retryable TIMEOUT. */
  partial: number;
  p50: number;
  p95: number;
  max: number;
}

const PAGE = `query SlowPage { customers(first: 5) { nodes { id displayName openBalance { amount } openComplaintCount } } }`;

/**
 * A gateway of its own with a `deadlineMs` subgraph deadline, whose claims
 * subgraph answers only after `delayMs` (a delaying proxy): `connections`
 * clients ask a page that needs claims for `seconds`, after one warm-up
 * round (a cold gateway also plans the operation and opens its connections).
 */
export async function slowSubgraphLatency(
  env: NodeJS.ProcessEnv,
  claimsUrl: string,
  port: number,
  authorization: string,
  { deadlineMs = 2000, delayMs = 6000, connections = 8, seconds = 5 } = {},
): Promise<SlowSubgraphLatency> {
  const proxy = await delayingProxy(claimsUrl, delayMs);
  const gateway = start('slow-gateway', [...GATEWAY_NODE_FLAGS, join(projectRoot(), 'dist', 'gateway', 'main.js')], {
    ...env,
    GATEWAY_PORT: String(port),
    SUBGRAPH_TIMEOUT_MS: String(deadlineMs),
    [`${envPrefix('claims')}_URL`]: proxy.url,
  });
  const url = `http://127.0.0.1:${port}/graphql`;
  try {
    await waitFor(url);
    const body = JSON.stringify({ query: PAGE });
    const headers = { 'content-type': 'application/json', authorization };
    const ask = async (): Promise<{ ms: number; partial: boolean }> => {
      const started = process.hrtime.bigint();
      const response = await request(url, { method: 'POST', headers, body });
      const text = await response.body.text();
      return { ms: Number(process.hrtime.bigint() - started) / 1e6, partial: response.statusCode === 200 && text.includes('"TIMEOUT"') };
    };
    await Promise.all(Array.from({ length: connections }, ask));
    const answers: { ms: number; partial: boolean }[] = [];
    const until = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (Date.now() < until) answers.push(await ask());
      }),
    );
    const times = answers.map((a) => a.ms).sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(times.length * q))]!;
    return {
      deadlineMs,
      delayMs,
      connections,
      requests: answers.length,
      partial: answers.filter((a) => a.partial).length,
      p50: at(0.5),
      p95: at(0.95),
      max: times[times.length - 1]!,
    };
  } finally {
    await stop(gateway);
    await proxy.close();
  }
}
