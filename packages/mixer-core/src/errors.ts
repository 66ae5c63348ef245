/** Machine-readable codes of every error thrown by `@alto/mixer-core`. */
export type MixerErrorCode =
  | 'ERR_MIXER_INVALID_OPTION'
  | 'ERR_MIXER_INVALID_VOLUME'
  | 'ERR_MIXER_INVALID_SAMPLES'
  | 'ERR_RING_INVALID_LAYOUT';

/**
 * Base class of mixer-core errors. Every error this package throws is a caller passing a value
 * outside its allowed range, so the base extends `RangeError`: `instanceof RangeError` works for
 * callers that do not know this package, `code` for callers that do.
 */
export class MixerError extends RangeError {
  /** Stable code to branch on; messages may change. */
  readonly code: MixerErrorCode;

  constructor(code: MixerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MixerError';
    this.code = code;
  }
}

/** An `AudioMixer` or `SpscRing` option is missing, non-finite or out of range. */
export class InvalidOptionError extends MixerError {
  declare readonly code: 'ERR_MIXER_INVALID_OPTION';
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_MIXER_INVALID_OPTION', message, options);
    this.name = 'InvalidOptionError';
  }
}

/** A stream or master volume outside 0..2 (or not a number). */
export class InvalidVolumeError extends MixerError {
  declare readonly code: 'ERR_MIXER_INVALID_VOLUME';
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_MIXER_INVALID_VOLUME', message, options);
    this.name = 'InvalidVolumeError';
  }
}

/** Samples handed to the mixer are not whole interleaved frames of the mixer's channel count. */
export class InvalidSamplesError extends MixerError {
  declare readonly code: 'ERR_MIXER_INVALID_SAMPLES';
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_MIXER_INVALID_SAMPLES', message, options);
    this.name = 'InvalidSamplesError';
  }
}

/** A SharedArrayBuffer handed to `SpscRing` does not hold a ring this package created. */
export class InvalidRingLayoutError extends MixerError {
  declare readonly code: 'ERR_RING_INVALID_LAYOUT';
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_RING_INVALID_LAYOUT', message, options);
    this.name = 'InvalidRingLayoutError';
  }
}
