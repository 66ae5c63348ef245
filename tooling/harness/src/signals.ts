/** Generates `frames` samples of a sine tone as int16 (mono). */
export function sineInt16(
  frequencyHz: number,
  frames: number,
  sampleRate = 48_000,
  amplitude = 0.5,
  startFrame = 0,
): Int16Array {
  const out = new Int16Array(frames);
  for (let i = 0; i < frames; i++) {
    out[i] = Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * frequencyHz * (startFrame + i)) / sampleRate));
  }
  return out;
}

/** Power of one frequency in a block (Goertzel), normalised by the block length. */
export function goertzelPower(samples: ArrayLike<number>, frequencyHz: number, sampleRate = 48_000): number {
  const n = samples.length;
  if (n === 0) return 0;
  const k = Math.round((n * frequencyHz) / sampleRate);
  const coefficient = 2 * Math.cos((2 * Math.PI * k) / n);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const s0 = (samples[i] ?? 0) + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return (s1 * s1 + s2 * s2 - coefficient * s1 * s2) / (n * n);
}

/** Root mean square of the samples, in the samples' own unit. */
export function rms(samples: ArrayLike<number>): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i] ?? 0;
    sum += v * v;
  }
  return Math.sqrt(sum / samples.length);
}

/** Estimates the fundamental of a clean tone from its zero crossings. */
export function zeroCrossingFrequency(samples: ArrayLike<number>, sampleRate = 48_000): number {
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1] ?? 0;
    const b = samples[i] ?? 0;
    if ((a < 0 && b >= 0) || (a >= 0 && b < 0)) crossings++;
  }
  return (crossings / 2) * (sampleRate / samples.length);
}

/**
 * The candidate frequency with the most energy in the samples, and how far (in dB) it stands
 * above the next strongest candidate.
 */
export function strongestTone(
  samples: ArrayLike<number>,
  candidatesHz: readonly number[],
  sampleRate = 48_000,
): { frequencyHz: number; marginDb: number } {
  const powers = candidatesHz.map((f) => ({ f, p: goertzelPower(samples, f, sampleRate) }));
  powers.sort((a, b) => b.p - a.p);
  const best = powers[0];
  const next = powers[1];
  if (!best) return { frequencyHz: 0, marginDb: 0 };
  const marginDb = next ? 10 * Math.log10((best.p + 1e-12) / (next.p + 1e-12)) : Infinity;
  return { frequencyHz: best.f, marginDb };
}

/** Concatenates int16 chunks into one array. */
export function concatInt16(chunks: readonly Int16Array[]): Int16Array {
  let total = 0;
  for (const c of chunks) total += c.length;
  const out = new Int16Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
