import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Every bad environment variable is collected, then reported in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const SUBGRAPH_NAMES = ['customers', 'contacts', 'billing', 'claims', 'key-accounts'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

/**
 * Node flags every subgraph process is started with (launcher,
 * docker-compose, benchmark). A page of 1,000 entities keeps its promise
 * chains alive until its DataLoader statements return, so with V8's default
 * 16 MB semi-space most of them survive each scavenge and are copied again:
 * billing spent 37 % of its CPU in GC during a customers export. 32 MB
 * halves the scavenges: billing's CPU per export fell from 11.4 s to 4.4 s
 * and the export ran 20 % faster, for about 40 MB more RSS (bench, large seed).
 */
export const SUBGRAPH_NODE_FLAGS = ['--max-semi-space-size=32'];

/** Default ports: gateway 4000, then the subgraphs in the order above. */
export const GATEWAY_DEFAULT_PORT = 4000;
export const SUBGRAPH_DEFAULT_PORTS: Record<SubgraphName, number> = {
  customers: 4001,
  contacts: 4002,
  billing: 4003,
  claims: 4004,
  'key-accounts': 4005,
};

/** `key-accounts` → `KEY_ACCOUNTS`, the prefix of that subgraph's variables. */
export function envPrefix(name: SubgraphName): string {
  return name.toUpperCase().replace(/-/g, '_');
}

/** Reads typed values from an environment, remembering every problem. */
export class EnvReader {
  private readonly problems: string[] = [];

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!/^-?\d+$/.test(value) || n < min || n > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
      return fallback;
    }
    return n;
  }

  port(name: string, fallback: number): number {
    return this.int(name, fallback, 0, 65535);
  }

  url(name: string, fallback: string, protocols: string[]): string {
    const value = this.raw(name) ?? fallback;
    try {
      const url = new URL(value);
      if (!protocols.includes(url.protocol)) throw new Error('protocol');
      return value;
    } catch {
      // The value is not repeated: a URL may carry a password.
      this.problems.push(`${name} must be a ${protocols.join(' or ')} URL`);
      return fallback;
    }
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!allowed.includes(value as T)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')}, got "${value}"`);
      return fallback;
    }
    return value as T;
  }

  fail(problem: string): void {
    this.problems.push(problem);
  }

  private unique(): string[] {
    // A variable read twice (CUSTOMERS_PORT by a subgraph and for CUSTOMERS_URL) is reported once.
    return [...new Set(this.problems)];
  }

  /** Throws a ConfigError naming every problem found so far. */
  done(): void {
    if (this.problems.length > 0) throw new ConfigError(this.unique());
  }
}

/** One MySQL/MariaDB server and database. */
export interface MysqlServer {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export type DatabaseConfig =
  | ({
      type: 'mysql';
      /** `<SUBGRAPH>_DATABASE_READ_URL`: a replica that read-only requests read from (datasource.ts); default none. */
      readReplica?: MysqlServer;
    } & MysqlServer)
  | { type: 'sqlite'; path: string };

const MYSQL_PROTOCOLS = ['mysql:', 'mariadb:'];

/** `DATABASE_URL`'s database for a subgraph: each subgraph owns its own. */
export function defaultDatabaseName(name: SubgraphName): string {
  return `customer360_${name.replace(/-/g, '_')}`;
}

/**
 * Where a subgraph keeps its data:
 * - `<SUBGRAPH>_DATABASE_URL`, if set: that server, and the database named in
 *   its path (default customer360_<subgraph>);
 * - else `DATABASE_URL` (mysql://user:pass@host:port): that server, database
 *   customer360_<subgraph>;
 * - else an embedded SQLite file `<DATA_DIR>/<subgraph>.sqlite` (DATA_DIR
 *   defaults to `.data`).
 */
export function readDatabaseConfig(reader: EnvReader, name: SubgraphName): DatabaseConfig {
  const ownName = `${envPrefix(name)}_DATABASE_URL`;
  const own = reader.raw(ownName);
  const shared = reader.raw('DATABASE_URL');
  const varName = own !== undefined ? ownName : 'DATABASE_URL';
  const value = own ?? shared;
  if (value === undefined) {
    if (reader.raw(`${envPrefix(name)}_DATABASE_READ_URL`) !== undefined)
      reader.fail(`${envPrefix(name)}_DATABASE_READ_URL needs a MySQL/MariaDB primary (DATABASE_URL)`);
    return { type: 'sqlite', path: join(resolve(projectRoot(), reader.raw('DATA_DIR') ?? '.data'), `${name}.sqlite`) };
  }
  const primary = parseMysqlUrl(reader, varName, value, own !== undefined ? undefined : defaultDatabaseName(name), defaultDatabaseName(name));
  if (!primary) return { type: 'sqlite', path: '' };
  const readName = `${envPrefix(name)}_DATABASE_READ_URL`;
  const read = reader.raw(readName);
  // The replica holds the same database as the primary unless its URL names one.
  const readReplica = read === undefined ? undefined : parseMysqlUrl(reader, readName, read, undefined, primary.database);
  return { type: 'mysql', ...primary, ...(readReplica ? { readReplica } : {}) };
}

/** A mysql:// URL as a server and database; `forced` overrides the path, `fallback` fills an empty one. Failures name the variable, never the value. */
function parseMysqlUrl(reader: EnvReader, varName: string, value: string, forced: string | undefined, fallback: string): MysqlServer | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    reader.fail(`${varName} must look like mysql://user:password@host:3306, got something that is not a URL`);
    return undefined;
  }
  if (!MYSQL_PROTOCOLS.includes(url.protocol) || url.hostname === '') {
    // The value may hold a password: name the variable, never echo it.
    reader.fail(`${varName} must look like mysql://user:password@host:3306 (protocol mysql: or mariadb:)`);
    return undefined;
  }
  const path = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (path !== '' && !/^[A-Za-z0-9_]{1,64}$/.test(path)) {
    reader.fail(`${varName} names database "${path}"; use letters, digits and _ only`);
  }
  return {
    host: url.hostname,
    port: url.port === '' ? 3306 : Number(url.port),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
    database: forced ?? (path !== '' ? path : fallback),
  };
}

