import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import { PRINCIPAL_HEADER } from './auth';
import { LOG_LEVELS } from './config';
import { REQUEST_ID_HEADER, currentRequestId } from './deadline';

export type { Logger } from 'pino';

/** Keys whose values never reach a log line, at any of the first four levels of a logged object. */
const SECRET_KEYS = ['authorization', 'cookie', 'x-api-key', PRINCIPAL_HEADER, 'iban', 'email', 'token', 'password', 'variables', 'apiKey'];

/** pino `redact` paths for SECRET_KEYS; pino's `*` matches one level, so each depth is listed. */
export const REDACT_PATHS = SECRET_KEYS.flatMap((key) => {
  const k = /^[A-Za-z_]\w*$/.test(key) ? `.${key}` : `["${key}"]`;
  return [k.slice(k.startsWith('.') ? 1 : 0), `*${k}`, `*.*${k}`, `*.*.*${k}`];
});

/** A request id a caller may hand us; anything else is replaced by a fresh one. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export interface LoggerSettings {
  /** LOG_LEVEL: trace, debug, info, warn, error, fatal or silent; default info. */
  level?: string;
  /** LOG_FORMAT: auto, json or pretty; default auto: pretty outside production on a terminal (pino-pretty installed), json otherwise. */
  format?: string;
  /** Where lines go; default stdout. Tests pass a stream to read them. */
  destination?: DestinationStream;
}

function wantsPretty(settings: LoggerSettings): boolean {
  const format = settings.format ?? process.env.LOG_FORMAT;
  if (format === 'json' || settings.destination) return false;
  if (format !== 'pretty' && (process.env.NODE_ENV === 'production' || !process.stdout.isTTY)) return false;
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    // A production install has no dev dependencies: JSON it is.
    return false;
  }
}

let root: Logger | undefined;

function build(settings: LoggerSettings): Logger {
  const wanted = settings.level ?? process.env.LOG_LEVEL ?? 'info';
  const options: LoggerOptions = {
    // An unknown LOG_LEVEL is refused by the configuration check (config.ts); until then, info.
    level: LOG_LEVELS.includes(wanted) ? wanted : 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    // The request and trace of whatever is running: SQL errors and peer failures are found by either id.
    mixin() {
      const requestId = currentRequestId();
      const traceId = trace.getActiveSpan()?.spanContext().traceId;
      return { ...(requestId ? { requestId } : {}), ...(traceId ? { traceId } : {}) };
    },
  };
  if (wantsPretty(settings)) return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true } } });
  return settings.destination ? pino(options, settings.destination) : pino(options);
}

/**
 * The service's JSON logger (pino): level, time, service, and in a request
 * the request id and the trace id. Redacts credentials, IBANs, e-mails and
 * GraphQL variables wherever they appear (REDACT_PATHS). Loggers of one
 * process share one root (one pretty-printing worker at most); a logger with
 * its own destination is its own root.
 */
export function createLogger(service: string, settings: LoggerSettings = {}): Logger {
  if (settings.destination) return build(settings).child({ service });
  root ??= build({});
  const logger = root.child({ service });
  if (settings.level) logger.level = settings.level;
  return logger;
}

/** Health checks and scrapes are not requests worth a line each. */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * One line per HTTP request (pino-http): method, path without the query
 * string, status, duration and request id. The id is the caller's
 * x-request-id when it looks like one, else a new UUID, and is sent back in
 * the response, so a client can quote it.
 */
export function httpLogger(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    genReqId(req: IncomingMessage, res: ServerResponse) {
      const given = req.headers[REQUEST_ID_HEADER];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    autoLogging: { ignore: (req) => QUIET_PATHS.has((req.url ?? '').split('?')[0]!) },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, path: String(req.url).split('?')[0] }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    // A thrown error's message may quote input; the line names its class and code only.
    customErrorObject: (_req, _res, error) => ({ err: safeError(error) }),
  });
}

/**
 * What of an error may be logged: its class and code, and its message unless
 * it comes from the database driver, whose messages quote values ("Duplicate
 * entry 'jane@example.com'") and SQL.
 */
export function safeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error).slice(0, 200) };
  const e = error as Error & { code?: unknown; errno?: unknown; sqlState?: unknown; driverError?: unknown; query?: unknown };
  const fromDatabase = e.name === 'QueryFailedError' || e.driverError !== undefined || e.sqlState !== undefined || e.query !== undefined;
  const code = e.code ?? (e.driverError as { code?: unknown } | undefined)?.code;
  return { type: e.name, ...(code !== undefined ? { code } : {}), ...(fromDatabase ? {} : { message: e.message.slice(0, 500) }) };
}
