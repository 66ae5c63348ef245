export type {
  LevelReading,
  MixerMetrics,
  MixerSink,
  StreamMetrics,
  StreamOptions,
} from './mixer-types.js';
export { noopLogger, type Logger } from './logger.js';
export { AudioMixer, MAX_VOLUME, MIN_VOLUME, type AudioMixerOptions, type MixMode } from './audio-mixer.js';
export type { AdaptiveLatencyOptions } from './adaptive-latency.js';
export { LevelMeter, type SpeakingOptions } from './level-meter.js';
export {
  SpscRing,
  type RingFormat,
  type RingSamples,
  type SpscRingOptions,
} from './spsc-ring.js';
export {
  deinterleave,
  float32ToInt16,
  floatSampleToInt16,
  fromDbfs,
  int16ToFloat32,
  interleave,
  toDbfs,
} from './convert.js';
export {
  Biquad,
  type BiquadCoefficients,
  type BiquadType,
} from './dsp/biquad.js';
export { RadioFilter, type RadioFilterOptions } from './dsp/radio-filter.js';
export {
  ProcessorChain,
  isAudioProcessorPlugin,
  type AudioProcessorContext,
  type AudioProcessorPlugin,
  type AudioProcessorPluginFactory,
} from './dsp/processor.js';
export {
  InvalidOptionError,
  InvalidRingLayoutError,
  InvalidSamplesError,
  InvalidVolumeError,
  MixerError,
  type MixerErrorCode,
} from './errors.js';
