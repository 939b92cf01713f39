import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isRole, type Role } from '../subgraphs/platform/auth';
import { projectRoot } from '../subgraphs/platform/config';

/**
 * API keys for service accounts and BI tools. The file (AUTH_API_KEYS_FILE)
 * holds a SHA-256 hash per key, never the key: a key is 32 random bytes, so
 * a fast hash is as safe as a slow one, and lookups stay cheap per request.
 */
export interface ApiKeyRecord {
  id: string;
  name: string;
  roles: Role[];
  /** sha256 of the key, hex. */
  hash: string;
  createdAt: string;
  revokedAt: string | null;
  /** The key may run registered operations only (README, "Trusted documents"); absent in older files: false. */
  trustedDocumentsOnly?: boolean;
}

const PREFIX = 'c360_';

/** AUTH_API_KEYS_FILE, relative to the project root; default .data/api-keys.json. */
export function apiKeysFile(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(projectRoot(), env.AUTH_API_KEYS_FILE?.trim() || '.data/api-keys.json');
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Reads and writes the key file; the gateway rereads it when it changes, so a revoke takes effect without a restart. */
export class ApiKeyStore {
  private cache: { mtimeMs: number; size: number; records: ApiKeyRecord[] } | undefined;

  constructor(readonly path: string) {}

  list(): ApiKeyRecord[] {
    if (!existsSync(this.path)) return [];
    const stat = statSync(this.path);
    if (this.cache && this.cache.mtimeMs === stat.mtimeMs && this.cache.size === stat.size) return this.cache.records;
    const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as { keys?: ApiKeyRecord[] };
    const records = Array.isArray(parsed.keys) ? parsed.keys : [];
    this.cache = { mtimeMs: stat.mtimeMs, size: stat.size, records };
    return records;
  }

  /** Creates a key; answers the key itself, which is shown once and stored nowhere. */
  create(name: string, roles: readonly string[], now = new Date(), options: { trustedDocumentsOnly?: boolean } = {}): { key: string; record: ApiKeyRecord } {
    if (!/^[\w.-]{1,64}$/.test(name)) throw new Error('--name must be 1-64 letters, digits, dots, dashes or underscores');
    const bad = roles.filter((r) => !isRole(r));
    if (roles.length === 0 || bad.length > 0) throw new Error(`--roles must be a comma-separated list of known roles`);
    if (this.list().some((r) => r.name === name && !r.revokedAt)) throw new Error(`an active key named ${name} exists; revoke it first`);
    const key = `${PREFIX}${randomBytes(32).toString('base64url')}`;
    const record: ApiKeyRecord = {
      id: randomBytes(6).toString('hex'),
      name,
      roles: roles as Role[],
      hash: hashKey(key),
      createdAt: now.toISOString(),
      revokedAt: null,
      ...(options.trustedDocumentsOnly ? { trustedDocumentsOnly: true } : {}),
    };
    this.write([...this.list(), record]);
    return { key, record };
  }

  /** Revokes by name or id; answers whether an active key was found. */
  revoke(nameOrId: string, now = new Date()): boolean {
    let found = false;
    const records = this.list().map((r) => {
      if ((r.name === nameOrId || r.id === nameOrId) && !r.revokedAt) {
        found = true;
        return { ...r, revokedAt: now.toISOString() };
      }
      return r;
    });
    if (found) this.write(records);
    return found;
  }

  /** The active record the key belongs to, compared in constant time. */
  find(key: string): ApiKeyRecord | null {
    if (!key.startsWith(PREFIX) || key.length > 200) return null;
    const hash = Buffer.from(hashKey(key), 'hex');
    for (const record of this.list()) {
      const stored = Buffer.from(record.hash, 'hex');
      if (stored.length === hash.length && timingSafeEqual(stored, hash)) return record.revokedAt ? null : record;
    }
    return null;
  }

  private write(records: ApiKeyRecord[]): void {
    mkdirSync(dirname(this.path), { recursive: true });
    // Write-then-rename, so the gateway never reads half a file; 0600, as it grants access.
    const temp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify({ keys: records }, null, 2)}\n`, { mode: 0o600 });
    renameSync(temp, this.path);
    this.cache = undefined;
  }
}
