import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { Authenticator } from './authentication';

const SECRET = 'unit-secret-0123456789abcdef0123456789';
const NO_KEYS = '/nonexistent/api-keys.json';

async function hs256(
  claims: Record<string, unknown>,
  options: { exp?: string | number | null; sub?: string | null; iss?: string; aud?: string; secret?: string } = {},
) {
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
  if (options.sub !== null) jwt = jwt.setSubject(options.sub ?? 'u1');
  if (options.exp !== null) jwt = jwt.setExpirationTime(options.exp ?? '1h');
  if (options.iss) jwt = jwt.setIssuer(options.iss);
  if (options.aud) jwt = jwt.setAudience(options.aud);
  return `Bearer ${await jwt.sign(new TextEncoder().encode(options.secret ?? SECRET))}`;
}

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (e: { extensions?: { code?: string; http?: { status?: number } } }) => `${e.extensions?.code} ${e.extensions?.http?.status}`,
  );

describe('Authenticator', () => {
  const auth = new Authenticator({ jwtSecret: SECRET, apiKeysFile: NO_KEYS });

  it('takes sub as the caller and the roles claim as its roles, dropping unknown names', async () => {
    expect(await auth.authenticate({ authorization: await hs256({ roles: ['analyst', 'root', 7] }) })).toEqual({ sub: 'u1', roles: ['analyst'], kind: 'user' });
  });

  it('refuses with UNAUTHENTICATED 401: no credentials, expired, no exp, no sub, another key, a malformed header', async () => {
    const cases = [
      auth.authenticate({}),
      auth.authenticate({ authorization: await hs256({ roles: ['admin'] }, { exp: Math.floor(Date.now() / 1000) - 5 }) }),
      auth.authenticate({ authorization: await hs256({ roles: ['admin'] }, { exp: null }) }),
      auth.authenticate({ authorization: await hs256({ roles: ['admin'] }, { sub: null }) }),
      auth.authenticate({ authorization: await hs256({ roles: ['admin'] }, { secret: 'other-secret-0123456789abcdef' }) }),
      auth.authenticate({ authorization: 'Basic dXNlcjpwdw==' }),
      auth.authenticate({ 'x-api-key': 'c360_unknown' }),
    ];
    for (const result of cases) expect(await code(result)).toBe('UNAUTHENTICATED 401');
  });

  it('checks issuer and audience when configured', async () => {
    const strict = new Authenticator({ jwtSecret: SECRET, issuer: 'https://idp', audience: 'c360', apiKeysFile: NO_KEYS });
    expect(await code(strict.authenticate({ authorization: await hs256({ roles: [] }, { iss: 'https://idp', aud: 'c360' }) }))).toBe('ok');
    expect(await code(strict.authenticate({ authorization: await hs256({ roles: [] }, { iss: 'https://evil', aud: 'c360' }) }))).toBe('UNAUTHENTICATED 401');
    expect(await code(strict.authenticate({ authorization: await hs256({ roles: [] }, { iss: 'https://idp', aud: 'other' }) }))).toBe('UNAUTHENTICATED 401');
  });

  it('checks RS256 tokens against a key set, and then takes no HS256 token signed with anything (no algorithm confusion)', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
    const rsa = new Authenticator({ jwks, apiKeysFile: NO_KEYS });
    const token = await new SignJWT({ roles: ['collections'] })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('r1')
      .setExpirationTime('5m')
      .sign(privateKey);
    expect(await rsa.authenticate({ authorization: `Bearer ${token}` })).toEqual({ sub: 'r1', roles: ['collections'], kind: 'user' });
    expect(await code(rsa.authenticate({ authorization: await hs256({ roles: ['admin'] }) }))).toBe('UNAUTHENTICATED 401');
  });
});
