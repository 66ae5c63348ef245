import type { LevelReading } from './mixer-types.js';
import { fromDbfs, toDbfs } from './convert.js';

/** Thresholds of the speaking flag. */
export interface SpeakingOptions {
  /** RMS level that counts as speech. Default -45 dBFS. */
  readonly onDbfs?: number;
  /** Consecutive blocks at or above `onDbfs` before `speaking` turns on. Default 2. */
  readonly onBlocks?: number;
  /** RMS level below which the speaker counts as silent. Default -55 dBFS. */
  readonly offDbfs?: number;
  /** Time below `offDbfs` before `speaking` turns off. Default 300 ms. */
  readonly offMs?: number;
}

/**
 * Peak/RMS of the last block plus a speaking flag with hysteresis: a gap between the on and off
 * thresholds and a hold time keep the flag from flickering between words. The hot path only
 * feeds sums; dBFS (a log) is computed when a reading is asked for.
 */
export class LevelMeter {
  /** Linear peak of the last block (1 = full scale). */
  peak = 0;
  /** Linear RMS of the last block. */
  rms = 0;
  /** Voice activity with hysteresis. */
  speaking = false;
  /**
   * Sum of squares of the block being measured; set it and {@link peak}, then {@link commit}.
   * The real-time path uses this instead of {@link update}: a double passed as an argument to a
   * call V8 does not inline is boxed (allocated), a double stored in a field is not.
   */
  sumSquares = 0;
  private readonly onLinear: number;
  private readonly offLinear: number;
  private readonly onBlocks: number;
  private readonly offFrames: number;
  private aboveBlocks = 0;
  private belowFrames = 0;

  constructor(sampleRate: number, options: SpeakingOptions = {}) {
    this.onLinear = fromDbfs(options.onDbfs ?? -45);
    this.offLinear = fromDbfs(options.offDbfs ?? -55);
    this.onBlocks = options.onBlocks ?? 2;
    this.offFrames = Math.round(((options.offMs ?? 300) * sampleRate) / 1000);
  }

  /**
   * Records one block. `sumSquares` and `peak` are over `samples` samples (all channels) that
   * span `frames` frames of time.
   */
  update(sumSquares: number, peak: number, samples: number, frames: number): void {
    this.sumSquares = sumSquares;
    this.peak = peak;
    this.commit(samples, frames);
  }

  /** Finishes a block whose {@link sumSquares} and {@link peak} were stored directly. */
  commit(samples: number, frames: number): void {
    const rms = samples > 0 ? Math.sqrt(this.sumSquares / samples) : 0;
    this.rms = rms;
    if (rms >= this.onLinear) {
      this.belowFrames = 0;
      if (++this.aboveBlocks >= this.onBlocks) this.speaking = true;
    } else {
      this.aboveBlocks = 0;
      if (rms < this.offLinear) {
        this.belowFrames += frames;
        if (this.belowFrames >= this.offFrames) this.speaking = false;
      } else {
        this.belowFrames = 0;
      }
    }
  }

  /** Forgets history (the stream was re-added or reset). */
  reset(): void {
    this.peak = 0;
    this.sumSquares = 0;
    this.rms = 0;
    this.speaking = false;
    this.aboveBlocks = 0;
    this.belowFrames = 0;
  }

  /** The last block as a {@link LevelReading} (allocates; not for the per-block path). */
  reading(): LevelReading {
    return { peakDbfs: toDbfs(this.peak), rmsDbfs: toDbfs(this.rms), speaking: this.speaking };
  }
}
