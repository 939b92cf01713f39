import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiKeyStore } from '../../gateway/api-keys';
import { documentId, type Manifest } from '../../gateway/trusted-documents';
import { FixedClock, projectRoot, type RunningServer } from '../../subgraphs/platform';
import { bearer } from '../support/auth';
import { Stack } from '../support/stack';

/** The committed manifest of the project's own operations; analysts are held to it. */
const MANIFEST_FILE = join(projectRoot(), 'schema', 'trusted-documents.json');
const manifest = JSON.parse(readFileSync(MANIFEST_FILE, 'utf8')) as Manifest;
const idOf = (name: string) => manifest.operations.find((o) => o.name === name)!.id;
const bodyOf = (name: string) => manifest.operations.find((o) => o.name === name)!.body;

const stack = new Stack(new FixedClock(new Date('2026-11-22T10:00:00.000Z')));
let gateway: RunningServer;
let trustedOnlyKey: string;

beforeAll(async () => {
  await stack.start();
  gateway = await stack.startGateway({
    trustedDocuments: { file: MANIFEST_FILE, onlyRoles: ['analyst'] },
  });
  trustedOnlyKey = new ApiKeyStore(stack.auth.apiKeysFile).create('bi-tool', ['admin'], new Date(), { trustedDocumentsOnly: true }).key;
});
afterAll(async () => {
  await gateway?.stop();
  await stack.stop();
});

type Answer = { status: number; body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] } };

async function send(body: object, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

const segments = (answer: Answer) => (answer.body.data?.segmentReport as { segment: string }[] | undefined)?.map((r) => r.segment);

describe('trusted documents', () => {
  it('ships the project operations with ids that are the sha256 of their text', () => {
    expect(manifest.operations.map((o) => o.name)).toEqual(expect.arrayContaining(['Q1', 'Q2', 'Q3', 'Q4', 'Q5', 'BiClaimStats', 'BiSegmentReport']));
    for (const operation of manifest.operations) expect(operation.id).toBe(documentId(operation.body));
  });

  it('runs a registered operation by documentId, with or without the sha256: prefix, and by APQ hash alone', async () => {
    const id = idOf('BiSegmentReport');
    for (const body of [{ documentId: id }, { documentId: `sha256:${id}` }, { extensions: { persistedQuery: { version: 1, sha256Hash: id } } }]) {
      const answer = await send(body, stack.adminHeaders);
      expect(answer.body.errors).toBeUndefined();
      expect(segments(answer)).toEqual(['A', 'B', 'C']);
    }
  });

  it('answers an unknown documentId with 404 PERSISTED_QUERY_NOT_FOUND, asking no subgraph', async () => {
    const before = await stack.subgraphRequests();
    const answer = await send({ documentId: 'f'.repeat(64) }, stack.adminHeaders);
    expect(answer.status).toBe(404);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(await stack.subgraphRequests()).toBe(before);
  });

  it('refuses an ad-hoc query from a trusted-documents-only API key, and serves it its registered operations', async () => {
    const key = { 'x-api-key': trustedOnlyKey };
    const before = await stack.subgraphRequests();
    const adHoc = await send({ query: '{ segmentReport { segment } }' }, key);
    expect(adHoc.status).toBe(400);
    expect(adHoc.body.data ?? null).toBeNull();
    expect(adHoc.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    // Registering its own text through APQ does not make it trusted.
    const query = '{ segmentReport { segment } }';
    const registered = await send({ query, extensions: { persistedQuery: { version: 1, sha256Hash: documentId(query) } } }, key);
    expect(registered.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    expect(await stack.subgraphRequests()).toBe(before);

    expect(segments(await send({ documentId: idOf('BiSegmentReport') }, key))).toEqual(['A', 'B', 'C']);
    // The registered text itself is the registered operation, however it is sent.
    expect(segments(await send({ query: bodyOf('BiSegmentReport') }, key))).toEqual(['A', 'B', 'C']);
    const stats = await send({ documentId: idOf('BiClaimStats'), variables: { from: '2026-01-01', to: '2026-11-22', groupBy: 'TYPE' } }, key);
    expect(stats.body.errors).toBeUndefined();
    expect(stats.body.data).toEqual({ claimStats: expect.any(Array) });
  });

  it('holds a role to it (TRUSTED_DOCUMENTS_ONLY_ROLES=analyst) and leaves other roles free to send any query', async () => {
    const analyst = await bearer(['analyst'], 'held.analyst');
    expect((await send({ query: '{ segmentReport { segment } }' }, analyst)).body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    expect(segments(await send({ documentId: idOf('BiSegmentReport') }, analyst))).toEqual(['A', 'B', 'C']);
    const agent = await bearer(['agent'], 'free.agent');
    expect(segments(await send({ query: '{ segmentReport { segment } }' }, agent))).toEqual(['A', 'B', 'C']);
  });

  it('refuses a documentId sent together with a query', async () => {
    const answer = await send({ documentId: idOf('Q5'), query: '{ segmentReport { segment } }' }, stack.adminHeaders);
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  });
});
