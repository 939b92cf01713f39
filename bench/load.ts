import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { variablesFor, type VariableKind } from './scenarios';

/**
 * The load generator, a process of its own so that it does not share a CPU
 * queue with the gateway it measures. Reads its job as JSON from argv[2],
 * prints one JSON result line.
 */
interface Job {
  url: string;
  query: string;
  variables: VariableKind;
  idsFile: string;
  today: string;
  connections: number;
  durationSec: number;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2]!) as Job;
  const ids = JSON.parse(readFileSync(job.idsFile, 'utf8')) as string[];
  let graphqlErrors = 0;
  const result = await autocannon({
    url: job.url,
    connections: job.connections,
    duration: job.durationSec,
    // BI queries on the large data can queue for seconds at c=32: count them as slow, not as errors.
    timeout: 60,
    method: 'POST',
    // The bench's bearer token (bench/auth-cost.ts): authentication is on, as in production.
    headers: { 'content-type': 'application/json', ...(process.env.BENCH_AUTHORIZATION ? { authorization: process.env.BENCH_AUTHORIZATION } : {}) },
    requests: [
      {
        setupRequest: (request) => ({ ...request, body: JSON.stringify({ query: job.query, variables: variablesFor(job.variables, ids, job.today) }) }),
        onResponse: (_status, body) => {
          if (body.includes('"errors"')) graphqlErrors++;
        },
      },
    ],
  });
  process.stdout.write(
    `${JSON.stringify({
      requests: result.requests.total,
      rps: result.requests.average,
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      errors: result.errors + result.timeouts + result.non2xx + graphqlErrors,
    })}\n`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