export interface ServerConfig {
  port: number;
  /** HOST: interface to bind; default 127.0.0.1 for subgraphs (only the gateway and peers on this machine reach them), 0.0.0.0 for the gateway. Containers set 0.0.0.0. */
  host: string;
  production: boolean;
  /**
   * Largest request body accepted, in bytes (BODY_LIMIT_BYTES): default 1 MiB
   * at the gateway, 16 MiB at subgraphs, whose requests come from the gateway
   * and may carry large @requires representations (a segment's customer ids).
   */
  bodyLimitBytes: number;
  /** How long a graceful shutdown may take before the process exits anyway; default 10 s. */
  shutdownTimeoutMs: number;
  /** LOG_LEVEL (checked here; the logger reads it): default info. */
  logLevel?: string;
  /**
   * INTERNAL_AUTH_SECRET (required, 32 characters or more): the key the
   * gateway signs forwarded principals with and every subgraph checks them
   * with; also signs calls between subgraphs. `npm start` generates one.
   */
  internalAuthSecret: string;
  /** SQL_STATEMENT_TIMEOUT_MS: longest a subgraph's SQL statement may run; default 10,000 (see capStatementTime). */
  sqlStatementTimeoutMs: number;
}

/** INTERNAL_AUTH_SECRET, required everywhere (see ServerConfig). */
export function readInternalSecret(reader: EnvReader): string {
  const secret = reader.raw('INTERNAL_AUTH_SECRET') ?? '';
  if (secret.length < 32) {
    reader.fail('INTERNAL_AUTH_SECRET must be set, at least 32 characters, the same for the gateway and every subgraph (npm start generates one)');
  }
  return secret;
}

export function readServerConfig(
  reader: EnvReader,
  portVar: string,
  defaultPort: number,
  defaultBodyLimit = 1024 * 1024,
  defaultHost = '127.0.0.1',
): ServerConfig {
  return {
    port: reader.port(portVar, defaultPort),
    host: reader.raw('HOST') ?? defaultHost,
    production: reader.oneOf('NODE_ENV', 'development', ['development', 'production', 'test']) === 'production',
    bodyLimitBytes: reader.int('BODY_LIMIT_BYTES', defaultBodyLimit, 1024, 256 * 1024 * 1024),
    shutdownTimeoutMs: reader.int('SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    internalAuthSecret: readInternalSecret(reader),
    sqlStatementTimeoutMs: reader.int('SQL_STATEMENT_TIMEOUT_MS', 10_000, 100, 3_600_000),
    ...readTelemetrySettings(reader),
  };
}

/** The values LOG_LEVEL may take (pino's levels). */
export const LOG_LEVELS: readonly string[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/**
 * LOG_LEVEL and LOG_FORMAT, checked like every other variable (the logger
 * itself reads them from the environment, before any configuration, and
 * falls back to info and JSON on a value it does not know).
 */
function readTelemetrySettings(reader: EnvReader): { logLevel: string } {
  const logLevel = reader.oneOf('LOG_LEVEL', 'info', [...LOG_LEVELS]);
  reader.oneOf('LOG_FORMAT', 'auto', ['auto', 'json', 'pretty']);
  return { logLevel };
}

export interface SubgraphConfig {
  name: SubgraphName;
  server: ServerConfig;
  database: DatabaseConfig;
  /** CUSTOMERS_URL: where subgraphs look customers up; default http://localhost:4001/graphql. */
  customersUrl: string;
}

/** `<SUBGRAPH>_URL`, by default http://localhost:<SUBGRAPH>_PORT/graphql: where a subgraph is reached. */
export function readSubgraphUrl(reader: EnvReader, name: SubgraphName): string {
  const port = reader.port(`${envPrefix(name)}_PORT`, SUBGRAPH_DEFAULT_PORTS[name]);
  return reader.url(`${envPrefix(name)}_URL`, `http://localhost:${port}/graphql`, ['http:', 'https:']);
}

/** CURRENCY: the deployment's one ISO-4217 currency; default EUR. */
export function readCurrency(reader: EnvReader): string {
  const currency = reader.raw('CURRENCY') ?? 'EUR';
  if (!/^[A-Z]{3}$/.test(currency)) reader.fail(`CURRENCY must be an ISO-4217 code such as EUR, got "${currency}"`);
  return currency;
}

/** `<SUBGRAPH>_PORT` (defaults above), the database, and the shared server settings. */
export function loadSubgraphConfig(name: SubgraphName, env: NodeJS.ProcessEnv = process.env): SubgraphConfig {
  const reader = new EnvReader(env);
  const config: SubgraphConfig = {
    name,
    server: readServerConfig(reader, `${envPrefix(name)}_PORT`, SUBGRAPH_DEFAULT_PORTS[name], 16 * 1024 * 1024),
    database: readDatabaseConfig(reader, name),
    customersUrl: readSubgraphUrl(reader, 'customers'),
  };
  reader.done();
  return config;
}

/**
 * The repository root (the folder with package.json), found from this file so
 * that paths hold whether code runs from dist/ (node) or from source (jest).
 */
export function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}
