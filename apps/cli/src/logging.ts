import type { Logger } from '@alto/mixer-core';
import { sanitizeText } from '@alto/orchestrator';
import { destination as pinoDestination, pino, type DestinationStream, type Level } from 'pino';

const SECRET_KEY = /^(key|authorization)$|(token|secret)$/i;
const MAX_DEPTH = 6;

/**
 * Returns a copy of `value` with every field whose name looks secret (token, apiSecret, secret,
 * key, authorization, and anything ending in token/secret) replaced by `[redacted]`, at any
 * depth. Cycles and very deep objects are cut rather than followed.
 */
export function redact(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  // Strings may come from room peers: no C1 control or bidi override reaches a terminal reading the log.
  if (typeof value === 'string') return sanitizeText(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value) || depth >= MAX_DEPTH) return '[…]';
  seen.add(value);
  if (value instanceof Error) return { name: value.name, message: value.message, code: (value as { code?: unknown }).code };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1, seen));
  if (ArrayBuffer.isView(value)) return `[${value.constructor.name} ${value.byteLength} bytes]`;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1, seen);
  }
  return out;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Debug level when true, info otherwise. */
  readonly verbose: boolean;
  /** Where JSON lines go; stderr (fd 2) by default, so stdout stays for real output. */
  readonly destination?: DestinationStream;
  /** Overrides the level derived from `verbose` (e.g. 'warn' while the TUI owns the terminal). */
  readonly level?: Level | 'silent';
}

/**
 * Creates the app's pino logger, adapted to the `Logger` interface packages accept (message
 * first, fields second; pino wants them the other way round). Fields are redacted at any depth.
 */
export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? pinoDestination({ fd: 2, sync: true });
  const base = pino(
    { level: options.level ?? (options.verbose ? 'debug' : 'info'), base: { app: 'alto' } },
    destination,
  );
  const emit = (level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void => {
    if (!base.isLevelEnabled(level)) return;
    if (fields === undefined) base[level](message);
    else base[level](redact(fields) as Record<string, unknown>, message);
  };
  return {
    debug: (message, fields) => emit('debug', message, fields),
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
  };
}
