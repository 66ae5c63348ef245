/** Public API of @alto/device-io. */
export { AudioInput, openAudioInput, type AudioInputEvents, type AudioInputMetrics, type AudioInputOptions } from './audio-input.js';
export { AudioOutput, DEFAULT_JITTER_BUFFER_MS, openAudioOutput, type AudioOutputMetrics, type AudioOutputOptions } from './audio-output.js';
export { listDevices, type ListDevicesOptions } from './list-devices.js';
export type { HandlerEvents, HandlerMetrics, HandlerOptions } from './handler.js';
export type { AudioDevice, DeviceCounters } from './protocol.js';
export type { DeviceSpec, InputSource, OutputSink, SpecParseOptions } from './spec.js';
export { formatInputSource, formatOutputSink, inputSpecSchema, outputSpecSchema, parseInputSpec, parseOutputSpec } from './spec.js';
export {
  AudioHostError,
  DeviceIoError,
  DeviceNotFoundError,
  DeviceOpenError,
  DeviceStalledError,
  FilePolicyError,
  type FilePolicyReason,
  InvalidDeviceSpecError,
  WavFormatError,
  type DeviceIoErrorCode,
  type DeviceSummary,
} from './errors.js';
export { DEFAULT_RECORDING_MODE, WavFileWriter, encodeWav, parseWav, type WavData, type WavFileOptions } from './wav.js';
export { checkWritePath, confineInputSpec, confineOutputSpec, defaultRecordingsDirectory, type FilePolicy, type WriteRequest } from './file-policy.js';
