import type { Request, Response } from 'express';
import { TrustedDocuments, documentId, manifestOf, resolveDocumentIds, trustedOnly } from './trusted-documents';

const BODY = 'query Q { segmentReport { segment } }';
const documents = new TrustedDocuments(manifestOf([{ name: 'Q', type: 'query', body: BODY }]));

function run(body: unknown): { body: unknown; next: boolean; status?: number; sent?: { errors: { extensions: { code: string } }[] } } {
  const outcome: ReturnType<typeof run> = { body, next: false };
  const res = {
    status(code: number) {
      outcome.status = code;
      return this;
    },
    json(payload: never) {
      outcome.sent = payload;
      return this;
    },
  } as unknown as Response;
  resolveDocumentIds(documents)({ body } as Request, res, () => (outcome.next = true));
  return outcome;
}

describe('TrustedDocuments', () => {
  it('refuses a manifest whose id is not the sha256 of its body, or that is not a manifest', () => {
    expect(
      () => new TrustedDocuments({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: 'abc', name: 'X', type: 'query', body: BODY }] }),
    ).toThrow(/not the sha256/);
    expect(() => new TrustedDocuments({ operations: [] } as never)).toThrow(/apollo-persisted-query-manifest/);
  });

  it('finds a document by id, with or without the sha256: prefix, and trusts exactly its text', () => {
    const id = documentId(BODY);
    expect(documents.get(id)).toBe(BODY);
    expect(documents.get(`sha256:${id}`)).toBe(BODY);
    expect(documents.get('0'.repeat(64))).toBeUndefined();
    expect(documents.trusts(BODY)).toBe(true);
    expect(documents.trusts(`${BODY} `)).toBe(false);
  });
});

describe('resolveDocumentIds', () => {
  it('puts the document in place of a documentId, and of a known APQ hash without a query', () => {
    const byId = run({ documentId: documentId(BODY), variables: { a: 1 } });
    expect(byId).toMatchObject({ next: true, body: { query: BODY, variables: { a: 1 } } });
    expect(byId.body).not.toHaveProperty('documentId');
    const apq = run({ extensions: { persistedQuery: { version: 1, sha256Hash: documentId(BODY) } } });
    expect(apq).toMatchObject({ next: true, body: { query: BODY } });
  });

  it('answers an unknown documentId 404 and a malformed one 400; leaves unknown APQ hashes and plain queries to Apollo', () => {
    expect(run({ documentId: 'nope' })).toMatchObject({ next: false, status: 404, sent: { errors: [{ extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] } });
    expect(run({ documentId: 7 })).toMatchObject({ next: false, status: 400, sent: { errors: [{ extensions: { code: 'BAD_REQUEST' } }] } });
    const unknownHash = { extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } };
    expect(run(unknownHash)).toEqual({ next: true, body: unknownHash });
    expect(run({ query: '{ a }' })).toEqual({ next: true, body: { query: '{ a }' } });
  });
});

describe('trustedOnly', () => {
  it('holds keys created --trusted-only and the listed roles ("*": everyone) to registered operations', () => {
    const agent = { sub: 'a', roles: ['agent'], kind: 'user' as const };
    expect(trustedOnly(agent, [])).toBe(false);
    expect(trustedOnly(agent, ['analyst'])).toBe(false);
    expect(trustedOnly({ ...agent, roles: ['agent', 'analyst'] }, ['analyst'])).toBe(true);
    expect(trustedOnly(agent, ['*'])).toBe(true);
    expect(trustedOnly({ ...agent, kind: 'api_key', trustedDocumentsOnly: true }, [])).toBe(true);
  });
});
