import { createSecretKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GraphQLError } from 'graphql';
import { createLocalJWKSet, createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { isRole, type Principal } from '../subgraphs/platform/auth';
import { ApiKeyStore } from './api-keys';

/** How the gateway checks callers (README, "Access control"). */
export interface AuthConfig {
  /** AUTH_JWT_SECRET: HS256 tokens signed with it are accepted. */
  jwtSecret?: string;
  /** AUTH_JWKS_URL: RS256/ES256 tokens are checked against these keys (fetched and cached by jose). */
  jwksUrl?: string;
  /** AUTH_JWKS_FILE: the same, from a JSON Web Key Set on disk. */
  jwksFile?: string;
  /** The key set itself, for a gateway embedded in another program (and tests); wins over the file. */
  jwks?: JSONWebKeySet;
  /** AUTH_ISSUER / AUTH_AUDIENCE: when set, a token must carry them; default unchecked. */
  issuer?: string;
  audience?: string;
  /** AUTH_API_KEYS_FILE: hashed API keys (npm run apikey); default .data/api-keys.json. */
  apiKeysFile: string;
}

/** The authenticated caller as the gateway sees it: the principal, plus what only the gateway enforces. */
export interface Caller extends Principal {
  /** An API key created with --trusted-only: registered operations only. */
  trustedDocumentsOnly?: boolean;
}

const MISSING = 'authentication required: send Authorization: Bearer <token> or x-api-key: <key>';
const INVALID = 'the credentials are invalid, expired or revoked';

/** UNAUTHENTICATED with HTTP 401; never repeats what the client sent. */
export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/**
 * Turns a request's credentials into a principal, or throws UNAUTHENTICATED:
 * a bearer JWT (exp required, sub the caller, the `roles` claim its roles,
 * unknown role names dropped) or an API key from the key file. Runs in the
 * gateway's context function, before any planning, so a rejected request
 * asks no subgraph anything.
 */
export class Authenticator {
  private readonly hmacKey: KeyObject | undefined;
  private readonly jwks: JWTVerifyGetKey | undefined;
  readonly apiKeys: ApiKeyStore;

  constructor(private readonly config: AuthConfig) {
    // A KeyObject, imported once (jose would import raw key bytes on every verification).
    this.hmacKey = config.jwtSecret ? createSecretKey(Buffer.from(config.jwtSecret, 'utf8')) : undefined;
    if (config.jwks) this.jwks = createLocalJWKSet(config.jwks);
    else if (config.jwksUrl) this.jwks = createRemoteJWKSet(new URL(config.jwksUrl));
    else if (config.jwksFile) this.jwks = createLocalJWKSet(JSON.parse(readFileSync(config.jwksFile, 'utf8')));
    if (!this.hmacKey && !this.jwks) throw new Error('no token verification configured: set AUTH_JWT_SECRET, AUTH_JWKS_URL or AUTH_JWKS_FILE');
    this.apiKeys = new ApiKeyStore(config.apiKeysFile);
  }

  async authenticate(headers: Record<string, string | string[] | undefined>): Promise<Caller> {
    const authorization = headers.authorization;
    const apiKey = headers['x-api-key'];
    if (typeof authorization === 'string' && authorization.length > 0) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      if (!match) throw unauthenticated(INVALID);
      return this.fromToken(match[1]!);
    }
    if (typeof apiKey === 'string' && apiKey.length > 0) {
      const record = this.apiKeys.find(apiKey);
      if (!record) throw unauthenticated(INVALID);
      return { sub: `apikey:${record.name}`, roles: record.roles.filter(isRole), kind: 'api_key', trustedDocumentsOnly: record.trustedDocumentsOnly === true };
    }
    throw unauthenticated(MISSING);
  }

  private async fromToken(token: string): Promise<Principal> {
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw unauthenticated(INVALID);
    }
    const options = { issuer: this.config.issuer, audience: this.config.audience, requiredClaims: ['exp', 'sub'] };
    try {
      const { payload } =
        alg === 'HS256' && this.hmacKey
          ? await jwtVerify(token, this.hmacKey, { ...options, algorithms: ['HS256'] })
          : this.jwks && (alg === 'RS256' || alg === 'ES256')
            ? await jwtVerify(token, this.jwks, { ...options, algorithms: ['RS256', 'ES256'] })
            : (() => {
                throw new Error('algorithm not accepted');
              })();
      const roles = Array.isArray(payload.roles) ? payload.roles.filter(isRole) : [];
      if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 200) throw new Error('bad sub');
      return { sub: payload.sub, roles, kind: 'user' };
    } catch {
      throw unauthenticated(INVALID);
    }
  }
}
