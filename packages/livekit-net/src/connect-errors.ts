import {
  ConnectFailedError,
  InvalidUrlError,
  LiveKitNetError,
  ServerUnreachableError,
  TokenRejectedError,
  WrongSecretError,
} from './errors.js';

const JWT = /eyJ[\w-]*\.[\w-]+\.[\w-]*/g;

/** Removes anything that looks like a JWT: the SDK echoes rejected tokens in its messages. */
export function redactTokens(text: string): string {
  return text.replace(JWT, '<token>');
}

/** What a server URL must look like, for the end of a message about a bad one. */
export const SERVER_URL_HINT = 'use ws://, wss://, http:// or https:// with a host, e.g. ws://localhost:7880';

/**
 * What is wrong with a LiveKit server URL, or undefined when it is usable: the one check every
 * Alto app and the client run.
 * @returns e.g. `is not a URL`, `has scheme ftp:`, `has no host`
 */
export function serverUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (!['ws:', 'wss:', 'http:', 'https:'].includes(parsed.protocol)) return `has scheme ${parsed.protocol.slice(0, 20)}`;
  if (!parsed.hostname) return 'has no host';
  return undefined;
}

/**
 * Checks a server URL before handing it to the SDK, so a typo fails fast with a clear error.
 * Returns the URL unchanged.
 */
export function validateServerUrl(url: string): string {
  if (serverUrlProblem(url) !== undefined) throw new InvalidUrlError(url);
  return url;
}

/**
 * Maps an error thrown by `Room.connect` (the FFI reports everything as a plain message) to a
 * typed error. The original error is kept as `cause` with tokens redacted.
 */
export function classifyConnectError(error: unknown, url: string): LiveKitNetError {
  if (error instanceof LiveKitNetError) return error;
  const raw = error instanceof Error ? error.message : String(error);
  const message = redactTokens(raw);
  const cause = new Error(message);
  const lower = message.toLowerCase();
  if (lower.includes('parse the url') || lower.includes('invalid url') || lower.includes('url scheme')) {
    return new InvalidUrlError(url, { cause });
  }
  if (lower.includes('401') || lower.includes('unauthorized') || lower.includes('invalid token') || lower.includes('permission')) {
    if (lower.includes('signature is invalid') || lower.includes('invalid api key')) {
      const detail = lower.includes('invalid api key') ? 'unknown API key' : 'bad signature';
      return new WrongSecretError(detail, { cause });
    }
    const detail = lower.includes('expired')
      ? 'expired'
      : lower.includes('invalid authorization token')
        ? 'malformed'
        : 'not authorized';
    return new TokenRejectedError(detail, { cause });
  }
  if (
    lower.includes('connection refused') ||
    lower.includes('transport connection error') ||
    lower.includes('io error') ||
    lower.includes('dns') ||
    lower.includes('failed to lookup') ||
    lower.includes('no route') ||
    lower.includes('network is unreachable')
  ) {
    return new ServerUnreachableError(url, { cause });
  }
  return new ConnectFailedError(`Could not join the room at ${url}: ${message}`, { cause });
}

/**
 * Why a connect or rejoin failed, in the words a UI shows: `unreachable` (nothing answers),
 * `wrong key` (the server does not know the API key or secret), `token expired`, `token rejected`
 * (malformed or without the grant), `server full` (the room is at its participant limit),
 * `timed out`, `bad url`, or `failed` (anything else).
 */
export type ConnectFailureReason =
  | 'unreachable'
  | 'wrong key'
  | 'token expired'
  | 'token rejected'
  | 'server full'
  | 'timed out'
  | 'bad url'
  | 'failed';

/** One failed connect or rejoin attempt: the reason in words and the error's own message. */
export interface ConnectFailure {
  readonly reason: ConnectFailureReason;
  readonly message: string;
}

/** Describes any error a connect attempt threw (typed or not) as a {@link ConnectFailure}. */
export function describeConnectFailure(error: unknown): ConnectFailure {
  const message = redactTokens(error instanceof Error ? error.message : String(error));
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message.toLowerCase() : '';
  const lower = `${message.toLowerCase()} ${cause}`;
  if (lower.includes('max participants') || lower.includes('room is full')) return { reason: 'server full', message };
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'SERVER_UNREACHABLE':
      return { reason: 'unreachable', message };
    case 'WRONG_SECRET':
      return { reason: 'wrong key', message };
    case 'TOKEN_REJECTED':
      return { reason: lower.includes('expired') ? 'token expired' : 'token rejected', message };
    case 'CONNECT_TIMEOUT':
      return { reason: 'timed out', message };
    case 'INVALID_URL':
      return { reason: 'bad url', message };
    default:
      return { reason: 'failed', message };
  }
}
