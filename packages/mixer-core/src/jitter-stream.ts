import { LevelMeter, type SpeakingOptions } from './level-meter.js';
import type { AdaptiveTarget } from './adaptive-latency.js';
import { meterBlock } from './block-meter.js';

const INT16_TO_FLOAT = 1 / 32768;
/** Sample magnitude under which a block counts as silence for the drain (about -40 dBFS). */
const QUIET = 328;

/** Sizes of one stream's jitter buffer, in frames (samples per channel). */
export interface JitterConfig {
  readonly channels: number;
  readonly sampleRate: number;
  /** Prebuffer this much before playing. */
  readonly targetFrames: number;
  /** Ring capacity; the oldest audio is dropped beyond it. */
  readonly capacityFrames: number;
  /** Length of the fade-in on resume and the fade-out on underrun. */
  readonly fadeFrames: number;
  /** Excess over target tolerated before the drain timer runs. */
  readonly drainMarginFrames: number;
  /** How long the excess must last before draining starts. */
  readonly drainAfterFrames: number;
  /** Largest fraction of a block dropped per block while draining (e.g. 0.04 = 4 %). */
  readonly maxDrainRatio: number;
  /** When set, the target follows the jitter this stream shows (see {@link AdaptiveTarget}). */
  readonly adaptive?: AdaptiveTarget;
  readonly speaking?: SpeakingOptions;
}


/**
 * One stream's jitter buffer: a preallocated ring plus the state machine
 * buffering → playing → (underrun) → buffering. Not thread-safe: the mixer owns it.
 *
 * The ring keeps the int16 samples as they arrived (they are int16 on the wire; converting on
 * the way in costs a full pass for nothing) and is mirrored: every frame is stored at `p` and
 * `p + capacity`, so any run of buffered frames is contiguous and the mixing loop needs no wrap
 * test. The float conversion (1/32768) is folded into the gain of the mixing multiply-add.
 *
 * Drift drain: when the buffer stays more than `drainMarginFrames` above target for
 * `drainAfterFrames`, each block reads up to `maxDrainRatio` more input frames than it outputs,
 * linearly interpolated (a tiny, temporary speed-up) until the buffer is back at target. This
 * spreads the dropped frames across the block instead of cutting a hole in the waveform. While
 * at least a whole block above target, a silent block is dropped whole instead (a pause in
 * speech gets shorter, which nobody hears), so a burst of late frames drains in the next pause.
 */
export class JitterStream {
  readonly id: string;
  label: string | undefined;
  volume = 1;
  muted = false;
  playing = false;
  framesIn = 0;
  framesOut = 0;
  underruns = 0;
  overruns = 0;
  droppedFrames = 0;
  /** Frames currently buffered. */
  count = 0;
  readonly meter: LevelMeter;

  private readonly cfg: JitterConfig;
  /** Mirrored int16 ring: `2 * capacity * channels` samples. */
  private readonly ring: Int16Array;
  private readonly capacity: number;
  /** Frame index of the oldest buffered frame. */
  private readPos = 0;
  /** Gain applied at the end of the previous block; ramps to the new gain over one block. */
  private appliedGain = 1;
  /** Frames into the current fade-in; >= fadeFrames when no fade-in is running. */
  private fadeInPos: number;
  /** Frames left of the fade-out tail after an underrun. */
  private fadeOutLeft = 0;
  /** Last contributed frame (pre-gain), held and decayed on underrun. */
  private readonly lastFrame: Float64Array;
  private excessFrames = 0;
  private draining = false;
  /** Current prebuffer target; fixed unless the config is adaptive. */
  targetFrames: number;
  /** Lowest level left after a read in the current window (frames). */
  private lowWater = Infinity;
  /** Frames played since the target last moved or the stream last ran dry. */
  private calmFrames = 0;
  /** Frames the stream has been dry since it ran out, or -1 when it is not. */
  private dryFrames = -1;
  /** A target that once proved too small is not shrunk to again while this many frames play. */
  private floorLeft = 0;
  private floorFrames = 0;

  constructor(id: string, cfg: JitterConfig) {
    this.id = id;
    this.cfg = cfg;
    this.capacity = cfg.capacityFrames;
    this.ring = new Int16Array(2 * cfg.capacityFrames * cfg.channels);
    this.lastFrame = new Float64Array(cfg.channels);
    this.fadeInPos = cfg.fadeFrames;
    this.meter = new LevelMeter(cfg.sampleRate, cfg.speaking);
    this.targetFrames = cfg.targetFrames;
  }

