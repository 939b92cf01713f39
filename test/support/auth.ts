import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import type { AuthConfig } from '../../gateway/authentication';

/** The gateway's authentication in tests: HS256 with the test AUTH_JWT_SECRET, API keys in a fresh temporary file. */
export function testAuthConfig(): AuthConfig {
  return { jwtSecret: process.env.AUTH_JWT_SECRET!, apiKeysFile: join(mkdtempSync(join(tmpdir(), 'c360-keys-')), 'api-keys.json') };
}

/** A bearer token as the company's identity provider would issue it; `expiresIn` e.g. '1h', or a past epoch second. */
export async function tokenFor(
  roles: readonly string[],
  sub = 'test-user',
  expiresIn: string | number = '1h',
  secret = process.env.AUTH_JWT_SECRET!,
): Promise<string> {
  return new SignJWT({ roles: [...roles] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}

export async function bearer(roles: readonly string[], sub?: string): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await tokenFor(roles, sub)}` };
}
