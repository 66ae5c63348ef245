/** Every error code @alto/livekit-net throws. */
export type LiveKitNetErrorCode =
  | 'INVALID_URL'
  | 'INVALID_OPTIONS'
  | 'SERVER_UNREACHABLE'
  | 'CONNECT_TIMEOUT'
  | 'TOKEN_REJECTED'
  | 'WRONG_SECRET'
  | 'CONNECT_FAILED'
  | 'NOT_CONNECTED'
  | 'PUBLISH_FAILED'
  | 'MUTE_FAILED'
  | 'AUDIO_PROCESSING_FAILED'
  | 'E2EE_KEY_FILE';

/** Base class of every error this package throws; switch on `code`. */
export abstract class LiveKitNetError extends Error {
  abstract readonly code: LiveKitNetErrorCode;
}

/** The server URL could not be parsed or has a scheme other than ws/wss/http/https. */
export class InvalidUrlError extends LiveKitNetError {
  readonly code = 'INVALID_URL' as const;
  override readonly name = 'InvalidUrlError';
  constructor(url: string, options?: ErrorOptions) {
    super(
      `"${url}" is not a LiveKit server URL: use ws://host:port or wss://host (for example ws://127.0.0.1:7880)`,
      options,
    );
  }
}

/** Options given to the session or to `mintToken` are incomplete or contradictory. */
export class InvalidOptionsError extends LiveKitNetError {
  readonly code = 'INVALID_OPTIONS' as const;
  override readonly name = 'InvalidOptionsError';
}

/** Nothing answered at the server address (refused, DNS failure, network down). */
export class ServerUnreachableError extends LiveKitNetError {
  readonly code = 'SERVER_UNREACHABLE' as const;
  override readonly name = 'ServerUnreachableError';
  constructor(url: string, options?: ErrorOptions) {
    super(
      `Could not reach the LiveKit server at ${url}: check that it is running and that the address and port are right`,
      options,
    );
  }
}

/** The connection did not complete in time (server frozen, packets dropped, firewall). */
export class ConnectTimeoutError extends LiveKitNetError {
  readonly code = 'CONNECT_TIMEOUT' as const;
  override readonly name = 'ConnectTimeoutError';
  constructor(url: string, timeoutMs: number, options?: ErrorOptions) {
    super(
      `The LiveKit server at ${url} did not complete the connection within ${timeoutMs} ms: check the address, the network and that the server is healthy`,
      options,
    );
  }
}

/** The server refused the token: expired, malformed, or missing the room grant. */
export class TokenRejectedError extends LiveKitNetError {
  readonly code = 'TOKEN_REJECTED' as const;
  override readonly name = 'TokenRejectedError';
  constructor(detail: string, options?: ErrorOptions) {
    super(
      `The LiveKit server rejected the access token (${detail}): mint a fresh token with a roomJoin grant for this room`,
      options,
    );
  }
}

/** The token was signed with a secret (or API key) the server does not know. */
export class WrongSecretError extends LiveKitNetError {
  readonly code = 'WRONG_SECRET' as const;
  override readonly name = 'WrongSecretError';
  constructor(detail: string, options?: ErrorOptions) {
    super(
      `The LiveKit server does not accept the token's signature (${detail}): check the API key and secret match the server's keys`,
      options,
    );
  }
}

/** Any other connection failure; the cause carries the SDK's (token-redacted) message. */
export class ConnectFailedError extends LiveKitNetError {
  readonly code = 'CONNECT_FAILED' as const;
  override readonly name = 'ConnectFailedError';
}

/** An operation needs a connected room and there is none (never connected, or reconnecting). */
export class NotConnectedError extends LiveKitNetError {
  readonly code = 'NOT_CONNECTED' as const;
  override readonly name = 'NotConnectedError';
  constructor(what: string) {
    super(`Cannot ${what}: the session is not connected to a room; call connect() first`);
  }
}

/** Publishing the microphone track failed. */
export class PublishError extends LiveKitNetError {
  readonly code = 'PUBLISH_FAILED' as const;
  override readonly name = 'PublishError';
}

/** The native mute/unmute request failed. */
export class MuteError extends LiveKitNetError {
  readonly code = 'MUTE_FAILED' as const;
  override readonly name = 'MuteError';
}

/** The native audio processing module could not be created or rejected a frame or setting. */
export class AudioProcessingError extends LiveKitNetError {
  readonly code = 'AUDIO_PROCESSING_FAILED' as const;
  override readonly name = 'AudioProcessingError';
}

/** Why an end-to-end encryption key file was refused. */
export type E2eeKeyFileProblem = 'missing' | 'unreadable' | 'not-a-file' | 'too-large' | 'not-text' | 'empty' | 'too-short' | 'unprotected';

/** An end-to-end encryption key file could not be used; the message says why and what to do. */
export class E2eeKeyFileError extends LiveKitNetError {
  readonly code = 'E2EE_KEY_FILE' as const;
  override readonly name = 'E2eeKeyFileError';
  constructor(
    readonly problem: E2eeKeyFileProblem,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
