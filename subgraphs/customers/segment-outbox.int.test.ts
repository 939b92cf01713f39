import { createServer, type Server } from 'node:http';
import { customersSubgraph } from '.';
import { subgraphHarness, type SubgraphHarness } from '../../test/support/harness';
import { databaseOf, dropDatabase } from '../../test/support/database';
import { testPort } from '../../test/support/ports';
import { insertRows, openMigrated, serviceCredentials, type DatabaseConfig } from '../platform';
import { SEGMENT_REPLICA_PEERS, type CustomerSegmentRow, type SegmentReplicaPeer } from '../platform/segment-replica';
import { customerLoadersWith } from './customer.loaders';
import { customersDataSourceOptions } from './customers.schema';
import { SegmentOutbox1764500000000 } from './migrations/1764500000000-SegmentOutbox';
import { SegmentOutboxDispatcher } from './segment-outbox.dispatcher';
import { SegmentOutboxRepository } from './segment-outbox.repository';
import { SegmentOutbox } from './segment-outbox.service';

const CREATE = `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id segment version } }`;
const UPDATE = `mutation($id: ID!, $v: Int!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, expectedVersion: $v, input: $input) { id segment version } }`;

/**
 * A stand-in for a peer's replication mutation over HTTP: records each
 * delivery and acknowledges it, as the real mutation does.
 */
class FakePeer {
  readonly batches: CustomerSegmentRow[][] = [];
  private server: Server | undefined;

