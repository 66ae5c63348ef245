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
export { MAX_E2EE_KEY_FILE_BYTES, MIN_E2EE_KEY_BYTES, readE2eeKeyFile, type ReadE2eeKeyFileOptions } from './e2ee-key-file.js';
export type { E2eeState, E2eeStateEvent, E2eeStatus } from './e2ee-status.js';
export { describeConnectFailure, serverUrlProblem, SERVER_URL_HINT, type ConnectFailure, type ConnectFailureReason } from './connect-errors.js';
export { configureSdkLogging, shutdownLiveKit, type SdkLogLevel } from './sdk-runtime.js';
export { AudioProcessor, type AudioProcessorOptions } from './audio-processor.js';
export {
  AGENT_NAME_ATTRIBUTE,
  AGENT_STATE_ATTRIBUTE,
  CHAT_TOPIC,
  type AgentInfo,
  type AgentStateEvent,
  type ChatMessageEvent,
  type TurnRpcMethod,
  type TurnRpcResult,
} from './agents.js';
export type { TextChunkReader, TextStreamDropReason, TextStreamLimits } from './text-streams.js';
export {
  AudioProcessingError,
  ConnectFailedError,
  ConnectTimeoutError,
  E2eeKeyFileError,
  InvalidOptionsError,
  InvalidUrlError,
  LiveKitNetError,
  MuteError,
  NotConnectedError,
  PublishError,
  ServerUnreachableError,
  TokenRejectedError,
  WrongSecretError,
  type E2eeKeyFileProblem,
  type LiveKitNetErrorCode,
} from './errors.js';
export { hasUnsafeCharacters, sanitizeLabelValue, sanitizeText, stringifyJsonSafe } from './untrusted-text.js';
export { scrubSecrets } from './secret-scrubber.js';
