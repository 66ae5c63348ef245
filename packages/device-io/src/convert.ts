/** Sample format and channel conversions. All conversions clip; none wrap. */

/** Converts float32 samples (nominal -1..1) to int16 with clipping, into `out`. */
export function float32ToInt16Clip(input: Float32Array, out: Int16Array): Int16Array {
  const n = Math.min(input.length, out.length);
  for (let i = 0; i < n; i++) {
    const v = input[i]!;
    // NaN must not become an arbitrary value: treat it as silence.
    const s = v !== v ? 0 : v * 32768;
    out[i] = s >= 32767 ? 32767 : s <= -32768 ? -32768 : Math.round(s);
  }
  return out;
}

/** Converts int16 samples to float32 in -1..1, into `out`. */
export function int16ToFloat32(input: Int16Array, out: Float32Array): Float32Array {
  const n = Math.min(input.length, out.length);
  for (let i = 0; i < n; i++) out[i] = input[i]! / 32768;
  return out;
}

/**
 * Converts interleaved int16 audio between channel counts: mono→N duplicates, N→mono averages,
 * N→M (other) keeps the first min(N, M) channels and fills the rest from channel 0.
 * Returns the input itself when the counts match.
 */
export function remixChannels(input: Int16Array, fromChannels: number, toChannels: number): Int16Array {
  if (fromChannels === toChannels) return input;
  const frames = Math.floor(input.length / fromChannels);
  const out = new Int16Array(frames * toChannels);
  if (toChannels === 1) {
    for (let f = 0; f < frames; f++) {
      let sum = 0;
      for (let c = 0; c < fromChannels; c++) sum += input[f * fromChannels + c]!;
      out[f] = Math.round(sum / fromChannels);
    }
    return out;
  }
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < toChannels; c++) {
      const src = c < fromChannels ? c : 0;
      out[f * toChannels + c] = input[f * fromChannels + src]!;
    }
  }
  return out;
}

/** Copies samples into a fresh Int16Array that owns its buffer from offset 0 (what LiveKit needs). */
export function ownedCopy(samples: Int16Array): Int16Array {
  const out = new Int16Array(samples.length);
  out.set(samples);
  return out;
}
