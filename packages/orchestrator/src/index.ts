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
export { Conversation, percentile, type RawTranscription } from './conversation.js';
export { ConversationController, DEFAULT_AGENT_JOIN_TIMEOUT_MS, END_TURN_TRANSCRIPT_WAIT_MS } from './conversation-controller.js';
export type { AgentView, ConversationMetrics, ConversationSegment, LatencySummary, Speaker, TurnLatency } from './conversation-types.js';
export { VoiceProcessing, voiceProcessingEnabled, type VoiceOptions } from './voice-processing.js';
export { FarEndAccumulator } from './voice-far-end.js';
export { instantiatePlugin, loadPluginModule } from './voice-plugins.js';
export { TeeMixer } from './tee-mixer.js';
export {
  createDefaultComponents,
  DEFAULT_JITTER_BUFFER_MS,
  shutdownNetworkRuntime,
  type DefaultComponentsOptions,
} from './real-components.js';
export {
  DeviceNotFoundError,
  listDevices,
  type AudioDevice,
} from '@alto/device-io';