  /** Gain this block aims for: 0 when muted. */
  get targetGain(): number {
    return this.muted ? 0 : this.volume;
  }

  /** Starts the next block at the target gain without a ramp (new streams). */
  settleGain(): void {
    this.appliedGain = this.targetGain;
    this.fastGain = this.appliedGain * INT16_TO_FLOAT;
  }

  /** Queues interleaved int16 samples; `src.length` must be a multiple of the channel count. */
  push(src: Int16Array): void {
    const ch = this.cfg.channels;
    const cap = this.capacity;
    let frames = (src.length / ch) | 0;
    let srcOff = 0;
    this.framesIn += frames;
    if (frames > cap) {
      // More than the whole buffer in one call: only the newest `cap` frames can survive.
      const skip = frames - cap;
      srcOff = skip * ch;
      this.droppedFrames += skip;
      frames = cap;
      if (this.count === 0) this.overruns++;
    }
    const free = cap - this.count;
    if (frames > free) {
      const drop = frames - free;
      this.readPos = (this.readPos + drop) % cap;
      this.count -= drop;
      this.droppedFrames += drop;
      this.overruns++;
    }
    if (this.dryFrames >= 0) this.endDrySpell();
    const writeFrame = (this.readPos + this.count) % cap;
    const ring = this.ring;
    const capS = cap * ch;
    if (srcOff === 0 && writeFrame + frames <= cap) {
      // Common case: whole input, no wrap. Two memcpys, no allocation.
      ring.set(src, writeFrame * ch);
      ring.set(src, writeFrame * ch + capS);
    } else {
      const first = frames < cap - writeFrame ? frames : cap - writeFrame;
      let w = writeFrame * ch;
      let end = w + first * ch;
      let s = srcOff;
      for (; w < end; w++, s++) ring[w + capS] = ring[w] = src[s]!;
      end = (frames - first) * ch;
      for (w = 0; w < end; w++, s++) ring[w + capS] = ring[w] = src[s]!;
    }
    this.count += frames;
    if (!this.playing && this.count >= this.targetFrames) {
      this.playing = true;
      this.fadeInPos = 0;
    }
  }

  /** Drops all buffered audio and returns to buffering (counters are kept). */
  clear(): void {
    this.count = 0;
    this.readPos = 0;
    this.playing = false;
    this.fadeOutLeft = 0;
    this.excessFrames = 0;
    this.draining = false;
  }

  /** The mirrored int16 ring, for the mixer's grouped fast path (read-only use). */
  get samples(): Int16Array {
    return this.ring;
  }

  /** Gain for the fast path with the int16 → float scale folded in (a field, not a getter, so
   * reading it never boxes a double). */
  fastGain = INT16_TO_FLOAT;

  /**
   * If this block can take the fast path (playing, a whole block buffered, steady gain, no fade,
   * no drain), returns the ring offset of its first sample; otherwise -1 and the caller uses
   * {@link mixInto}.
   */
  fastOffset(frames: number): number {
    if (!this.playing || this.count < frames || this.draining) return -1;
    if (this.count - frames < this.lowWater) this.lowWater = this.count - frames;
    if (this.fadeInPos < this.cfg.fadeFrames || this.appliedGain !== this.targetGain) return -1;
    return this.readPos * this.cfg.channels;
  }

  /**
   * Completes a block the mixer mixed itself from {@link fastOffset}: meters it, then advances
   * the ring.
   */
  finishFast(frames: number): void {
    const ch = this.cfg.channels;
    meterBlock(this.ring, this.readPos * ch, frames, ch, this.meter);
    const last = (this.readPos + frames - 1) * ch;
    for (let c = 0; c < ch; c++) this.lastFrame[c] = this.ring[last + c]! * INT16_TO_FLOAT;
    this.readPos = (this.readPos + frames) % this.capacity;
    this.count -= frames;
    this.framesOut += frames;
    this.updateDrain(frames);
  }