  constructor(readonly port: number) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/graphql`;
  }

  get rows(): CustomerSegmentRow[] {
    return this.batches.flat();
  }

  /** Listens, unless it does already. */
  async up(): Promise<void> {
    if (this.server) return;
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const { query, variables } = JSON.parse(body) as { query: string; variables: { rows: CustomerSegmentRow[] } };
        const field = /\{\s*(\w+)\(/.exec(query)![1]!;
        this.batches.push(variables.rows);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { [field]: variables.rows.length } }));
      });
    });
    const server = this.server;
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(this.port, '127.0.0.1', resolve));
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    // As a crashed peer: kept-alive connections of the dispatcher's client are cut, not waited for.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }
}

let h: SubgraphHarness;
/** What the write side wakes after each commit: here it records how many outbox rows another connection could see then. */
const woken: Promise<number>[] = [];
const peers = {} as Record<SegmentReplicaPeer, FakePeer>;
const logged: string[] = [];

const outbox = () => SegmentOutboxRepository.of(h.dataSource);
const rowsOf = async (customerId: string) =>
  (await h.dataSource.query('SELECT peer, segment, version FROM segment_outbox WHERE customer_id = ? ORDER BY peer', [customerId])) as {
    peer: string;
    segment: string;
    version: unknown;
  }[];

async function ok(query: string, variables: Record<string, unknown>): Promise<any> {
  const result = await h.execute(query, variables);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data;
}

const create = async (segment: string) => (await ok(CREATE, { input: { kind: 'ORGANIZATION', companyName: 'Outbox GmbH', segment } })).createCustomer;

function dispatcher(options: { intervalMs?: number; batchSize?: number } = {}): SegmentOutboxDispatcher {
  const urls = Object.fromEntries(SEGMENT_REPLICA_PEERS.map((p) => [p, peers[p].url])) as Record<SegmentReplicaPeer, string>;
  return new SegmentOutboxDispatcher(h.dataSource, urls, serviceCredentials(process.env.INTERNAL_AUTH_SECRET!, 'customers'), {
    ...options,
    log: (line) => logged.push(line),
  });
}

async function clearOutbox(): Promise<void> {
  await h.dataSource.transaction((m) => m.query('DELETE FROM segment_outbox'));
  for (const peer of Object.values(peers)) peer.batches.length = 0;
}

beforeAll(async () => {
  for (const peer of SEGMENT_REPLICA_PEERS) peers[peer] = new FakePeer(await testPort());
  await Promise.all(Object.values(peers).map((p) => p.up()));
});
afterAll(async () => {
  await Promise.all(Object.values(peers).map((p) => p.down()));
});

describe.each(['MariaDB', 'SQLite'])('on %s', (database) => {
  beforeAll(async () => {
    const wakeUp = {
      kick: () => void woken.push(h.dataSource.query('SELECT COUNT(*) AS n FROM segment_outbox').then((r: { n: unknown }[]) => Number(r[0]!.n))),
    };
    h = await subgraphHarness(customersSubgraph, customerLoadersWith(new SegmentOutbox(wakeUp)), {
      database: databaseOf(database === 'SQLite' ? 'sqlite' : 'mariadb', 'customers'),
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  describe('the write side', () => {
    beforeEach(async () => {
      await clearOutbox();
      woken.length = 0;
    });

    it('createCustomer records a row per peer in the transaction of the customer, and wakes the dispatcher after the commit', async () => {
      h.queries.reset();
      const c = await create('B');
      expect((await rowsOf(c.id)).map((r) => ({ ...r, version: Number(r.version) }))).toEqual(
        SEGMENT_REPLICA_PEERS.map((peer) => ({ peer, segment: 'B', version: 1 })),
      );
      // One transaction: the customer and the outbox rows between the same START TRANSACTION and COMMIT.
      const s = h.queries.statements;
      const begins = (q: string) => /^(START|BEGIN) TRANSACTION/.test(q);
      const start = s.findIndex(begins);
      const customer = s.findIndex((q) => /^INSERT INTO [`"]customers[`"]/.test(q));
      const row = s.findIndex((q) => /^INSERT INTO [`"]segment_outbox[`"]/.test(q));
      const commit = s.findIndex((q) => q === 'COMMIT');
      expect(start).toBeGreaterThanOrEqual(0);
      expect([start < customer, customer < row, row < commit]).toEqual([true, true, true]);
      expect(s.slice(start + 1, commit).some((q) => begins(q) || q === 'COMMIT')).toBe(false);
      // Woken once, and then another connection already saw the three committed rows.
      expect(await Promise.all(woken)).toEqual([3]);
    });

    it('updateCustomer records the new segment with the new version', async () => {
      const c = await create('C');
      const updated = (await ok(UPDATE, { id: c.id, v: 1, input: { segment: 'A' } })).updateCustomer;
      expect(updated.version).toBe(2);
      const rows = (await rowsOf(c.id)).map((r) => `${r.peer}:${r.segment}@${Number(r.version)}`);
      expect(rows.sort()).toEqual(['billing:A@2', 'billing:C@1', 'claims:A@2', 'claims:C@1', 'contacts:A@2', 'contacts:C@1']);
      expect(woken).toHaveLength(2);
    });

    it('a failed update records nothing and wakes nobody', async () => {
      const c = await create('C');
      await clearOutbox();
      woken.length = 0;
      const conflict = await h.execute(UPDATE, { id: c.id, v: 7, input: { segment: 'A' } });
      expect(conflict.errors?.[0]?.extensions?.code).toBe('VERSION_CONFLICT');
      const invalid = await h.execute(UPDATE, { id: c.id, v: 1, input: { segment: 'A', email: 'not an address' } });
      expect(invalid.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(await rowsOf(c.id)).toEqual([]);
      expect(woken).toHaveLength(0);
    });

    it('rows recorded in a transaction that then rolls back are gone, and wake nobody', async () => {
      const recorder = new SegmentOutbox({ kick: () => void woken.push(Promise.resolve(-1)) });
      const failing = h.dataSource.transaction(async (manager) => {
        await recorder.record(manager, { id: 'rolled-back', segment: 'A', version: 5, updatedAt: new Date() });
        throw new Error('a later step of the write failed');
      });
      await expect(failing).rejects.toThrow('a later step');
      expect(await rowsOf('rolled-back')).toEqual([]);
      expect(woken).toHaveLength(0);
    });
  });

  it('the outbox migration queues every customer that exists already once for each peer', async () => {
    const db: DatabaseConfig = databaseOf(database === 'SQLite' ? 'sqlite' : 'mariadb', 'customers');
    const options = customersDataSourceOptions();
    const before = await openMigrated(db, { ...options, migrations: options.migrations.filter((m) => m !== SegmentOutbox1764500000000) });
    const at = new Date('2026-11-01T08:00:00.000Z');
    const customer = (n: number, segment: string, version: number) => ({
      id: `old-${n}`,
      number_seq: n,
      customer_number: `C-00000${n}`,
      kind: 'PERSON',
      first_name: 'A',
      last_name: 'B',
      company_name: null,
      display_name: 'A B',
      segment,
      status: 'ACTIVE',
      customer_since: '2020-01-01',
      email: null,
      phone: null,
      preferred_channel: null,
      version,
      created_at: at,
      updated_at: at,
    });
    try {
      await insertRows(before, 'customers', [customer(1, 'A', 1), customer(2, 'C', 4)]);
    } finally {
      await before.destroy();
    }
    const after = await openMigrated(db, options);
    try {
      const rows: { peer: string; customer_id: string; segment: string; version: unknown }[] = await after.query(
        'SELECT peer, customer_id, segment, version FROM segment_outbox ORDER BY peer, customer_id',
      );
      expect(rows.map((r) => `${r.peer}:${r.customer_id}:${r.segment}@${Number(r.version)}`)).toEqual(
        SEGMENT_REPLICA_PEERS.flatMap((peer) => [`${peer}:old-1:A@1`, `${peer}:old-2:C@4`]),
      );
    } finally {
      await after.destroy();
      if (db.type === 'mysql') await dropDatabase(db);
    }
  });

  describe('the dispatcher', () => {
    beforeEach(async () => {
      await clearOutbox();
      logged.length = 0;
    });

    it('delivers every peer its rows in batches, the newest version per customer, and deletes what was delivered', async () => {
      const c = await create('A');
      await ok(UPDATE, { id: c.id, v: 1, input: { segment: 'B' } });
      const many = Array.from({ length: 1100 }, (_, i) => ({ customerId: `bulk-${i}`, segment: 'C', version: 1 }));
      await h.dataSource.transaction(async (m) => {
        for (const row of many) await SegmentOutboxRepository.of(m).record(row, new Date());
      });
      const report = await dispatcher({ batchSize: 500 }).drain();
      expect(report).toEqual({ delivered: { billing: 1102, claims: 1102, contacts: 1102 }, failed: [] });
      for (const peer of SEGMENT_REPLICA_PEERS) {
        expect(peers[peer].batches.map((b) => b.length)).toEqual([499, 500, 102]); // the first batch held c twice: sent once, as version 2
        expect(peers[peer].rows.filter((r) => r.customerId === c.id)).toEqual([{ customerId: c.id, segment: 'B', version: 2 }]);
        expect(new Set(peers[peer].rows.map((r) => r.customerId)).size).toBe(1101);
      }
      expect(await outbox().backlog()).toEqual({ billing: 0, claims: 0, contacts: 0 });
    });

    it('keeps the rows of a peer that is down, delivers the others, and delivers the kept rows once the peer is back', async () => {
      await peers.billing.down();
      try {
        const c = await create('A');
        const d = dispatcher();
        const first = await d.drain();
        expect(first).toEqual({ delivered: { billing: 0, claims: 1, contacts: 1 }, failed: ['billing'] });
        expect(await outbox().backlog()).toEqual({ billing: 1, claims: 0, contacts: 0 });
        expect(logged).toEqual([expect.stringMatching(/^segment outbox: billing did not take its rows .*kept and retried/)]);
        await ok(UPDATE, { id: c.id, v: 1, input: { segment: 'C' } });
        await d.drain();
        expect(await outbox().backlog()).toEqual({ billing: 2, claims: 0, contacts: 0 });
        expect(logged).toHaveLength(1); // one line per outage, not per attempt
        await peers.billing.up();
        expect((await d.drain()).delivered.billing).toBe(2);
        expect(peers.billing.rows).toEqual([{ customerId: c.id, segment: 'C', version: 2 }]);
        expect(await outbox().backlog()).toEqual({ billing: 0, claims: 0, contacts: 0 });
        expect(logged[1]).toBe('segment outbox: billing takes its rows again');
      } finally {
        await peers.billing.up();
      }
    });

    it('retries on its timer after an outage, and stops the timer on stop', async () => {
      await peers.claims.down();
      const d = dispatcher({ intervalMs: 100 });
      try {
        const c = await create('B');
        d.start();
        await waitFor(async () => (await outbox().backlog()).billing === 0);
        expect((await outbox().backlog()).claims).toBe(1);
        await peers.claims.up();
        await waitFor(async () => (await outbox().backlog()).claims === 0);
        expect(peers.claims.rows).toEqual([{ customerId: c.id, segment: 'B', version: 1 }]);
      } finally {
        await d.stop();
      }
      await create('A');
      await new Promise((r) => setTimeout(r, 400));
      expect(await outbox().backlog()).toEqual({ billing: 1, claims: 1, contacts: 1 });
    });
  });
});

/** Polls `condition` every 50 ms for up to 5 s. */
async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((r) => setTimeout(r, 50));
  }
}
