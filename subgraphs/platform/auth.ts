import { createSecretKey, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';

/**
 * Who may do what. The gateway authenticates the caller (gateway/authentication.ts)
 * and forwards a signed principal; subgraphs trust nothing else.
 */
export const ROLES = ['agent', 'collections', 'claims_handler', 'key_account_manager', 'supervisor', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Roles a service principal (one subgraph calling another) carries: it acts for the system, not a person. */
export const SERVICE_ROLE = 'service';

export interface Principal {
  /** The caller: a JWT's `sub`, `apikey:<name>`, or `service:<subgraph>`. */
  sub: string;
  roles: readonly string[];
  kind: 'user' | 'api_key' | 'service';
}

/**
 * The caller of one request, from the principal the gateway (or a peer
 * service) signed: see auth.ts. A subgraph never reads identity from
 * anything a client could set.
 */
export interface Identity {
  /** Who is calling: a JWT's sub, apikey:<name> or service:<subgraph>. */
  userId: string | null;
  roles: readonly string[];
  kind?: Principal['kind'];
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The header that carries the signed principal from the gateway (or a peer service) to a subgraph. */
export const PRINCIPAL_HEADER = 'x-c360-principal';

const AUDIENCE = 'c360-subgraphs';
const ISSUER = 'c360';
/** Lifetime of a forwarded principal: one request's fetches, with clock skew to spare. */
const TTL_SECONDS = 60;

/**
 * Signs and checks the principal that travels between the services: an
 * HS256 JWT over sub, roles and kind, valid 60 s, keyed with
 * INTERNAL_AUTH_SECRET, which only the gateway and the subgraphs hold. A
 * client cannot mint one, and a token from the public issuer is not one
 * (other audience, other key).
 */
export class InternalSigner {
  private readonly key: KeyObject;

  constructor(secret: string) {
    if (secret.length < 32) throw new Error('INTERNAL_AUTH_SECRET must be at least 32 characters');
    // A KeyObject, imported once: jose would import raw key bytes again on every sign and verify.
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  sign(principal: Principal): Promise<string> {
    return new SignJWT({ roles: [...principal.roles], kind: principal.kind })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(principal.sub)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${TTL_SECONDS}s`)
      .sign(this.key);
  }

  /** The principal, or null for a missing, forged, expired or malformed token. */
  async verify(token: string | undefined): Promise<Principal | null> {
    if (!token) return null;
    try {
      // 5 s of clock skew between hosts is tolerated; the token lives 60 s.
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        audience: AUDIENCE,
        issuer: ISSUER,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: 5,
      });
      const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [];
      const kind = payload.kind === 'api_key' || payload.kind === 'service' ? payload.kind : 'user';
      return { sub: payload.sub!, roles, kind };
    } catch {
      return null;
    }
  }

  /** A service principal's header for a call from one subgraph to another. */
  async serviceHeaders(service: string): Promise<Record<string, string>> {
    return { [PRINCIPAL_HEADER]: await this.sign({ sub: `service:${service}`, roles: [SERVICE_ROLE], kind: 'service' }) };
  }
}

/** The headers one service sends when it calls another. */
export interface ServiceCredentials {
  headers(): Promise<Record<string, string>>;
}

/** A service principal for `service`, re-signed when half its 60 s lifetime has passed. */
export function serviceCredentials(secret: string, service: string): ServiceCredentials {
  const signer = new InternalSigner(secret);
  let cached: { headers: Promise<Record<string, string>>; until: number } | undefined;
  return {
    headers() {
      const now = Date.now();
      if (!cached || now >= cached.until) cached = { headers: signer.serviceHeaders(service), until: now + (TTL_SECONDS / 2) * 1000 };
      return cached.headers;
    },
  };
}

/**
 * The headers with which one service forwards its caller's own principal to
 * another (the customers subgraph passing a supervisor's decision on to the
 * subgraph that stores the request): the receiver then checks that user's
 * roles and records that user, exactly as for a call through the gateway.
 */
export interface DelegatedCredentials {
  headersFor(principal: Principal): Promise<Record<string, string>>;
}

export function delegatedCredentials(secret: string): DelegatedCredentials {
  const signer = new InternalSigner(secret);
  return { headersFor: async (principal) => ({ [PRINCIPAL_HEADER]: await signer.sign(principal) }) };
}
