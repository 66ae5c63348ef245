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
  RemoteParticipantInfo,
} from './components.js';
export { OrchestratorError } from './errors.js';
export { TeeMixer } from './tee-mixer.js';
export {
  createDefaultComponents,
  shutdownNetworkRuntime,
  type DefaultComponentsOptions,
} from './real-components.js';
export {
  DeviceNotFoundError,
  listDevices,
  type AudioDevice,
} from '@alto/device-io';
