export { AltoClient } from './alto-client.js';
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
