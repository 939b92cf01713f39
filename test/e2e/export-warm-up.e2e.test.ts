import { createServer, type AddressInfo, type Socket } from 'node:net';
import { createLogger, FixedClock, SUBGRAPH_NAMES, ServiceMetrics, type RunningServer } from '../../subgraphs/platform';
import { testPort } from '../support/ports';
import { Stack } from '../support/stack';

const stack = new Stack(new FixedClock(new Date('2026-11-22T10:00:00.000Z')));
const gateways: RunningServer[] = [];

beforeAll(async () => {
  await stack.start();
  for (let i = 1; i <= 5; i++) {
    const created = await stack.gql(`mutation($last: String!) { createCustomer(input: { kind: PERSON, firstName: "Warm", lastName: $last }) { id } }`, {
      last: `Up${i}`,
    });
    expect(created.errors).toBeUndefined();
  }
});
afterAll(async () => {
  for (const gateway of gateways) await gateway.stop();
  await stack.stop();
});

/** The gateway's log, as JSON lines. */
function telemetry() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('gateway', { destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) }, level: 'info' });
  return { lines, telemetry: { logger, metrics: new ServiceMetrics('gateway') } };
}

const readyz = async (gateway: RunningServer) => (await fetch(gateway.url.replace('/graphql', '/readyz'))).status;

async function untilReady(gateway: RunningServer, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await readyz(gateway)) !== 200) {
    if (Date.now() > deadline) throw new Error('the gateway did not report ready');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the export warm-up at start (EXPORT_WARM_UP_PAGES)', () => {
  it('reads the first pages of the customers export as the gateway itself before it reports ready, and records no export', async () => {
    const before = await stack.subgraphRequests();
    const { lines, telemetry: own } = telemetry();
    // Pages of 2: the five customers are three pages, so two pages are a part of the export, not all of it.
    const gateway = await stack.startGateway({ exportWarmUpPages: 2, exportPageSize: 2, telemetry: own });
    gateways.push(gateway);
    await untilReady(gateway, 20_000);

    expect(lines.filter((l) => l.msg === 'export warm-up done').map((l) => l.pages)).toEqual([2]);
    // Two pages and one cursor operation, each at least the customers subgraph.
    expect((await stack.subgraphRequests()) - before).toBeGreaterThanOrEqual(3);
    // No export of the gateway's (and pages of 2 are no slice the customers subgraph records either).
    const events = await stack.data(`{ auditEvents(actor: "service:gateway", first: 10) { nodes { action } } }`);
    expect(events.auditEvents.nodes).toEqual([]);
  });

  it('reports ready at once when a subgraph is down: the pages the others answered count', async () => {
    const { lines, telemetry: own } = telemetry();
    const gateway = await stack.startGateway({
      subgraphUrls: { ...Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, stack.url(n)])), claims: `http://127.0.0.1:${await testPort()}/graphql` },
      exportWarmUpPages: 2,
      exportPageSize: 2,
      telemetry: own,
    });
    gateways.push(gateway);
    await untilReady(gateway, 20_000);
    expect(lines.filter((l) => l.msg === 'export warm-up done').map((l) => l.pages)).toEqual([2]);
  });

  it('answers /readyz with 503 while a subgraph holds the first page, and reports ready at the deadline', async () => {
    // Accepts connections and never answers: the warm-up's first page waits on it.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/graphql`;
    try {
      const { lines, telemetry: own } = telemetry();
      const started = Date.now();
      const gateway = await stack.startGateway({
        subgraphUrls: { ...Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, stack.url(n)])), customers: silentUrl },
        exportWarmUpPages: 2,
        exportWarmUpDeadlineMs: 1500,
        telemetry: own,
      });
      gateways.push(gateway);
      expect(await readyz(gateway)).toBe(503);

      await untilReady(gateway, 20_000);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
      expect(lines.filter((l) => l.level === 40).map((l) => [l.msg, l.reason])).toEqual([
        ['export warm-up given up; the first export will be slower', 'deadline'],
      ]);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
