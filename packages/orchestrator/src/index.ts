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
