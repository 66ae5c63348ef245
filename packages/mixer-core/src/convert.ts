// Sample-format helpers. All of them write into caller-owned arrays so real-time code can
// preallocate; none allocates.

/** Scale from int16 to float: -32768 maps to exactly -1. */
const INT16_TO_FLOAT = 1 / 32768;

/**
 * Converts int16 samples to float32 in [-1, 1). Converts `min(src.length, dst.length)` samples.
 * @returns the number of samples converted
 */
export function int16ToFloat32(src: Int16Array, dst: Float32Array): number {
  const n = src.length < dst.length ? src.length : dst.length;
  for (let i = 0; i < n; i++) dst[i] = src[i]! * INT16_TO_FLOAT;
  return n;
}

/**
 * Converts float samples to int16, rounding to nearest and clipping to [-32768, 32767]: a value
 * beyond full scale saturates, it never wraps around. NaN becomes 0.
 * @returns the number of samples converted
 */
export function float32ToInt16(src: Float32Array, dst: Int16Array): number {
  const n = src.length < dst.length ? src.length : dst.length;
  for (let i = 0; i < n; i++) dst[i] = floatSampleToInt16(src[i]!);
  return n;
}

/** One float sample to a rounded, clipped int16 value (see {@link float32ToInt16}). */
export function floatSampleToInt16(x: number): number {
  const v = Math.round(x * 32768);
  // `v !== v` catches NaN without a call; Int16Array would store NaN as 0 anyway, be explicit.
  if (v !== v) return 0;
  return v > 32767 ? 32767 : v < -32768 ? -32768 : v;
}

/**
 * Interleaves planar channels into `dst` (frame-major: L0 R0 L1 R1 ...). Converts
 * `min(dst.length / channels, shortest plane)` frames.
 * @returns the number of frames written
 */
export function interleave<T extends Float32Array | Int16Array>(
  planes: readonly T[],
  dst: T,
): number {
  const channels = planes.length;
  if (channels === 0) return 0;
  let frames = (dst.length / channels) | 0;
  for (let c = 0; c < channels; c++) {
    const len = planes[c]!.length;
    if (len < frames) frames = len;
  }
  for (let c = 0; c < channels; c++) {
    const plane = planes[c]!;
    for (let f = 0, j = c; f < frames; f++, j += channels) dst[j] = plane[f]!;
  }
  return frames;
}

/**
 * Splits interleaved samples into planar channels (the inverse of {@link interleave}).
 * @returns the number of frames written
 */
export function deinterleave<T extends Float32Array | Int16Array>(
  src: T,
  planes: readonly T[],
): number {
  const channels = planes.length;
  if (channels === 0) return 0;
  let frames = (src.length / channels) | 0;
  for (let c = 0; c < channels; c++) {
    const len = planes[c]!.length;
    if (len < frames) frames = len;
  }
  for (let c = 0; c < channels; c++) {
    const plane = planes[c]!;
    for (let f = 0, j = c; f < frames; f++, j += channels) plane[f] = src[j]!;
  }
  return frames;
}

/** Linear amplitude (1 = full scale) to dBFS, floored at -120 (digital silence reads -120). */
export function toDbfs(linear: number): number {
  if (!(linear > 1e-6)) return -120;
  const db = 20 * Math.log10(linear);
  return db < -120 ? -120 : db;
}

/** dBFS to linear amplitude. */
export function fromDbfs(dbfs: number): number {
  return Math.pow(10, dbfs / 20);
}
