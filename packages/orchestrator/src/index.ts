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
  FilePolicyError,
  checkWritePath,
  confineInputSpec,
  confineOutputSpec,
  defaultRecordingsDirectory,
  listDevices,
  type AudioDevice,
  type FilePolicy,
} from '@alto/device-io';
export { hasUnsafeCharacters, sanitizeFileName, sanitizeLabelValue, sanitizeText, stringifyJsonSafe } from '@alto/livekit-net';
