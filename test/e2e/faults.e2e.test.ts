import { ProcessStack } from '../support/processes';

/**
 * Faults injected into real processes under load (c=8 for a few seconds, on
 * 127.0.0.1): SIGKILL and SIGTERM to a subgraph, SIGTERM to the gateway, and
 * a gateway that starts while a subgraph is down. Each asserts its outcome in
 * numbers: HTTP statuses, which fields failed, how long recovery took.
 */
const SHUTDOWN_TIMEOUT_MS = 5000;
const stack = new ProcessStack({ SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS), SUBGRAPH_TIMEOUT_MS: '3000' });

const PAGE = `query FaultPage { customers(first: 20) { nodes { id displayName openBalance { amount } dunningLevel openComplaintCount lastContactAt } } }`;
const BILLING_FIELDS = ['openBalance', 'dunningLevel'];
let ids: string[] = [];

interface Outcome {
  at: number;
  status?: number;
  body?: { data?: any; errors?: { path?: (string | number)[]; extensions?: Record<string, unknown> }[] };
  /** A transport failure: no HTTP answer at all. */
  failure?: string;
}

/** c loops sending PAGE for `ms`; every outcome is kept with the time it ended. */
async function load(ms: number, c = 8): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const until = Date.now() + ms;
  await Promise.all(
    Array.from({ length: c }, async () => {
      while (Date.now() < until) {
        try {
          const { status, body } = await stack.post(PAGE);
          outcomes.push({ at: Date.now(), status, body });
        } catch (error) {
          const cause = (error as { cause?: { code?: string } }).cause;
          outcomes.push({ at: Date.now(), failure: cause?.code ?? (error instanceof Error ? error.message : 'error') });
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    }),
  );
  return outcomes;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `ms` of load with `fault` injected `afterMs` into it: the load's outcomes and what the fault answered. */
async function underLoad<T>(ms: number, afterMs: number, fault: () => Promise<T>): Promise<{ outcomes: Outcome[]; result: T }> {
  const running = load(ms);
  await sleep(afterMs);
  const result = await fault();
  return { outcomes: await running, result };
}
const ourNodes = (o: Outcome) => ((o.body?.data?.customers?.nodes ?? []) as Record<string, unknown>[]).filter((n) => ids.includes(n.id as string));

/** Polls until a whole answer (no errors) comes back; answers how long that took. */
async function untilWhole(limitMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < limitMs) {
    const { status, body } = await stack.post(PAGE).catch(() => ({ status: 0, body: {} as Outcome['body'] }));
    if (status === 200 && !body?.errors) return Date.now() - started;
    await sleep(50);
  }
  return Infinity;
}

beforeAll(async () => {
  await stack.start();
  for (const name of ['Fault Eins AG', 'Fault Zwei AG', 'Fault Drei AG']) {
    const { body } = await stack.post(`mutation($n: String!) { createCustomer(input: { kind: ORGANIZATION, companyName: $n }) { id } }`, { n: name });
    if (!body.data) throw new Error(JSON.stringify(body));
    const id = body.data.createCustomer.id as string;
    ids.push(id);
    await stack.post(`mutation($c: ID!) { createInvoice(input: { customerId: $c, issueDate: "2026-10-01", dueDate: "2026-10-15", total: "120.00" }) { id } }`, {
      c: id,
    });
  }
  ids = ids.sort();
}, 120_000);
afterAll(async () => {
  await stack.stop();
}, 60_000);

describe('a subgraph killed with SIGKILL under load', () => {
  it('costs only its fields, with a retryable error, never a 5xx; whole answers return within 5 s of its restart', async () => {
    const { outcomes, result: healedAfterMs } = await underLoad(3000, 700, async () => {
      expect((await stack.signal('billing', 'SIGKILL')).signal).toBe('SIGKILL');
      await sleep(1200);
      await stack.startService('billing');
      return untilWhole(5000);
    });

    expect(outcomes.length).toBeGreaterThan(20);
    expect(outcomes.filter((o) => o.failure !== undefined)).toEqual([]);
    expect(outcomes.filter((o) => (o.status ?? 0) >= 500)).toEqual([]);
    const partial = outcomes.filter((o) => o.body?.errors);
    expect(partial.length).toBeGreaterThan(0);
    for (const o of outcomes) {
      expect(o.status).toBe(200);
      // Every customer is there, with the fields of the live subgraphs.
      const nodes = ourNodes(o);
      expect(nodes.map((n) => n.id).sort()).toEqual(ids);
      for (const node of nodes) {
        expect(node.displayName).toEqual(expect.any(String));
        expect(node.openComplaintCount).toEqual(expect.any(Number));
      }
      for (const error of o.body?.errors ?? []) {
        expect(error.extensions).toMatchObject({ serviceName: 'billing', retryable: true });
        expect(BILLING_FIELDS).toContain(error.path?.at(-1));
      }
    }
    expect(healedAfterMs).toBeLessThanOrEqual(5000);
  }, 60_000);
});

describe('SIGTERM to a subgraph under load', () => {
  it('exits 0 within its shutdown timeout, and the gateway answers every request, partially while it is gone', async () => {
    const { outcomes, result: exit } = await underLoad(2500, 700, () => stack.signal('claims', 'SIGTERM'));
    expect(exit.code).toBe(0);
    expect(exit.afterMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    expect(outcomes.filter((o) => o.failure !== undefined || o.status !== 200)).toEqual([]);
    for (const o of outcomes) {
      expect(
        ourNodes(o)
          .map((n) => n.id)
          .sort(),
      ).toEqual(ids);
      for (const error of o.body?.errors ?? []) expect(error.extensions).toMatchObject({ serviceName: 'claims', retryable: true });
    }
  }, 60_000);

  it('lets the gateway start while a subgraph is still down, serving the rest', async () => {
    const exit = await stack.signal('gateway', 'SIGTERM');
    expect(exit.code).toBe(0);
    await stack.startService('gateway');
    const { status, body } = await stack.post(PAGE);
    expect(status).toBe(200);
    expect(
      ourNodes({ at: 0, body })
        .map((n) => n.id)
        .sort(),
    ).toEqual(ids);
    for (const node of ourNodes({ at: 0, body })) {
      expect(node.openComplaintCount).toBeNull();
      expect(node.openBalance).toEqual({ amount: '120.00' });
    }
    expect(body.errors.every((e: { extensions: Record<string, unknown> }) => e.extensions.serviceName === 'claims' && e.extensions.retryable === true)).toBe(
      true,
    );
    await stack.startService('claims');
    expect(await untilWhole(5000)).toBeLessThanOrEqual(5000);
  }, 60_000);
});

describe('SIGTERM to the gateway under load', () => {
  it('completes every request it accepted, refuses new ones at the socket, and exits 0 within its timeout', async () => {
    let signalled = 0;
    const { outcomes, result: exit } = await underLoad(2500, 800, () => {
      signalled = Date.now();
      return stack.signal('gateway', 'SIGTERM');
    });
    expect(exit.code).toBe(0);
    expect(exit.afterMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    const answered = outcomes.filter((o) => o.status !== undefined);
    expect(answered.length).toBeGreaterThan(10);
    // Every answer is whole: nothing was cut half-way, nothing is a 5xx.
    for (const o of answered) {
      expect(o.status).toBe(200);
      expect(o.body?.errors).toBeUndefined();
      expect(
        ourNodes(o)
          .map((n) => n.id)
          .sort(),
      ).toEqual(ids);
    }
    // What was not answered failed at the connection, after the signal: refused, or closed before an answer began.
    const failed = outcomes.filter((o) => o.failure !== undefined);
    expect(failed.length).toBeGreaterThan(0);
    for (const o of failed) {
      expect(o.at).toBeGreaterThanOrEqual(signalled);
      expect(['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET']).toContain(o.failure);
    }
    await stack.startService('gateway');
  }, 60_000);
});