  /**
   * Adds this stream's next `frames` frames, times its gain, into `mix` (interleaved) and
   * updates its level meter. Allocation-free.
   * @returns frames of real (buffered) audio contributed; fade tails do not count
   */
  mixInto(mix: Float32Array, frames: number): number {
    const ch = this.cfg.channels;
    const g0 = this.appliedGain;
    const g1 = this.targetGain;
    this.appliedGain = g1;
    this.fastGain = g1 * INT16_TO_FLOAT;
    let n = 0;
    let ss = 0;
    let pk = 0;
    if (this.playing) {
      if (this.draining && this.count - 2 * frames >= this.targetFrames && this.isQuiet(frames)) {
        // Far behind and the next block is (nearly) silent: drop it whole, which nobody hears,
        // instead of speeding the audio up.
        this.readPos = (this.readPos + frames) % this.capacity;
        this.count -= frames;
        this.droppedFrames += frames;
      }
      const avail = this.count;
      n = frames < avail ? frames : avail;
      let drain = 0;
      if (avail - frames < this.lowWater) this.lowWater = avail - frames;
      if (this.draining && n === frames) {
        const maxDrain = Math.max(1, Math.floor(frames * this.cfg.maxDrainRatio));
        const excess = avail - frames - this.targetFrames;
        drain = excess < maxDrain ? excess : maxDrain;
        if (drain <= 0) {
          drain = 0;
          this.draining = false;
        }
      }
      const cap = this.capacity;
      const ring = this.ring;
      if (drain === 0 && g0 === g1 && this.fadeInPos >= this.cfg.fadeFrames) {
        // Fast path: steady gain, no fades; the mirrored ring makes the run contiguous.
        const start = this.readPos * ch;
        const end = start + n * ch;
        const gs = g1 * INT16_TO_FLOAT;
        for (let r = start, i = 0; r < end; r++, i++) {
          const v = ring[r]!;
          mix[i] = mix[i]! + v * gs;
          ss += v * v;
          const a = v < 0 ? -v : v;
          if (a > pk) pk = a;
        }
        if (n > 0) {
          const last = end - ch;
          for (let c = 0; c < ch; c++) this.lastFrame[c] = ring[last + c]! * INT16_TO_FLOAT;
        }
      } else {
        // General path: gain ramp, fade-in and/or interpolated drain.
        const fadeFrames = this.cfg.fadeFrames;
        const step = (n + drain) / (n > 0 ? n : 1);
        const dg = (g1 - g0) / frames;
        let fadeIn = this.fadeInPos;
        for (let j = 0; j < n; j++) {
          const pos = j * step;
          const idx = pos | 0;
          const frac = pos - idx;
          // Mirrored ring: readPos + idx + 1 < 2 * cap, no modulo needed.
          const a0 = (this.readPos + idx) * ch;
          const a1 = a0 + ch;
          const fw = fadeIn < fadeFrames ? fadeIn / fadeFrames : 1;
          fadeIn++;
          const g = (g0 + dg * (j + 1)) * fw * INT16_TO_FLOAT;
          const o = j * ch;
          for (let c = 0; c < ch; c++) {
            const x0 = ring[a0 + c]!;
            const v = frac === 0 ? x0 : x0 + (ring[a1 + c]! - x0) * frac;
            mix[o + c] = mix[o + c]! + v * g;
            ss += v * v;
            const a = v < 0 ? -v : v;
            if (a > pk) pk = a;
            this.lastFrame[c] = v * fw * INT16_TO_FLOAT;
          }
        }
        this.fadeInPos = fadeIn;
      }
      this.readPos = (this.readPos + n + drain) % cap;
      this.count -= n + drain;
      this.droppedFrames += drain;
      this.framesOut += n;
      if (n < frames) {
        // Ran dry while playing: hold the last frame and decay it to zero instead of jumping.
        this.underruns++;
        this.playing = false;
        this.fadeOutLeft = this.cfg.fadeFrames;
        this.excessFrames = 0;
        this.draining = false;
        // How long the stream stays dry decides whether growing would have helped.
        this.dryFrames = frames - n;
      } else {
        this.updateDrain(frames);
      }
    } else if (this.dryFrames >= 0 && this.count === 0) {
      this.dryFrames += frames;
    }
    if (n < frames && this.fadeOutLeft > 0) this.mixTail(mix, n, frames, g1);
    // Sums are in int16 units; the meter wants full scale = 1.
    const meter = this.meter;
    meter.sumSquares = ss * INT16_TO_FLOAT * INT16_TO_FLOAT;
    meter.peak = pk * INT16_TO_FLOAT;
    meter.commit(frames * ch, frames);
    return n;
  }

