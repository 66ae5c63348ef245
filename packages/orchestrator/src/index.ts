export { AltoClient } from './alto-client.js';
export type {
  AltoClientApi,
  AltoClientEvents,
  AltoClientOptions,
  AltoEvent,
  AltoMetrics,
  AudioTapSource,
  ConnectionState,
  Listenable,
  InputSpec,
  OutputSpec,
  ParticipantView,
  RecordingFileOptions,
} from './client-types.js';
export type {
  AudioFormat,
  ComponentFactory,
  DeviceComponentEvents,
  DeviceRecovery,
  InputComponent,
  InputComponentEvents,
  NetworkComponent,
  NetworkComponentEvents,
  NetworkEvent,
  NetworkSettings,
  OutputComponent,
  OutputOptions,
  RemoteParticipantInfo,
} from './components.js';
export { OrchestratorError } from './errors.js';
export {
  MAX_REMEMBERED_PARTICIPANTS,
  ParticipantPreferences,
  type ParticipantPreference,
} from './participant-preferences.js';
export type { ConnectionPhase, ConnectionStatus } from './connection-status.js';
export type { ConnectFailure, ConnectFailureReason } from '@alto/livekit-net';
export { backoffDelayMs, type BackoffOptions } from '@alto/livekit-net';
export { DEFAULT_TOKEN_TTL_SECONDS, mintToken, serverUrlProblem, SERVER_URL_HINT, type MintTokenOptions } from '@alto/livekit-net';
export {
  DEFAULT_JITTER_BUFFER_MS,
  formatInputSource,
  formatOutputSink,
  inputSpecSchema,
  outputSpecSchema,
  parseInputSpec,
  parseOutputSpec,
  type InputSource,
  type OutputSink,
  type SpecParseOptions,
} from '@alto/device-io';
export type { VoiceOptions } from './voice-processing.js';
export type { RawTranscription } from './conversation.js';
export { DEFAULT_AGENT_JOIN_TIMEOUT_MS } from './conversation-controller.js';
export type { AgentView, ConversationMetrics, ConversationSegment, LatencySummary, Speaker, TurnLatency } from './conversation-types.js';
export {
  createDefaultComponents,
  shutdownNetworkRuntime,
  type DefaultComponentsOptions,
} from './real-components.js';
export {
  DeviceNotFoundError,
  FilePolicyError,
  checkWritePath,
  confineInputSpec,
  confineOutputSpec,
  defaultRecordingsDirectory,
  listDevices,
  type AudioDevice,
  type FilePolicy,
} from '@alto/device-io';
export { MAX_VOLUME, MIN_VOLUME } from '@alto/mixer-core';
export { hasUnsafeCharacters, sanitizeLabelValue, sanitizeText, scrubSecrets, stringifyJsonSafe } from '@alto/livekit-net';
export {
  E2eeKeyFileError,
  MIN_E2EE_KEY_BYTES,
  readE2eeKeyFile,
  type E2eeKeyFileProblem,
  type E2eeState,
  type E2eeStatus,
  type ReadE2eeKeyFileOptions,
} from '@alto/livekit-net';
export * from './settings/index.js';
