export type {
  LevelReading,
  MixerMetrics,
  MixerSink,
  StreamMetrics,
  StreamOptions,
} from './mixer-types.js';
export { noopLogger, type Logger } from './logger.js';
