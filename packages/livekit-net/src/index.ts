/** Public API of @alto/livekit-net: the LiveKit room for Alto. */
export { LiveKitSession } from './session.js';
export type {
  ConnectTarget,
  CredentialsTarget,
  DataMessageEvent,
  DisconnectedEvent,
  LiveKitSessionEvents,
  LiveKitSessionOptions,
  ParticipantInfo,
  QualityLevel,
  ReconnectOptions,
  SessionMetrics,
  SessionState,
  TokenTarget,
  TrackMuteEvent,
  TranscriptionEvent,
} from './session-types.js';
export { DEFAULT_SOURCE_QUEUE_MS, type MicrophoneMetrics, type MicrophoneOptions } from './microphone.js';
export type { ParticipantAudioMetrics, RemoteAudioStreamInfo } from './remote-audio.js';
export { DEFAULT_TOKEN_TTL_SECONDS, mintToken, type MintTokenOptions } from './token.js';
export { backoffDelayMs, type BackoffOptions } from './backoff.js';
export { configureSdkLogging, shutdownLiveKit, type SdkLogLevel } from './sdk-runtime.js';
export { AudioProcessor, type AudioProcessorOptions } from './audio-processor.js';
export { TRANSCRIPTION_TOPIC } from './room-events.js';
export { TextStreamGuard, type TextChunkReader, type TextStreamDropReason, type TextStreamLimits } from './text-streams.js';
export { TypedEmitter } from './typed-emitter.js';
export {
  AudioProcessingError,
  ConnectFailedError,
  ConnectTimeoutError,
  InvalidOptionsError,
  InvalidUrlError,
  LiveKitNetError,
  MuteError,
  NotConnectedError,
  PublishError,
  ServerUnreachableError,
  TokenRejectedError,
  WrongSecretError,
  type LiveKitNetErrorCode,
} from './errors.js';
export { hasUnsafeCharacters, sanitizeFileName, sanitizeLabelValue, sanitizeText, stringifyJsonSafe } from './untrusted-text.js';
