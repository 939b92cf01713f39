import 'reflect-metadata';
// Every test process: UTC, no telemetry, quiet migrations.
process.env.TZ = 'UTC';
process.env.APOLLO_TELEMETRY_DISABLED = '1';
process.env.NODE_ENV = 'test';
