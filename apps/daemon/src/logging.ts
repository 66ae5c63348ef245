import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import { sanitizeText, type AltoClientOptions } from '@alto/orchestrator';
import type { LogLevel } from '@alto/orchestrator';

/** The Logger interface every Alto package accepts (mixer-core's, via the orchestrator options). */
export type DaemonLogger = NonNullable<AltoClientOptions['logger']>;

/** Keys whose values are never logged, at any depth. */
const SECRET_KEY = /token|secret|apikey|api_key|authorization|password|e2ee|cookie/i;
const JWT = /eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]{5,}/g;
const QUERY_TOKEN = /(access_token=)[^&\s"']+/gi;
const REDACTED = '[redacted]';

/**
 * Removes credentials from a log value: values under secret-looking keys, JWTs, `access_token`
 * query parameters and any literal occurrence of a known secret. Belt and braces on top of
 * pino's path-based redaction, because errors from deep in the SDK can carry URLs with tokens.
 */
export function scrub(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') {
    let text = value.replace(JWT, REDACTED).replace(QUERY_TOKEN, `$1${REDACTED}`);
    for (const secret of secrets) if (secret.length >= 6) text = text.split(secret).join(REDACTED);
    // Strings may come from room peers: no C1 control or bidi override reaches a terminal reading the log.
    return sanitizeText(text);
  }
  if (value instanceof Error) {
    return { type: value.name, message: scrub(value.message, secrets, depth + 1), code: (value as { code?: unknown }).code };
  }
  if (typeof value !== 'object' || value === null || depth > 4) return value;
  if (Array.isArray(value)) return value.map((item) => scrub(item, secrets, depth + 1));
  if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? REDACTED : scrub(item, secrets, depth + 1);
  }
  return out;
}

/** The daemon's root logger plus the secret registry its scrubber uses. */
export interface DaemonLogging {
  readonly logger: DaemonLogger;
  readonly pino: PinoLogger;
  /** Adds a value (API token, LiveKit secret) that must never appear in a log line. */
  addSecret(secret: string | undefined): void;
  setLevel(level: LogLevel): void;
}

/**
 * Creates pino writing structured JSON to stderr (or `destination`), with redaction of
 * credential fields, and adapts it to the package `Logger` interface.
 */
export function createLogging(options: { level: LogLevel; destination?: DestinationStream }): DaemonLogging {
  const secrets: string[] = [];
  const root = pino(
    {
      level: options.level,
      base: { app: 'altod' },
      redact: {
        paths: [
          'token',
          'apiKey',
          'apiSecret',
          'authorization',
          '*.token',
          '*.apiKey',
          '*.apiSecret',
          '*.authorization',
          'req.headers.authorization',
          'headers.authorization',
        ],
        censor: REDACTED,
      },
    },
    options.destination ?? pino.destination({ fd: 2, sync: true }),
  );
  const fields = (data?: Record<string, unknown>): Record<string, unknown> =>
    data === undefined ? {} : (scrub(data, secrets) as Record<string, unknown>);
  const logger: DaemonLogger = {
    debug: (msg, data) => root.debug(fields(data), scrub(msg, secrets) as string),
    info: (msg, data) => root.info(fields(data), scrub(msg, secrets) as string),
    warn: (msg, data) => root.warn(fields(data), scrub(msg, secrets) as string),
    error: (msg, data) => root.error(fields(data), scrub(msg, secrets) as string),
  };
  return {
    logger,
    pino: root,
    addSecret: (secret) => {
      if (secret !== undefined && secret !== '' && !secrets.includes(secret)) secrets.push(secret);
    },
    setLevel: (level) => {
      root.level = level;
    },
  };
}
