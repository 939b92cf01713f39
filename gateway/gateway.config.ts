import { resolve } from 'node:path';
import { apiKeysFile } from './api-keys';
import { DEFAULT_PAGES_IN_FLIGHT } from './export-pages';
import { DEFAULT_EXPORT_PAGE_SIZE } from './export.routes';
import { DEFAULT_EXPORT_WARM_UP_PAGES } from './export-warm-up';
import { MAX_COLUMNS_PAGE_SIZE } from '../subgraphs/platform/pagination';
import { DEFAULT_REQUEST_TIMEOUT_MS } from './gateway';
import type { AuthConfig } from './authentication';
import { readCostLimits, type CostLimits } from './cost';
import { readExplorerTokens, type ExplorerOptions } from './explorer';
import { readTrustedDocumentsConfig, type TrustedDocumentsConfig } from './trusted-documents';
import { readLimits, type OperationLimits } from './limits';
import { readRateLimits, type RateLimits } from './rate-limit';
import {
  EnvReader,
  GATEWAY_DEFAULT_PORT,
  SUBGRAPH_NAMES,
  projectRoot,
  readServerConfig,
  readSubgraphUrl,
  type ServerConfig,
  type SubgraphName,
} from '../subgraphs/platform';

/**
 * Node flags the gateway process is started with (launcher, docker-compose,
 * Dockerfile, benchmark): a 256 MB old-space limit makes V8 collect sooner
 * instead of growing the heap under load: peak RSS about 200 MB rather than
 * 310-370 MB at c=32, at the same throughput (bench/RESULTS.md).
 */
export const GATEWAY_NODE_FLAGS = ['--max-old-space-size=256'];

export interface GatewayConfig {
  server: ServerConfig;
  /** `<SUBGRAPH>_URL`; default http://localhost:<subgraph port>/graphql. */
  subgraphUrls: Record<SubgraphName, string>;
  /** SUBGRAPH_TIMEOUT_MS: how long one subgraph request may take; default 10,000 ms. */
  subgraphTimeoutMs: number;
  /**
   * REQUEST_TIMEOUT_MS: how long one client request may take, all its
   * subgraph fetches together; default 15,000 ms. What is left travels to
   * each subgraph, which cancels its SQL and peer calls by then.
   */
  requestTimeoutMs: number;
  /** SUPERGRAPH_PATH: the composed supergraph; default schema/supergraph.graphql. */
  supergraphPath: string;
  /** AUTH_*: how callers are authenticated (README, "Access control"); at least one token source is required. */
  auth: AuthConfig;
  /** LIMIT_* and INTROSPECTION (limits.ts). */
  limits: OperationLimits;
  /** RATE_LIMIT_* (rate-limit.ts). */
  rateLimits: RateLimits;
  /** COST_* (cost.ts). */
  cost: CostLimits;
  /**
   * EXPLORER: serve the self-hosted GraphiQL at /explorer and to browsers at
   * /graphql; default true outside production, false in production.
   * EXPLORER_TOKENS_FILE: ready tokens it offers (development only); default
   * .data/explorer-tokens.json, which `npm start` writes.
   */
  explorer: ExplorerOptions;
  /** EXPORT_PAGE_SIZE: rows per page a BI export reads through the graph; default 4000, at most 5000 (and at most each export's largest page). */
  exportPageSize: number;
  /** EXPORT_PAGES_IN_FLIGHT: pages of one BI export read through the graph at once; default 2, 1 … 8 (1: one after the other). */
  exportPagesInFlight: number;
  /** EXPORT_WARM_UP_PAGES: pages of the customers export read at start, before the gateway reports ready; default 2, 0 … 25 (0: none; export-warm-up.ts). */
  exportWarmUpPages: number;
  /** SUBGRAPH_DEDUPE: share identical subgraph reads under way at once; default true. */
  dedupeReads: boolean;
  /** TRUSTED_DOCUMENTS_* (trusted-documents.ts). */
  trustedDocuments: TrustedDocumentsConfig;
}

