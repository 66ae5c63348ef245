// Signal helpers for this package's tests and bench. Not exported from the package index.

/** An int16 sine of `frames` frames, starting at `startFrame`, same on every channel. */
export function sine(
  frames: number,
  options: {
    freq?: number;
    amplitude?: number;
    sampleRate?: number;
    channels?: number;
    startFrame?: number;
  } = {},
): Int16Array {
  const { freq = 440, amplitude = 0.5, sampleRate = 48000, channels = 1, startFrame = 0 } = options;
  const out = new Int16Array(frames * channels);
  for (let f = 0; f < frames; f++) {
    const v = Math.round(
      amplitude * 32767 * Math.sin((2 * Math.PI * freq * (f + startFrame)) / sampleRate),
    );
    for (let c = 0; c < channels; c++) out[f * channels + c] = v;
  }
  return out;
}

/** `frames` frames of a constant value on every channel. */
export function constant(frames: number, value: number, channels = 1): Int16Array {
  return new Int16Array(frames * channels).fill(value);
}

/** Largest absolute difference between consecutive samples of one channel. */
export function maxStep(samples: Int16Array, channels = 1, channel = 0): number {
  let max = 0;
  for (let i = channel + channels; i < samples.length; i += channels) {
    const d = Math.abs(samples[i]! - samples[i - channels]!);
    if (d > max) max = d;
  }
  return max;
}

/** RMS of int16 samples as a fraction of full scale. */
export function rmsOf(samples: Int16Array): number {
  let ss = 0;
  for (let i = 0; i < samples.length; i++) ss += (samples[i]! / 32768) ** 2;
  return samples.length ? Math.sqrt(ss / samples.length) : 0;
}
