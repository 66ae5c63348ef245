/** Public API of @alto/device-io. */
export { AudioInput, openAudioInput, type AudioInputMetrics, type AudioInputOptions } from './audio-input.js';
export { AudioOutput, openAudioOutput, type AudioOutputMetrics, type AudioOutputOptions } from './audio-output.js';
export { listDevices, type ListDevicesOptions } from './list-devices.js';
export type { HandlerMetrics, HandlerOptions } from './handler.js';
export type { AudioDevice, DeviceCounters } from './protocol.js';
export type { DeviceSpec, InputSource, OutputSink } from './spec.js';
export {
  AudioHostError,
  DeviceIoError,
  DeviceNotFoundError,
  DeviceOpenError,
  DeviceStalledError,
  InvalidDeviceSpecError,
  WavFormatError,
  type DeviceIoErrorCode,
  type DeviceSummary,
} from './errors.js';
export { encodeWav, parseWav, type WavData } from './wav.js';
