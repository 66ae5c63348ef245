/**
 * The logging surface every Alto package accepts. Only apps create a real logger (pino);
 * packages default to {@link noopLogger}. Messages are static; data goes in `fields`.
 * Never put secrets or tokens in either.
 */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A logger that discards everything. */
export const noopLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