/** Reads and validates the gateway's environment once; throws ConfigError listing every problem. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const reader = new EnvReader(env);
  const subgraphUrls = {} as Record<SubgraphName, string>;
  for (const name of SUBGRAPH_NAMES) subgraphUrls[name] = readSubgraphUrl(reader, name);
  const config: GatewayConfig = {
    server: readServerConfig(reader, 'GATEWAY_PORT', GATEWAY_DEFAULT_PORT, 1024 * 1024, '0.0.0.0'),
    subgraphUrls,
    subgraphTimeoutMs: reader.int('SUBGRAPH_TIMEOUT_MS', 10_000, 100, 600_000),
    requestTimeoutMs: reader.int('REQUEST_TIMEOUT_MS', DEFAULT_REQUEST_TIMEOUT_MS, 100, 3_600_000),
    supergraphPath: resolve(projectRoot(), reader.raw('SUPERGRAPH_PATH') ?? 'schema/supergraph.graphql'),
    auth: readAuthConfig(reader),
    limits: readLimits(reader),
    rateLimits: readRateLimits(reader),
    cost: readCostLimits(reader),
    exportPageSize: reader.int('EXPORT_PAGE_SIZE', DEFAULT_EXPORT_PAGE_SIZE, 1, MAX_COLUMNS_PAGE_SIZE),
    exportPagesInFlight: reader.int('EXPORT_PAGES_IN_FLIGHT', DEFAULT_PAGES_IN_FLIGHT, 1, 8),
    exportWarmUpPages: reader.int('EXPORT_WARM_UP_PAGES', DEFAULT_EXPORT_WARM_UP_PAGES, 0, 25),
    dedupeReads: reader.oneOf('SUBGRAPH_DEDUPE', 'true', ['true', 'false']) === 'true',
    explorer: { enabled: false, tokens: [] },
    trustedDocuments: readTrustedDocumentsConfig(reader, 'schema/trusted-documents.json'),
  };
  config.trustedDocuments.file = resolve(projectRoot(), config.trustedDocuments.file);
  const production = config.server.production;
  config.explorer = {
    enabled: reader.oneOf('EXPLORER', production ? 'false' : 'true', ['true', 'false']) === 'true',
    // Ready tokens are a development convenience: never offered by a production gateway.
    tokens: production ? [] : readExplorerTokens(explorerTokensFile(env)),
  };
  reader.done();
  return config;
}

/** EXPLORER_TOKENS_FILE, relative to the project root; default .data/explorer-tokens.json. */
export function explorerTokensFile(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(projectRoot(), env.EXPLORER_TOKENS_FILE?.trim() || '.data/explorer-tokens.json');
}

/** AUTH_JWT_SECRET, AUTH_JWKS_URL, AUTH_JWKS_FILE, AUTH_ISSUER, AUTH_AUDIENCE, AUTH_API_KEYS_FILE. */
export function readAuthConfig(reader: EnvReader): AuthConfig {
  const config: AuthConfig = {
    jwtSecret: reader.raw('AUTH_JWT_SECRET'),
    jwksUrl: reader.raw('AUTH_JWKS_URL') ? reader.url('AUTH_JWKS_URL', '', ['https:', 'http:']) : undefined,
    jwksFile: reader.raw('AUTH_JWKS_FILE') ? resolve(projectRoot(), reader.raw('AUTH_JWKS_FILE')!) : undefined,
    issuer: reader.raw('AUTH_ISSUER'),
    audience: reader.raw('AUTH_AUDIENCE'),
    apiKeysFile: apiKeysFile({ AUTH_API_KEYS_FILE: reader.raw('AUTH_API_KEYS_FILE') }),
  };
  // No way to check tokens is no way in: the gateway does not start without one.
  if (!config.jwtSecret && !config.jwksUrl && !config.jwksFile) {
    reader.fail(
      'authentication is not configured: set AUTH_JWT_SECRET (HS256), AUTH_JWKS_URL or AUTH_JWKS_FILE (RS256/ES256); npm start generates a development secret',
    );
  }
  return config;
}
