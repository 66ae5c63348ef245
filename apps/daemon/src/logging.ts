import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import { scrubSecrets, type AltoClientOptions, type LogLevel } from '@alto/orchestrator';

/** The Logger interface every Alto package accepts (mixer-core's, via the orchestrator options). */
export type DaemonLogger = NonNullable<AltoClientOptions['logger']>;

const REDACTED = '[redacted]';

/** The daemon's root logger plus the secret registry its scrubber uses. */
export interface DaemonLogging {
  readonly logger: DaemonLogger;
  readonly pino: PinoLogger;
  /** Adds a value (API token, LiveKit secret) that must never appear in a log line. */
  addSecret(secret: string | undefined): void;
  setLevel(level: LogLevel): void;
}

/**
 * Creates pino writing structured JSON to stderr (or `destination`) and adapts it to the package
 * `Logger` interface. Messages and fields go through the orchestrator's `scrubSecrets` with the
 * registered secrets (errors from deep in the SDK can carry URLs with tokens); pino's path-based
 * redaction stays for lines written on the raw pino logger.
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
    data === undefined ? {} : (scrubSecrets(data, secrets) as Record<string, unknown>);
  const logger: DaemonLogger = {
    debug: (msg, data) => root.debug(fields(data), scrubSecrets(msg, secrets) as string),
    info: (msg, data) => root.info(fields(data), scrubSecrets(msg, secrets) as string),
    warn: (msg, data) => root.warn(fields(data), scrubSecrets(msg, secrets) as string),
    error: (msg, data) => root.error(fields(data), scrubSecrets(msg, secrets) as string),
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
