import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { REQUEST_ID_ATTRIBUTE, SERVICE_ATTRIBUTE, startTracing, stopTracing } from '../../subgraphs/platform';
import { Stack } from '../support/stack';

/**
 * Traces, request ids and metrics across real services: the gateway and the
 * subgraphs over HTTP on free ports, one in-memory span exporter for the
 * process (all services run in it; each span names its service).
 */
const exporter = new InMemorySpanExporter();
const stack = new Stack();

beforeAll(async () => {
  await startTracing({ service: 'e2e', exporter, immediate: true });
  await stack.start();
});
afterAll(async () => {
  await stack.stop();
  await stopTracing();
});

const CREATE = `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`;
const LOG = `mutation LogCall($input: LogInteractionInput!) { logInteraction(input: $input) { id } }`;

const serviceOf = (span: ReadableSpan) => span.attributes[SERVICE_ATTRIBUTE];

async function metrics(url: string): Promise<string> {
  return (await fetch(url.replace('/graphql', '/metrics'))).text();
}

describe('one request, one trace', () => {
  it('follows a mutation gateway → contacts → customers (the peer lookup) in one trace, with one request id', async () => {
    const { id } = (await stack.data(CREATE, { input: { kind: 'PERSON', firstName: 'Tracy', lastName: 'Spann' } })).createCustomer;
    exporter.reset();
    const response = await fetch(stack.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'trace-me-1', ...stack.adminHeaders },
      body: JSON.stringify({
        query: LOG,
        variables: {
          input: {
            customerId: id,
            channel: 'CHAT',
            direction: 'INBOUND',
            serviceArea: 'HELPDESK',
            subject: 'Traced',
            handledBy: 'agent.one',
            competenceLevel: 'FIRST_LEVEL',
            resolvedOnFirstContact: true,
          },
        },
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('trace-me-1');
    expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();

    const spans = exporter.getFinishedSpans();
    const gatewayRequest = spans.find((s) => s.name === 'gateway.request');
    expect(gatewayRequest).toBeDefined();
    const traceId = gatewayRequest!.spanContext().traceId;
    const inTrace = spans.filter((s) => s.spanContext().traceId === traceId);
    // No service started a trace of its own for the request (background work, such as the outbox, has its own traces).
    const tagged = spans.filter((s) => s.attributes[REQUEST_ID_ATTRIBUTE] === 'trace-me-1');
    expect(tagged.length).toBeGreaterThanOrEqual(3);
    expect(new Set(tagged.map((s) => s.spanContext().traceId))).toEqual(new Set([traceId]));
    const servers = inTrace.filter((s) => s.name === 'POST /graphql');
    expect(new Set(servers.map(serviceOf))).toEqual(new Set(['gateway', 'contacts', 'customers']));
    // The request id the client sent reached each service.
    for (const span of servers) expect(span.attributes[REQUEST_ID_ATTRIBUTE]).toBe('trace-me-1');
    // Planning, the fetch, and the SQL of both subgraphs are spans of it.
    const names = inTrace.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['gateway.plan', 'gateway.fetch', 'sql insert', 'sql select']));
    expect(new Set(inTrace.filter((s) => s.name.startsWith('sql ')).map(serviceOf))).toEqual(new Set(['contacts', 'customers']));
    // The contacts server span is a child of the gateway's fetch, the customers one of a contacts span.
    const byId = new Map(inTrace.map((s) => [s.spanContext().spanId, s]));
    const parentOf = (span: ReadableSpan) => byId.get(span.parentSpanContext?.spanId ?? '');
    expect(parentOf(servers.find((s) => serviceOf(s) === 'contacts')!)?.name).toBe('gateway.fetch');
    expect(serviceOf(parentOf(servers.find((s) => serviceOf(s) === 'customers')!)!)).toBe('contacts');
    // SQL statements carry their placeholders, never the values.
    for (const span of inTrace.filter((s) => s.name.startsWith('sql '))) expect(String(span.attributes['db.query.text'])).not.toContain('Traced');
  });
});

describe('metrics', () => {
  it('serve Prometheus text with HELP and TYPE, request durations by operation, and subgraph fetches at the gateway', async () => {
    await stack.data(`query Q1Metrics { customers(first: 3) { nodes { id openBalance { amount } } } }`);
    const text = await metrics(stack.gateway.url);
    expect(text).toContain('# HELP c360_graphql_request_duration_seconds');
    expect(text).toContain('# TYPE c360_graphql_request_duration_seconds histogram');
    expect(text).toMatch(/^c360_graphql_request_duration_seconds_count\{service="gateway",operation="Q1Metrics",outcome="ok"\} 1$/m);
    expect(text).toMatch(/^c360_subgraph_fetch_duration_seconds_count\{service="gateway",subgraph="billing",outcome="ok"\} [1-9]/m);
    expect(text).toMatch(/^process_resident_memory_bytes\{service="gateway"\} \d+/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds\{service="gateway"\}/m);
    // The second time the same operation is estimated, the cost comes from the cache.
    const hits = (t: string) => Number(/^c360_cost_estimate_cache_total\{result="hit",service="gateway"\} (\d+)/m.exec(t)?.[1] ?? 0);
    await stack.data(`query Q1Metrics { customers(first: 3) { nodes { id openBalance { amount } } } }`);
    expect(hits(await metrics(stack.gateway.url))).toBe(hits(text) + 1);
  });

  it('count SQL statements, their durations and the pool in each subgraph', async () => {
    const text = await metrics(stack.url('billing'));
    expect(text).toMatch(/^c360_sql_statement_duration_seconds_count\{service="billing",statement="select",outcome="ok"\} [1-9]/m);
    expect(text).toMatch(/^c360_sql_pool_connections\{state="limit",service="billing"\} [1-9]/m);
    expect(text).toMatch(/^c360_graphql_requests_total\{service="billing"\} [1-9]/m);
  });

  it('count refusals by code at the gateway, wherever they are refused', async () => {
    // prom-client puts a metric's own labels before the default label `service`.
    const count = (text: string, code: string) =>
      Number(new RegExp(`^c360_gateway_refusals_total\\{code="${code}",service="gateway"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
    const before = await metrics(stack.gateway.url);
    expect((await stack.post('{ __typename }', undefined, {})).status).toBe(401);
    const deep = `{ customers(first: 1) { nodes { ${'keyAccount { members { '.repeat(8)}id${' } }'.repeat(8)} } } }`;
    expect((await stack.post(deep)).status).toBe(400);
    const after = await metrics(stack.gateway.url);
    expect(count(after, 'UNAUTHENTICATED')).toBe(count(before, 'UNAUTHENTICATED') + 1);
    expect(count(after, 'GRAPHQL_VALIDATION_FAILED')).toBe(count(before, 'GRAPHQL_VALIDATION_FAILED') + 1);
  });
});
