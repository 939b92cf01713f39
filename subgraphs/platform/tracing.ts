import type { RequestHandler } from 'express';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace, type Span } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { currentRequestId } from './deadline';

/** Spans of our own code carry the service that made them (tests run several services in one process). */
export const SERVICE_ATTRIBUTE = 'c360.service';
/** The request id (x-request-id) on each server span: logs and traces meet on it. */
export const REQUEST_ID_ATTRIBUTE = 'c360.request_id';
const TRACER = 'customer360';

let provider: NodeTracerProvider | undefined;

/** Whether a tracer provider is registered: without one every span call below is skipped. */
export function tracingEnabled(): boolean {
  return provider !== undefined;
}

export interface TracingOptions {
  /** service.name of the process's resource. */
  service: string;
  /** Where spans go. Default: OTLP over HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set; else tracing stays off. */
  exporter?: SpanExporter;
  /** Export each span as it ends (tests) instead of in batches; default false. */
  immediate?: boolean;
}

/**
 * Turns OpenTelemetry tracing on for this process: a tracer provider with
 * W3C trace context propagation and async-context tracking, exporting over
 * OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT (the exporter reads the standard
 * OTEL_* variables). Without that variable, and without an exporter passed,
 * it does nothing, and tracing costs nothing. @apollo/gateway's own spans
 * (gateway.request, gateway.plan, gateway.fetch, …) join automatically.
 */
export async function startTracing(options: TracingOptions): Promise<boolean> {
  if (provider) return true;
  let exporter = options.exporter;
  if (!exporter) {
    if (!process.env.OTEL_EXPORTER_OTLP_ENDPOINT) return false;
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    exporter = new OTLPTraceExporter();
  }
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.service }),
    spanProcessors: [options.immediate ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter)],
  });
  provider.register();
  return true;
}

/** Exports what is pending and turns tracing off (shutdown, tests). */
export async function stopTracing(): Promise<void> {
  const current = provider;
  provider = undefined;
  if (!current) return;
  await current.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
}

/**
 * Express middleware: the server span of a request, a child of the caller's
 * span when its `traceparent` header carries one, active for everything the
 * request runs. Placed after the body is read (stream events would not carry
 * the context on).
 */
export function serverSpan(service: string): RequestHandler {
  return (req, res, next) => {
    if (!provider) return next();
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = trace.getTracer(TRACER).startSpan(
      `${req.method} ${req.baseUrl || req.path}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          [SERVICE_ATTRIBUTE]: service,
          [REQUEST_ID_ATTRIBUTE]: currentRequestId() ?? '',
          'http.request.method': req.method,
          'url.path': req.baseUrl || req.path,
        },
      },
      parent,
    );
    res.once('finish', () => {
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}

/** A client span for one SQL statement, or undefined with tracing off. The text is the statement with its placeholders, never values. */
export function sqlSpan(service: string, statement: string): Span | undefined {
  if (!provider) return undefined;
  return trace.getTracer(TRACER).startSpan(`sql ${statementKind(statement)}`, {
    kind: SpanKind.CLIENT,
    attributes: { [SERVICE_ATTRIBUTE]: service, 'db.system.name': 'mysql', 'db.query.text': statement.slice(0, 300) },
  });
}

/** select, insert, update, delete or other: the first keyword, after MariaDB's SET STATEMENT … FOR prefix. */
export function statementKind(sql: string): string {
  const keyword = /^\s*(?:SET STATEMENT .*? FOR\s+)?(\w+)/i.exec(sql)?.[1]?.toLowerCase() ?? 'other';
  return ['select', 'insert', 'update', 'delete', 'with', 'replace'].includes(keyword) ? (keyword === 'with' ? 'select' : keyword) : 'other';
}
