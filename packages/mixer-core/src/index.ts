export type {
  LevelReading,
  MixerMetrics,
  MixerSink,
  StreamMetrics,
  StreamOptions,
} from './mixer-types.js';
