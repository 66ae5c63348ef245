/** Machine-readable codes of every error device-io raises. */
export type DeviceIoErrorCode =
  | 'DEVICE_NOT_FOUND'
  | 'INVALID_DEVICE_SPEC'
  | 'DEVICE_OPEN_FAILED'
  | 'AUDIO_HOST_FAILED'
  | 'DEVICE_STALLED'
  | 'WAV_FORMAT'
  | 'FILE_POLICY';

/** Base class of every error thrown or emitted by @alto/device-io. */
export class DeviceIoError extends Error {
  override readonly name: string = 'DeviceIoError';
  constructor(
    readonly code: DeviceIoErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** One line of the device list carried by {@link DeviceNotFoundError}. */
export interface DeviceSummary {
  readonly index: number;
  readonly name: string;
  readonly maxInputChannels: number;
  readonly maxOutputChannels: number;
}

/** The requested device does not exist (or has no channels in the wanted direction). */
export class DeviceNotFoundError extends DeviceIoError {
  override readonly name = 'DeviceNotFoundError';
  constructor(
    readonly requested: string | number,
    readonly direction: 'input' | 'output',
    readonly available: readonly DeviceSummary[],
    options?: ErrorOptions,
  ) {
    const usable = available.filter((d) =>
      direction === 'input' ? d.maxInputChannels > 0 : d.maxOutputChannels > 0,
    );
    const list = usable.length
      ? usable.map((d) => `  ${d.index}: ${d.name}`).join('\n')
      : '  (none: is a sound server running?)';
    super(
      'DEVICE_NOT_FOUND',
      `No ${direction} device matches ${JSON.stringify(requested)}. Pick one by index or by part of its name:\n${list}`,
      options,
    );
  }
}

/** A device spec string that cannot be parsed or does not fit the direction. */
export class InvalidDeviceSpecError extends DeviceIoError {
  override readonly name = 'InvalidDeviceSpecError';
  constructor(message: string, options?: ErrorOptions) {
    super('INVALID_DEVICE_SPEC', message, options);
  }
}

/** The device exists but PortAudio (or a file backend) could not open it. */
export class DeviceOpenError extends DeviceIoError {
  override readonly name = 'DeviceOpenError';
  constructor(message: string, options?: ErrorOptions) {
    super('DEVICE_OPEN_FAILED', message, options);
  }
}

/** The audio host process died, did not answer, or could not be started. */
export class AudioHostError extends DeviceIoError {
  override readonly name = 'AudioHostError';
  constructor(message: string, options?: ErrorOptions) {
    super('AUDIO_HOST_FAILED', message, options);
  }
}

/** No audio moved for longer than the stall timeout; the handler reopens the device. */
export class DeviceStalledError extends DeviceIoError {
  override readonly name = 'DeviceStalledError';
  constructor(message: string, options?: ErrorOptions) {
    super('DEVICE_STALLED', message, options);
  }
}

/** A file is not a WAV file this package can read (not RIFF/WAVE, truncated, not PCM16). */
export class WavFormatError extends DeviceIoError {
  override readonly name = 'WavFormatError';
  constructor(message: string, options?: ErrorOptions) {
    super('WAV_FORMAT', message, options);
  }
}

/** Why a {@link FilePolicyError} refused a path or spec. */
export type FilePolicyReason =
  | 'outside_directory'
  | 'control_character'
  | 'no_directory'
  | 'is_directory'
  | 'not_regular'
  | 'exists'
  | 'not_allowed';

/** A file a remote client asked for is outside what the file policy allows. */
export class FilePolicyError extends DeviceIoError {
  override readonly name = 'FilePolicyError';
  constructor(
    readonly reason: FilePolicyReason,
    message: string,
    options?: ErrorOptions,
  ) {
    super('FILE_POLICY', message, options);
  }
}
