/** Types and defaults of the adaptive jitter target (JitterStream applies it). */
import { InvalidOptionError } from './errors.js';

/**
 * How an adaptive target moves, in frames. It grows by `growFrames` when the stream ran dry for
 * at most `coverFrames` (a gap that more buffer would have covered). After `holdFrames` of
 * playing without a gap it shrinks by the spare the buffer kept before every read of that window,
 * in whole `shrinkFrames` steps and less `guardFrames`, so a call that starts with headroom sheds
 * it in one window. It never shrinks below a size that ran dry within the last `floorHoldFrames`
 * (hysteresis: it does not swing between a size that gaps and one that does not), except that
 * dry spells in the first `settleFrames` of a stream, when deliveries are bursty, set no floor.
 */
export interface AdaptiveTarget {
  readonly minFrames: number;
  readonly maxFrames: number;
  readonly growFrames: number;
  readonly shrinkFrames: number;
  readonly guardFrames: number;
  readonly holdFrames: number;
  /** After growing, the new target is a floor for this long (the jitter that caused it may recur). */
  readonly floorHoldFrames: number;
  /** Only a gap up to this long counts as jitter to grow for (longer ones are stalls or losses). */
  readonly coverFrames: number;
  /** Playback at the start of a stream during which growing sets no floor. */
  readonly settleFrames: number;
}

/** Bounds and pace of an adaptive jitter target (all in ms). */
export interface AdaptiveLatencyOptions {
  /** Lowest target. Default 10 (one block). */
  readonly minMs?: number;
  /** Highest target. Default 150 (and never above `maxLatencyMs`). */
  readonly maxMs?: number;
  /** Added when the stream ran dry for at most `coverMs`. Default 10. */
  readonly growMs?: number;
  /** Step of shrinking: a calm window takes off as many steps as it proved spare. Default 5. */
  readonly shrinkMs?: number;
  /** Spare kept beyond the shrink step before shrinking. Default 2. */
  readonly guardMs?: number;
  /** Length of the calm window. Default 2000. */
  readonly holdMs?: number;
  /** How long a target reached by growing is not shrunk below. Default 60000. */
  readonly floorHoldMs?: number;
  /**
   * Playback at the start of a stream during which growing sets no floor (the first deliveries
   * of a stream come in bursts). Default 3000.
   */
  readonly settleMs?: number;
  /**
   * Longest gap the target grows for; a stream dry for longer (a stalled sender, a lost burst)
   * leaves it alone, since covering that would add its length to every later frame. Default 80.
   */
  readonly coverMs?: number;
}

/** Converts the ms options to an {@link AdaptiveTarget} in frames, with the defaults filled in. */
export function adaptiveFrames(
  o: true | AdaptiveLatencyOptions,
  maxLatencyMs: number,
  toFrames: (ms: number) => number,
): AdaptiveTarget {
  const opts = o === true ? {} : o;
  const minMs = opts.minMs ?? 10;
  const maxMs = Math.min(opts.maxMs ?? 150, maxLatencyMs);
  requireRange('minMs', minMs, 0, maxMs);
  const holdMs = opts.holdMs ?? 2000;
  requireRange('holdMs', holdMs, 10, 600_000);
  return {
    minFrames: toFrames(minMs),
    maxFrames: toFrames(maxMs),
    growFrames: Math.max(1, toFrames(opts.growMs ?? 10)),
    shrinkFrames: Math.max(1, toFrames(opts.shrinkMs ?? 5)),
    guardFrames: toFrames(opts.guardMs ?? 2),
    holdFrames: toFrames(holdMs),
    floorHoldFrames: toFrames(opts.floorHoldMs ?? 60_000),
    settleFrames: toFrames(opts.settleMs ?? 3000),
    coverFrames: toFrames(opts.coverMs ?? 80),
  };
}

function requireRange(name: string, value: number, min: number, max: number): void {
  if (typeof value !== 'number' || !(value >= min && value <= max)) {
    throw new InvalidOptionError(
      `AudioMixer option adaptiveLatency.${name} must be between ${min} and ${max}, got ${String(value)}`,
    );
  }
}
