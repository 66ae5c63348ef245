/** Codes of the errors the daemon itself raises. */
export type DaemonErrorCode = 'config' | 'token_file' | 'listen';

/**
 * Base class of every error `altod` raises itself. Orchestrator errors keep their own classes;
 * the daemon wraps them only where it adds context.
 */
export class DaemonError extends Error {
  /** A stable, machine-readable code. */
  readonly code: DaemonErrorCode;

  constructor(code: DaemonErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DaemonError';
    this.code = code;
  }
}

/**
 * The configuration (flags, env or config file) is wrong. `altod` prints the one-line message and
 * exits with status 2; the message says what is wrong and what to do.
 */
export class ConfigError extends DaemonError {
  declare readonly code: 'config';

  constructor(message: string, options?: { cause?: unknown }) {
    super('config', message, options);
    this.name = 'ConfigError';
  }
}

/** The API token file could not be read, created or has unsafe permissions. Exit status 2. */
export class TokenFileError extends DaemonError {
  declare readonly code: 'token_file';

  constructor(message: string, options?: { cause?: unknown }) {
    super('token_file', message, options);
    this.name = 'TokenFileError';
  }
}

/** The control API could not bind its address or socket. Exit status 1. */
export class ListenError extends DaemonError {
  declare readonly code: 'listen';

  constructor(message: string, options?: { cause?: unknown }) {
    super('listen', message, options);
    this.name = 'ListenError';
  }
}

/**
 * An error answered to an HTTP client: status code, stable `code` and a message that says what
 * was wrong and what to send instead. Serialised as `{ error: { code, message } }`.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}