  /** True when the next `frames` buffered frames stay below about -40 dBFS. */
  private isQuiet(frames: number): boolean {
    const ring = this.ring;
    const start = this.readPos * this.cfg.channels;
    const end = start + frames * this.cfg.channels;
    for (let i = start; i < end; i++) {
      const v = ring[i]!;
      if (v > QUIET || v < -QUIET) return false;
    }
    return true;
  }

  private mixTail(mix: Float32Array, from: number, frames: number, gain: number): void {
    const ch = this.cfg.channels;
    const fadeFrames = this.cfg.fadeFrames;
    let left = this.fadeOutLeft;
    for (let j = from; j < frames && left > 0; j++) {
      left--;
      const w = (left / fadeFrames) * gain;
      const o = j * ch;
      for (let c = 0; c < ch; c++) mix[o + c] = mix[o + c]! + this.lastFrame[c]! * w;
    }
    this.fadeOutLeft = left;
  }

  private updateDrain(frames: number): void {
    const cfg = this.cfg;
    if (this.count > this.targetFrames + cfg.drainMarginFrames) {
      this.excessFrames += frames;
      if (this.excessFrames >= cfg.drainAfterFrames) this.draining = true;
    } else {
      this.excessFrames = 0;
      if (this.count <= this.targetFrames) this.draining = false;
    }
    const a = cfg.adaptive;
    if (a === undefined) return;
    this.calmFrames += frames;
    if (this.floorLeft > 0) this.floorLeft -= frames;
    if (this.calmFrames < a.holdFrames) return;
    // A whole window without a gap: shrink by the spare the buffer always kept (in whole steps,
    // less the guard, less any excess the drain has not taken yet, which is not spare the target
    // gave), but not back to a size that ran dry within the floor's hold.
    const lowest = this.floorLeft > 0 && this.floorFrames > a.minFrames ? this.floorFrames : a.minFrames;
    const excess = this.count > this.targetFrames ? this.count - this.targetFrames : 0;
    const steps = Math.floor((this.lowWater - a.guardFrames - excess) / a.shrinkFrames);
    if (steps >= 1) {
      const shrunk = this.targetFrames - steps * a.shrinkFrames;
      this.targetFrames = shrunk > lowest ? shrunk : Math.min(lowest, this.targetFrames);
    }
    this.calmFrames = 0;
    this.lowWater = Infinity;
  }

  /**
   * Audio arrived again after the stream ran dry for `dryFrames`. A gap a somewhat larger buffer
   * would have covered is jitter: grow. A longer one (a stalled sender or process, a lost
   * burst) no reasonable buffer covers, and growing for it would only add delay for good.
   */
  private endDrySpell(): void {
    const a = this.cfg.adaptive;
    const dry = this.dryFrames;
    this.dryFrames = -1;
    if (a === undefined) return;
    if (dry <= a.coverFrames) {
      this.grow();
    } else {
      // Not jitter, but not a calm window either.
      this.calmFrames = 0;
      this.lowWater = Infinity;
    }
  }

  /**
   * The stream ran dry: the jitter it sees is larger than the target allows for. Past its first
   * `settleFrames` of playback the grown size becomes a floor for `floorHoldFrames`; at the start
   * of a stream deliveries are bursty for a moment, and a floor set then would hold the whole
   * call's first minute at a size only its first second needed.
   */
  private grow(): void {
    const a = this.cfg.adaptive;
    if (a === undefined) return;
    const grown = this.targetFrames + a.growFrames;
    this.targetFrames = grown < a.maxFrames ? grown : a.maxFrames;
    if (this.framesOut >= a.settleFrames) {
      this.floorFrames = this.targetFrames;
      this.floorLeft = a.floorHoldFrames;
    }
    this.calmFrames = 0;
    this.lowWater = Infinity;
  }

  /**
   * Raises the target to at least `frames` (never beyond the adaptive maximum) and restarts the
   * calm window, e.g. when the output ahead of the mixer shrank and the stream must cover for it.
   */
  raiseTarget(frames: number): void {
    const max = this.cfg.adaptive?.maxFrames ?? this.cfg.capacityFrames;
    const want = frames < max ? frames : max;
    if (want > this.targetFrames) this.targetFrames = want;
    this.calmFrames = 0;
    this.lowWater = Infinity;
  }
}
