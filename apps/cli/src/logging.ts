import type { Logger } from '@alto/mixer-core';
import { scrubSecrets } from '@alto/orchestrator';
import { destination as pinoDestination, pino, type DestinationStream, type Level } from 'pino';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Debug level when true, info otherwise. */
  readonly verbose: boolean;
  /** Where JSON lines go; stderr (fd 2) by default, so stdout stays for real output. */
  readonly destination?: DestinationStream;
  /** Overrides the level derived from `verbose` (e.g. 'warn' while the TUI owns the terminal). */
  readonly level?: Level | 'silent';
  /** Values known to be secret (the token, the API secret), removed wherever they appear. */
  readonly secrets?: readonly string[];
}

/**
 * Creates the app's pino logger, adapted to the `Logger` interface packages accept (message
 * first, fields second; pino wants them the other way round). Messages and fields go through
 * the orchestrator's `scrubSecrets`: no credential reaches the log, at any depth.
 */
export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? pinoDestination({ fd: 2, sync: true });
  const secrets = options.secrets ?? [];
  const base = pino(
    { level: options.level ?? (options.verbose ? 'debug' : 'info'), base: { app: 'alto' } },
    destination,
  );
  const emit = (level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void => {
    if (!base.isLevelEnabled(level)) return;
    const text = scrubSecrets(message, secrets) as string;
    if (fields === undefined) base[level](text);
    else base[level](scrubSecrets(fields, secrets) as Record<string, unknown>, text);
  };
  return {
    debug: (message, fields) => emit('debug', message, fields),
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
  };
}
