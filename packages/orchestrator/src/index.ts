export { AltoClient, type AudioTapSource } from './alto-client.js';
export type {
  AltoClientApi,
  AltoClientOptions,
  AltoEvent,
  AltoMetrics,
  ConnectionState,
  InputSpec,
  OutputSpec,
  ParticipantView,
  RecordingFileOptions,
} from './client-types.js';
export type {
  AudioFormat,
  ComponentFactory,
  InputComponent,
  NetworkComponent,
  NetworkEvent,
  NetworkSettings,
  OutputComponent,
  OutputOptions,
  RemoteParticipantInfo,
} from './components.js';
export { OrchestratorError } from './errors.js';
export type { ConnectionPhase, ConnectionStatus } from './connection-status.js';
export type { ConnectFailure, ConnectFailureReason } from '@alto/livekit-net';
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
export { hasUnsafeCharacters, sanitizeLabelValue, sanitizeText, stringifyJsonSafe } from '@alto/livekit-net';
export * from './settings/index.js';
