import { ConfigError, loadSubgraphConfig } from './config';
import { loadGatewayConfig } from '../../gateway/gateway.config';

/** What every deployment sets: the services' shared key, and for the gateway a token source. */
const SECRETS = { INTERNAL_AUTH_SECRET: 'x'.repeat(32), AUTH_JWT_SECRET: 'jwt-secret' };

describe('loadSubgraphConfig', () => {
  it('defaults to the subgraph port and an embedded SQLite file', () => {
    const config = loadSubgraphConfig('billing', SECRETS);
    expect(config.server).toMatchObject({ port: 4003, production: false, bodyLimitBytes: 16 * 1048576 });
    expect(config.database).toMatchObject({ type: 'sqlite' });
    expect(config.database.type === 'sqlite' && config.database.path).toMatch(/\.data\/billing\.sqlite$/);
  });

  it('gives each subgraph its own database on the DATABASE_URL server', () => {
    const env = { ...SECRETS, DATABASE_URL: 'mysql://app:s%40cret@db:3307' };
    expect(loadSubgraphConfig('key-accounts', env).database).toEqual({
      type: 'mysql',
      host: 'db',
      port: 3307,
      user: 'app',
      password: 's@cret',
      database: 'customer360_key_accounts',
    });
  });

  it('lets <SUBGRAPH>_DATABASE_URL override the server and name the database', () => {
    const env = { ...SECRETS, DATABASE_URL: 'mysql://a:b@db:3306', CUSTOMERS_DATABASE_URL: 'mariadb://c:d@other/crm' };
    expect(loadSubgraphConfig('customers', env).database).toMatchObject({ host: 'other', port: 3306, database: 'crm' });
    expect(loadSubgraphConfig('contacts', env).database).toMatchObject({ host: 'db', database: 'customer360_contacts' });
  });

  it('reports every bad value at once, without echoing a password', () => {
    const env = { ...SECRETS, CUSTOMERS_PORT: 'eighty', NODE_ENV: 'prod', DATABASE_URL: 'postgres://u:topsecret@h/db', BODY_LIMIT_BYTES: '12' };
    let error: unknown;
    try {
      loadSubgraphConfig('customers', env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems).toHaveLength(4);
    expect(message).toContain('CUSTOMERS_PORT must be an integer from 0 to 65535, got "eighty"');
    expect(message).toContain('NODE_ENV must be one of development, production, test, got "prod"');
    expect(message).toContain('DATABASE_URL must look like mysql://user:password@host:3306');
    expect(message).toContain('BODY_LIMIT_BYTES');
    expect(message).not.toContain('topsecret');
  });

  it("reads a read replica from <SUBGRAPH>_DATABASE_READ_URL, with the primary's database by default, and only beside a MySQL primary", () => {
    const env = { ...SECRETS, DATABASE_URL: 'mysql://app:pw@db:3306', BILLING_DATABASE_READ_URL: 'mysql://reader:rpw@replica:3307' };
    expect(loadSubgraphConfig('billing', env).database).toMatchObject({
      type: 'mysql',
      host: 'db',
      database: 'customer360_billing',
      readReplica: { host: 'replica', port: 3307, user: 'reader', password: 'rpw', database: 'customer360_billing' },
    });
    expect(loadSubgraphConfig('contacts', env).database).not.toHaveProperty('readReplica');
    expect(() => loadSubgraphConfig('billing', { ...SECRETS, BILLING_DATABASE_READ_URL: 'mysql://reader:secret-pw@replica' })).toThrow(
      /BILLING_DATABASE_READ_URL needs a MySQL\/MariaDB primary/,
    );
    expect(() => loadSubgraphConfig('billing', { ...env, BILLING_DATABASE_READ_URL: 'http://reader:secret-pw@replica' })).toThrow(
      /BILLING_DATABASE_READ_URL must look like mysql:/,
    );
    expect(() => loadSubgraphConfig('billing', { ...env, BILLING_DATABASE_READ_URL: 'http://reader:secret-pw@replica' })).not.toThrow(/secret-pw/);
  });

  it('checks the log settings like any other variable', () => {
    expect(loadSubgraphConfig('billing', { ...SECRETS, LOG_LEVEL: 'debug', LOG_FORMAT: 'json' }).server.logLevel).toBe('debug');
    expect(() => loadSubgraphConfig('billing', { ...SECRETS, LOG_LEVEL: 'loud', LOG_FORMAT: 'fancy' })).toThrow(/LOG_LEVEL[\s\S]*LOG_FORMAT/);
  });

  it('refuses to start without the shared service key, or with a short one', () => {
    expect(() => loadSubgraphConfig('billing', {})).toThrow(/INTERNAL_AUTH_SECRET must be set, at least 32 characters/);
    expect(() => loadSubgraphConfig('billing', { INTERNAL_AUTH_SECRET: 'short' })).toThrow(/INTERNAL_AUTH_SECRET/);
  });
});

describe('loadGatewayConfig', () => {
  it('points at every subgraph on its default port', () => {
    const config = loadGatewayConfig(SECRETS);
    expect(config.server.port).toBe(4000);
    expect(config.subgraphUrls).toEqual({
      customers: 'http://localhost:4001/graphql',
      contacts: 'http://localhost:4002/graphql',
      billing: 'http://localhost:4003/graphql',
      claims: 'http://localhost:4004/graphql',
      'key-accounts': 'http://localhost:4005/graphql',
    });
    expect(config.subgraphTimeoutMs).toBe(10_000);
    expect(config.supergraphPath).toMatch(/schema\/supergraph\.graphql$/);
  });

  it('takes subgraph URLs, ports and the timeout from the environment', () => {
    const config = loadGatewayConfig({
      ...SECRETS,
      BILLING_URL: 'http://billing:8080/graphql',
      CLAIMS_PORT: '5004',
      SUBGRAPH_TIMEOUT_MS: '2500',
      GATEWAY_PORT: '8000',
    });
    expect(config.subgraphUrls.billing).toBe('http://billing:8080/graphql');
    expect(config.subgraphUrls.claims).toBe('http://localhost:5004/graphql');
    expect(config.subgraphTimeoutMs).toBe(2500);
    expect(config.server.port).toBe(8000);
  });

  it('refuses a URL that is not http(s) and a timeout below 100 ms', () => {
    expect(() => loadGatewayConfig({ ...SECRETS, CUSTOMERS_URL: 'ftp://x', SUBGRAPH_TIMEOUT_MS: '5' })).toThrow(
      /CUSTOMERS_URL must be a http: or https: URL[\s\S]*SUBGRAPH_TIMEOUT_MS must be an integer from 100/,
    );
  });

  it('refuses to start without a way to check tokens, and names the settings', () => {
    expect(() => loadGatewayConfig({ INTERNAL_AUTH_SECRET: 'x'.repeat(32) })).toThrow(/set AUTH_JWT_SECRET \(HS256\), AUTH_JWKS_URL or AUTH_JWKS_FILE/);
    expect(loadGatewayConfig({ INTERNAL_AUTH_SECRET: 'x'.repeat(32), AUTH_JWKS_FILE: 'keys.json', AUTH_ISSUER: 'idp' }).auth).toMatchObject({
      jwksFile: expect.stringMatching(/keys\.json$/),
      issuer: 'idp',
      jwtSecret: undefined,
    });
  });
});
