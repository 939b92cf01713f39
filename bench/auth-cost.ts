import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { Authenticator } from '../gateway/authentication';
import { InternalSigner } from '../subgraphs/platform/auth';

/**
 * The bench's admin principal, signed for the subgraphs as our gateway
 * signs it, for the gateways that authenticate no caller (stock, single
 * process, Hive): one signature per 30 s, well within the token's 60 s.
 */
export function benchPrincipalSigner(secret = process.env.INTERNAL_AUTH_SECRET ?? ''): () => Promise<string> {
  const signer = new InternalSigner(secret);
  let signed: { token: Promise<string>; until: number } | undefined;
  return () => {
    if (!signed || Date.now() > signed.until) signed = { token: signer.sign({ sub: 'bench', roles: ['admin'], kind: 'user' }), until: Date.now() + 30_000 };
    return signed.token;
  };
}

/** The secrets and the bearer token a benchmark run authenticates with. */
export async function benchAuth(): Promise<{ env: Record<string, string>; authorization: string }> {
  const env = { INTERNAL_AUTH_SECRET: randomBytes(32).toString('base64url'), AUTH_JWT_SECRET: randomBytes(32).toString('base64url') };
  const token = await new SignJWT({ roles: ['admin'] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('bench')
    .setIssuedAt()
    .setExpirationTime('6h')
    .sign(new TextEncoder().encode(env.AUTH_JWT_SECRET));
  return { env, authorization: `Bearer ${token}` };
}

/**
 * What access control adds to one request at the gateway, measured in
 * process: verifying the caller's JWT and signing the principal forwarded to
 * the subgraphs (once per request), plus one verification per subgraph fetch.
 * Answers microseconds per request for `fetches` subgraph fetches.
 */
export async function authCostMicros(env: Record<string, string>, authorization: string, fetches = 3, iterations = 5000): Promise<number> {
  const authenticator = new Authenticator({ jwtSecret: env.AUTH_JWT_SECRET, apiKeysFile: '/nonexistent/api-keys.json' });
  const signer = new InternalSigner(env.INTERNAL_AUTH_SECRET!);
  const once = async () => {
    const principal = await authenticator.authenticate({ authorization });
    const signed = await signer.sign(principal);
    for (let i = 0; i < fetches; i++) await signer.verify(signed);
  };
  for (let i = 0; i < 500; i++) await once();
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await once();
  return Number(process.hrtime.bigint() - started) / 1000 / iterations;
}
