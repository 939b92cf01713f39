import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import { GraphQLError } from 'graphql';
import type { EnvReader } from '../subgraphs/platform';
import type { Caller } from './authentication';

/**
 * Registered operations (README, "Trusted documents"): what internal apps
 * and BI tools may run by id, and all that a trusted-documents-only caller
 * may run at all.
 */
export interface TrustedDocumentsConfig {
  /** TRUSTED_DOCUMENTS_FILE: the manifest; default schema/trusted-documents.json (the project's own operations). */
  file: string;
  /**
   * TRUSTED_DOCUMENTS_ONLY_ROLES: callers with one of these roles may run
   * registered operations only, e.g. "analyst"; "*" means every caller.
   * Default none. API keys created with --trusted-only are held to it too.
   */
  onlyRoles: readonly string[];
}

export function readTrustedDocumentsConfig(reader: EnvReader, defaultFile: string): TrustedDocumentsConfig {
  const onlyRoles = (reader.raw('TRUSTED_DOCUMENTS_ONLY_ROLES') ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  return { file: reader.raw('TRUSTED_DOCUMENTS_FILE') ?? defaultFile, onlyRoles };
}

/** One operation of a manifest in Apollo's persisted-query manifest format, which Apollo's and Hive's tooling write. */
export interface ManifestOperation {
  /** sha256 of `body`, hex: the same id APQ sends as sha256Hash. */
  id: string;
  name: string;
  type: 'query' | 'mutation' | 'subscription';
  body: string;
}

export interface Manifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: ManifestOperation[];
}

export function documentId(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

export function manifestOf(operations: Omit<ManifestOperation, 'id'>[]): Manifest {
  return { format: 'apollo-persisted-query-manifest', version: 1, operations: operations.map((o) => ({ id: documentId(o.body), ...o })) };
}

/** Codes Apollo Router gives the same refusals. */
export const NOT_FOUND_CODE = 'PERSISTED_QUERY_NOT_FOUND';
export const NOT_IN_LIST_CODE = 'PERSISTED_QUERY_NOT_IN_LIST';

/** The manifest, by id; checked as it is loaded: a wrong id or a malformed file stops the gateway from starting. */
export class TrustedDocuments {
  private readonly byId = new Map<string, string>();

  constructor(manifest: Manifest) {
    if (manifest?.format !== 'apollo-persisted-query-manifest' || manifest.version !== 1 || !Array.isArray(manifest.operations)) {
      throw new Error('the trusted documents manifest is not an apollo-persisted-query-manifest, version 1');
    }
    for (const operation of manifest.operations) {
      if (typeof operation.body !== 'string' || operation.id !== documentId(operation.body)) {
        throw new Error(`trusted document ${String(operation.name)}: its id is not the sha256 of its body`);
      }
      this.byId.set(operation.id, operation.body);
    }
  }

  static fromFile(path: string): TrustedDocuments {
    if (!existsSync(path)) return new TrustedDocuments(manifestOf([]));
    return new TrustedDocuments(JSON.parse(readFileSync(path, 'utf8')) as Manifest);
  }

  get size(): number {
    return this.byId.size;
  }

  /** The document of an id, with or without the `sha256:` prefix of the GraphQL-over-HTTP convention. */
  get(id: string): string | undefined {
    return this.byId.get(id.startsWith('sha256:') ? id.slice('sha256:'.length) : id);
  }

  /** Whether this exact text is registered. */
  trusts(body: string): boolean {
    return this.byId.has(documentId(body));
  }
}

function refuse(res: Parameters<RequestHandler>[1], code: string, message: string): void {
  res.status(code === NOT_FOUND_CODE ? 404 : 400).json({ errors: [{ message, extensions: { code } }] });
}

/**
 * Before Apollo reads the request: `{"documentId": "..."}` (the
 * GraphQL-over-HTTP persisted-documents convention) and an APQ
 * `persistedQuery.sha256Hash` without a query are answered with the
 * registered document. An unknown documentId is PERSISTED_QUERY_NOT_FOUND;
 * an unknown APQ hash is left to Apollo, which answers the same.
 */
export function resolveDocumentIds(documents: TrustedDocuments): RequestHandler {
  return (req, res, next) => {
    const body = req.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body)) return next();
    if ('documentId' in body) {
      if (typeof body.documentId !== 'string' || body.query !== undefined) return refuse(res, 'BAD_REQUEST', 'documentId must be a string, sent without query');
      const document = documents.get(body.documentId);
      if (!document) return refuse(res, NOT_FOUND_CODE, 'No registered operation has this documentId');
      body.query = document;
      delete body.documentId;
      return next();
    }
    const hash = (body.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
    if (body.query === undefined && typeof hash === 'string') {
      const document = documents.get(hash);
      if (document) body.query = document;
    }
    return next();
  };
}

/** Whether the caller may run registered operations only. */
export function trustedOnly(caller: Caller | undefined, onlyRoles: readonly string[]): boolean {
  if (!caller) return false;
  return caller.trustedDocumentsOnly === true || onlyRoles.includes('*') || caller.roles.some((r) => onlyRoles.includes(r));
}

/**
 * Refuses any text a trusted-documents-only caller sends that is not
 * registered, however it came (ad hoc, or registered by the caller itself
 * through APQ): PERSISTED_QUERY_NOT_IN_LIST, HTTP 400. Checked once the
 * operation is resolved (Apollo turns an error thrown earlier into a 500),
 * before the cost estimate and before anything is planned.
 */
export function trustedDocumentsPlugin(documents: TrustedDocuments, onlyRoles: readonly string[]): ApolloServerPlugin<{ principal?: Caller }> {
  return {
    async requestDidStart({ contextValue }) {
      if (!trustedOnly(contextValue.principal, onlyRoles)) return;
      return {
        async didResolveOperation({ source }) {
          if (!documents.trusts(source)) {
            throw new GraphQLError('This caller may run registered operations only; send a documentId', {
              extensions: { code: NOT_IN_LIST_CODE, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
