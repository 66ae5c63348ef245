/** Codes of the errors the CLI itself raises. */
export type CliErrorCode = 'usage' | 'not_wired';

/**
 * Base class of every error the `alto` CLI raises itself. Packages raise their own errors (with
 * their own string `code`); {@link toExit} maps both kinds to an exit code and one stderr line.
 */
export class CliError extends Error {
  /** A stable, machine-readable code. */
  readonly code: CliErrorCode;

  constructor(code: CliErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
    this.code = code;
  }
}

/**
 * The user invoked `alto` wrongly: an unknown flag, a bad value, a missing credential, an
 * unreadable file. Exits with status 2. The message is one line that says what is wrong and what
 * to do about it.
 */
export class UsageError extends CliError {
  declare readonly code: 'usage';

  constructor(message: string, options?: { cause?: unknown }) {
    super('usage', message, options);
    this.name = 'UsageError';
  }
}

/**
 * No LiveKit server URL anywhere (flags, environment, `.env`). A {@link UsageError}; `alto` run
 * with no arguments at all answers it with a few lines on how to point it at a server.
 */
export class NoServerError extends UsageError {
  constructor() {
    super('no server URL; pass --url ws://host:7880 or set LIVEKIT_URL');
    this.name = 'NoServerError';
  }
}
