import 'reflect-metadata';
// Every test process: UTC, no telemetry, quiet migrations.
process.env.TZ = 'UTC';
process.env.APOLLO_TELEMETRY_DISABLED = '1';
process.env.NODE_ENV = 'test';
// The services' shared key and the public token issuer's, as a deployment sets them.
process.env.INTERNAL_AUTH_SECRET = 'test-internal-secret-0123456789abcdef';
process.env.AUTH_JWT_SECRET = 'test-jwt-secret-0123456789abcdef';
// Request lines of every e2e test would drown jest's output; tests that read logs pass their own stream.
process.env.LOG_LEVEL ??= 'silent';
