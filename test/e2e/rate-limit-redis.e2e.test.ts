import Redis from 'ioredis';
import type { RateLimits } from '../../gateway/rate-limit';
import { FixedClock, type RunningServer } from '../../subgraphs/platform';
import { bearer } from '../support/auth';
import { startRedis, type TestRedis } from '../support/redis';
import { Stack } from '../support/stack';

/**
 * Two gateway replicas in front of the same subgraphs, each with its own
 * limiter and its own Redis connection: what they share is only Redis.
 */
const stack = new Stack(new FixedClock(new Date('2026-11-22T10:00:00.000Z')));
let redis: TestRedis;
const gateways: RunningServer[] = [];

async function replica(rateLimits: RateLimits): Promise<RunningServer> {
  const gateway = await stack.startGateway({
    rateLimits,
  });
  gateways.push(gateway);
  return gateway;
}

beforeAll(async () => {
  redis = await startRedis();
  await stack.start();
});
afterAll(async () => {
  for (const gateway of gateways) await gateway.stop();
  await stack.stop();
  await redis?.stop();
});

async function status(gateway: RunningServer, headers: Record<string, string>): Promise<number> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: '{ segmentReport { segment } }' }),
  });
  await response.body?.cancel();
  return response.status;
}

describe('rate limits shared by gateway replicas through Redis (REDIS_URL)', () => {
  it('counts a caller across both replicas: the limit holds in sum, in parallel, and other callers are served', async () => {
    const limits: RateLimits = { perMinute: 6, roles: {}, failuresPerMinute: 100, redisUrl: redis.url };
    const [a, b] = [await replica(limits), await replica(limits)];
    const caller = await bearer(['agent'], 'shared.agent');
    // 10 requests at once, spread over both replicas: exactly 6 are served.
    const statuses = await Promise.all(Array.from({ length: 10 }, (_, i) => status(i % 2 === 0 ? a! : b!, caller)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(6);
    expect(statuses.filter((s) => s === 429)).toHaveLength(4);
    expect(await status(a!, caller)).toBe(429);
    expect(await status(b!, caller)).toBe(429);
    // The count is in Redis, under the caller's key.
    const client = new Redis(redis.url);
    try {
      expect(Number(await client.get('c360:rl:p6:user:shared.agent'))).toBe(12);
    } finally {
      client.disconnect();
    }
    const other = await bearer(['agent'], 'other.agent');
    expect([await status(a!, other), await status(b!, other)]).toEqual([200, 200]);
  });

  it('without Redis each replica counts alone: the same caller gets the limit from each', async () => {
    const limits: RateLimits = { perMinute: 2, roles: {}, failuresPerMinute: 100 };
    const [a, b] = [await replica(limits), await replica(limits)];
    const caller = await bearer(['agent'], 'local.agent');
    const statuses = [await status(a!, caller), await status(a!, caller), await status(b!, caller), await status(b!, caller), await status(a!, caller)];
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
  });

  it('failed authentications are counted across replicas too', async () => {
    const limits: RateLimits = { perMinute: 100, roles: {}, failuresPerMinute: 3, redisUrl: redis.url };
    const [a, b] = [await replica(limits), await replica(limits)];
    const wrong = { authorization: 'Bearer not-a-token' };
    const statuses = [await status(a!, wrong), await status(b!, wrong), await status(a!, wrong), await status(b!, wrong)];
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('with Redis gone, a replica counts in its own memory: still served, still limited', async () => {
    const limits: RateLimits = { perMinute: 2, roles: {}, failuresPerMinute: 100, redisUrl: redis.url };
    const gateway = await replica(limits);
    await redis.stop();
    const caller = await bearer(['agent'], 'outage.agent');
    expect([await status(gateway, caller), await status(gateway, caller), await status(gateway, caller)]).toEqual([200, 200, 429]);
  });
});
