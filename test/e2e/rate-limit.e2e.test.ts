import { FixedClock, type RunningServer } from '../../subgraphs/platform';
import { bearer } from '../support/auth';
import { Stack } from '../support/stack';

const stack = new Stack(new FixedClock(new Date('2026-11-22T10:00:00.000Z')));
let gateway: RunningServer;

beforeAll(async () => {
  await stack.start();
  gateway = await stack.startGateway({
    rateLimits: { perMinute: 3, roles: { analyst: 5, collections: 1 }, failuresPerMinute: 2 },
  });
});
afterAll(async () => {
  await gateway?.stop();
  await stack.stop();
});

async function ask(headers: Record<string, string>) {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: '{ segmentReport { segment } }' }),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as { errors?: { extensions?: Record<string, unknown> }[] },
  };
}

describe('rate limits', () => {
  it('answers one caller 429 with Retry-After past its limit, while another caller is served', async () => {
    const greedy = await bearer(['agent'], 'greedy.agent');
    for (let i = 0; i < 3; i++) expect((await ask(greedy)).status).toBe(200);
    const refused = await ask(greedy);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect((await ask(await bearer(['agent'], 'patient.agent'))).status).toBe(200);
  });

  it('gives a role its own limit: an analyst may send 5', async () => {
    const analyst = await bearer(['analyst'], 'bi.analyst');
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await ask(analyst)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    // And a lower one for another role.
    const collector = await bearer(['collections'], 'col.lector');
    expect([(await ask(collector)).status, (await ask(collector)).status]).toEqual([200, 429]);
  });

  it('limits failed authentications per client address: 401 twice, then 429', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await ask({ authorization: 'Bearer not-a-token' })).status);
    expect(statuses).toEqual([401, 401, 429]);
  });
});
