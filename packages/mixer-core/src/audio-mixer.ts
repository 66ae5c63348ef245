import { adaptiveFrames, type AdaptiveLatencyOptions } from './adaptive-latency.js';
import { InvalidOptionError, InvalidSamplesError, InvalidVolumeError } from './errors.js';
import { JitterStream, type JitterConfig } from './jitter-stream.js';
import { LevelMeter, type SpeakingOptions } from './level-meter.js';
import { LIMITER_KNEE } from './limiter.js';
import { mixFour, mixOne } from './mix-kernels.js';
import type { Logger } from './logger.js';
import { noopLogger } from './logger.js';
import type { MixerMetrics, MixerSink, StreamMetrics, StreamOptions } from './mixer-types.js';

/** How streams are combined. */
export type MixMode = 'sum' | 'average';

/** Options of {@link AudioMixer}. Every field has a default. */
export interface AudioMixerOptions {
  /** Default 48000. */
  readonly sampleRate?: number;
  /** Interleaved channels of every input and of the output. Default 1. */
  readonly channels?: number;
  /** Linear master gain 0..2. Default 1. */
  readonly masterVolume?: number;
  /** Per-stream prebuffer before playing. Default 30 ms. */
  readonly targetLatencyMs?: number;
  /** Per-stream buffer bound; the oldest audio is dropped beyond it. Default 200 ms. */
  readonly maxLatencyMs?: number;
  /** 'sum' (default) then soft-limit, or 'average' over contributing streams (the Python Alto Terminal). */
  readonly mode?: MixMode;
  /** Block size used by `getAudioData()` without an argument and to presize buffers. Default 10. */
  readonly frameMs?: number;
  /** Fade-out on underrun and fade-in on resume. Default 3 ms. */
  readonly fadeMs?: number;
  /** Excess over target tolerated before the drift drain timer starts. Default 5 ms. */
  readonly drainMarginMs?: number;
  /** How long the excess must last before draining. Default 1000 ms. */
  readonly drainAfterMs?: number;
  /** Largest speed-up while draining, as a fraction (0.04 = 4 %). Default 0.04. */
  readonly maxDrainRatio?: number;
  /**
   * Lets each stream's target follow the jitter it shows, starting at `targetLatencyMs` (raised to
   * the adaptive minimum, or lowered to its maximum, when outside them): it grows when the stream
   * runs dry and shrinks, slowly and with hysteresis, while it stays away. `true` takes the
   * defaults of {@link AdaptiveLatencyOptions}. Default off (a fixed target).
   */
  readonly adaptiveLatency?: boolean | AdaptiveLatencyOptions;
  /** Speaking-flag thresholds, for the streams and the mix. */
  readonly speaking?: SpeakingOptions;
  readonly logger?: Logger;
}

const KNEE = LIMITER_KNEE;
const HEADROOM = 1 - LIMITER_KNEE;
const EMPTY: readonly JitterStream[] = [];

/**
 * Mixes per-participant int16 streams into one output, lazily: audio is only buffered on
 * `addAudioData` and mixed when the output device reads. Each stream has its own jitter buffer
 * (see {@link JitterStream}); a stream with no audio contributes silence and never holds the
 * others back. The mix is a float sum with per-stream and master gain followed by a soft limiter,
 * so the int16 output saturates smoothly and never wraps.
 *
 * `readInto`/`readFloatInto` and `addAudioData` do not allocate; everything is sized at
 * construction and `addStream`.
 */
export class AudioMixer implements MixerSink {
  readonly sampleRate: number;
  readonly channels: number;
  readonly mode: MixMode;
  /** Frames in one `frameMs` block. */
  readonly blockFrames: number;
  private masterVolume: number;
  private appliedMaster: number;
  private readonly jitter: Omit<JitterConfig, 'channels' | 'sampleRate'>;
  private readonly speakingOptions: SpeakingOptions | undefined;
  private readonly logger: Logger;
  private readonly byId = new Map<string, JitterStream>();
  /** Dense copy of `byId`'s values, rebuilt on add/remove, so the block loop is a plain index loop. */
  private streams: readonly JitterStream[] = EMPTY;
  /** Per-block scratch: streams on the fast path and their ring offsets (sized on add). */
  private fast: JitterStream[] = [];
  private fastOff = new Int32Array(8);
  private mix: Float32Array;
  private readonly meter: LevelMeter;
  private framesOut = 0;
  private underruns = 0;
  private limitedSamples = 0;

  constructor(options: AudioMixerOptions = {}) {
    const sampleRate = options.sampleRate ?? 48000;
    const channels = options.channels ?? 1;
    const targetMs = options.targetLatencyMs ?? 30;
    const maxMs = options.maxLatencyMs ?? 200;
    const frameMs = options.frameMs ?? 10;
    const fadeMs = options.fadeMs ?? 3;
    const drainRatio = options.maxDrainRatio ?? 0.04;
    requireInt('sampleRate', sampleRate, 8000, 384000);
    requireInt('channels', channels, 1, 32);
    requireRange('targetLatencyMs', targetMs, 0, 10_000);
    requireRange('maxLatencyMs', maxMs, Math.max(targetMs, 1), 60_000);
    requireRange('frameMs', frameMs, 0.1, 1000);
    requireRange('fadeMs', fadeMs, 0.1, 100);
    requireRange('maxDrainRatio', drainRatio, 0, 0.5);
    this.sampleRate = sampleRate;
    this.channels = channels;
    this.mode = options.mode ?? 'sum';
    this.masterVolume = checkVolume('masterVolume', options.masterVolume ?? 1);
    this.appliedMaster = this.masterVolume;
    const toFrames = (ms: number): number => Math.round((ms * sampleRate) / 1000);
    this.blockFrames = Math.max(1, toFrames(frameMs));
    const adaptive = options.adaptiveLatency ? adaptiveFrames(options.adaptiveLatency, maxMs, toFrames) : undefined;
    this.jitter = {
      // An adaptive target starts within its bounds: a start below the floor would play the
      // first seconds of every stream with less buffer than the floor was set to keep.
      targetFrames: adaptive ? Math.min(Math.max(toFrames(targetMs), adaptive.minFrames), adaptive.maxFrames) : toFrames(targetMs),
      capacityFrames: Math.max(1, toFrames(maxMs)),
      fadeFrames: Math.max(1, toFrames(fadeMs)),
      drainMarginFrames: toFrames(options.drainMarginMs ?? 5),
      drainAfterFrames: toFrames(options.drainAfterMs ?? 1000),
      maxDrainRatio: drainRatio,
      ...(adaptive ? { adaptive } : {}),
    };
    this.speakingOptions = options.speaking;
    this.logger = options.logger ?? noopLogger;
    this.mix = new Float32Array(this.blockFrames * channels * 4);
    this.meter = new LevelMeter(sampleRate, options.speaking);
  }

  /** Adds a stream, or applies `options` to an existing one. */
  addStream(id: string, options: StreamOptions = {}): void {
    let s = this.byId.get(id);
    const created = s === undefined;
    if (s === undefined) {
      const cfg: JitterConfig =
        this.speakingOptions === undefined
          ? { ...this.jitter, channels: this.channels, sampleRate: this.sampleRate }
          : {
              ...this.jitter,
              channels: this.channels,
              sampleRate: this.sampleRate,
              speaking: this.speakingOptions,
            };
      s = new JitterStream(id, cfg);
      this.byId.set(id, s);
      this.rebuildStreams();
      this.logger.debug('mixer stream added', { id, streams: this.streams.length });
    }
    if (options.volume !== undefined) s.volume = checkVolume('volume', options.volume);
    if (options.muted !== undefined) s.muted = options.muted;
    if (options.label !== undefined) s.label = options.label;
    // A new stream starts at its gain; an existing one ramps to new options like a setter.
    if (created) s.settleGain();
  }

  /** Removes a stream and its buffered audio; unknown ids are ignored. */
  removeStream(id: string): void {
    if (!this.byId.delete(id)) return;
    this.rebuildStreams();
    this.logger.debug('mixer stream removed', { id, streams: this.streams.length });
  }

  private rebuildStreams(): void {
    this.streams = [...this.byId.values()];
    this.fast = this.streams.slice();
    if (this.fastOff.length < this.streams.length) {
      this.fastOff = new Int32Array(this.streams.length * 2);
    }
  }

  hasStream(id: string): boolean {
    return this.byId.has(id);
  }

  /** Ids of the current streams, in insertion order. */
  streamIds(): string[] {
    return [...this.byId.keys()];
  }

  /**
   * Queues interleaved int16 samples for a stream. Audio for an unknown id is ignored: frames
   * still in flight after `removeStream` must not resurrect the stream.
   * @throws {InvalidSamplesError} if the length is not a multiple of the channel count
   */
  addAudioData(id: string, samples: Int16Array): void {
    if (samples.length % this.channels !== 0) {
      throw new InvalidSamplesError(
        `addAudioData('${id}') got ${samples.length} samples, not a multiple of ${this.channels} channels; pass whole interleaved frames`,
      );
    }
    const s = this.byId.get(id);
    if (s !== undefined) s.push(samples);
  }

  /** Sets a stream's linear gain (0..2). Unknown ids are ignored. */
  setStreamVolume(id: string, volume: number): void {
    checkVolume('stream volume', volume);
    const s = this.byId.get(id);
    if (s !== undefined) s.volume = volume;
  }

  /** Mutes or unmutes a stream; its buffer keeps draining so it resumes in time. */
  setStreamMuted(id: string, muted: boolean): void {
    const s = this.byId.get(id);
    if (s !== undefined) s.muted = muted;
  }

  /** Sets the master linear gain (0..2), applied before the limiter. */
  setMasterVolume(volume: number): void {
    this.masterVolume = checkVolume('master volume', volume);
  }

  /** Mixes `frames` frames into a new Int16Array (the Python Alto Terminal's `get_audio_data`; allocates). */
  getAudioData(frames: number = this.blockFrames): Int16Array {
    const out = new Int16Array(Math.max(0, Math.floor(frames)) * this.channels);
    this.readInto(out);
    return out;
  }

  /**
   * Mixes `out.length / channels` frames into `out` (interleaved int16). Allocation-free.
   * @returns frames written
   */
  readInto(out: Int16Array): number {
    const frames = (out.length / this.channels) | 0;
    const mix = this.mixBlock(frames);
    const n = frames * this.channels;
    // mixBlock bounds samples to [-1, 1], so the shifted value is positive and `| 0` floors it:
    // round-half-up like Math.round, without the call.
    for (let i = 0; i < n; i++) {
      const r = ((mix[i]! * 32768 + 32768.5) | 0) - 32768;
      out[i] = r > 32767 ? 32767 : r;
    }
    return frames;
  }

  /**
   * Mixes `out.length / channels` frames into `out` as float samples within [-1, 1].
   * Allocation-free.
   * @returns frames written
   */
  readFloatInto(out: Float32Array): number {
    const frames = (out.length / this.channels) | 0;
    const mix = this.mixBlock(frames);
    const n = frames * this.channels;
    for (let i = 0; i < n; i++) out[i] = mix[i]!;
    return frames;
  }

  private mixBlock(frames: number): Float32Array {
    const ch = this.channels;
    const n = frames * ch;
    if (this.mix.length < n) {
      // Grows once for an unusually large read, then stays; steady state never gets here.
      this.mix = new Float32Array(n);
    }
    const mix = this.mix;
    mix.fill(0, 0, n);
    const streams = this.streams;
    const fast = this.fast;
    const fastOff = this.fastOff;
    let active = 0;
    let nf = 0;
    for (let i = 0; i < streams.length; i++) {
      const s = streams[i]!;
      const off = s.fastOffset(frames);
      if (off >= 0) {
        fast[nf] = s;
        fastOff[nf++] = off;
        if (!s.muted) active++;
      } else if (s.mixInto(mix, frames) > 0 && !s.muted) {
        active++;
      }
    }
    // Steady streams are mixed four at a time: one read-modify-write of the mix per four
    // streams instead of per stream, which is most of the per-sample cost.
    let k = 0;
    for (; k + 3 < nf; k += 4) {
      mixFour(
        mix,
        n,
        fast[k]!,
        fast[k + 1]!,
        fast[k + 2]!,
        fast[k + 3]!,
        fastOff,
        k,
        frames,
      );
    }
    for (; k < nf; k++) mixOne(mix, n, fast[k]!, fastOff[k]!, frames);
    if (active === 0) this.underruns++;
    const scale = this.mode === 'average' && active > 1 ? 1 / active : 1;
    const m0 = this.appliedMaster;
    const m1 = this.masterVolume;
    this.appliedMaster = m1;
    const dm = frames > 0 ? (m1 - m0) / frames : 0;
    let ss = 0;
    let pk = 0;
    let limited = 0;
    for (let f = 0, i = 0; f < frames; f++) {
      const g = (m0 + dm * (f + 1)) * scale;
      for (let c = 0; c < ch; c++, i++) {
        let x = mix[i]! * g;
        // Soft limiter inlined (see limiter.ts) to keep the per-sample loop call-free.
        if (x > KNEE) {
          x = KNEE + HEADROOM * Math.tanh((x - KNEE) / HEADROOM);
          limited++;
        } else if (x < -KNEE) {
          x = -KNEE - HEADROOM * Math.tanh((-x - KNEE) / HEADROOM);
          limited++;
        } else if (x !== x) {
          x = 0;
        }
        mix[i] = x;
        ss += x * x;
        const a = x < 0 ? -x : x;
        if (a > pk) pk = a;
      }
    }
    this.limitedSamples += limited;
    this.framesOut += frames;
    this.meter.sumSquares = ss;
    this.meter.peak = pk;
    this.meter.commit(n, frames);
    return mix;
  }

  /** Counters and levels (allocates a snapshot; call it for metrics/VU, not per sample). */
  getMetrics(): MixerMetrics {
    const streams: StreamMetrics[] = [];
    for (const s of this.streams) {
      streams.push({
        id: s.id,
        label: s.label,
        volume: s.volume,
        muted: s.muted,
        state: s.playing ? 'playing' : 'buffering',
        framesIn: s.framesIn,
        framesOut: s.framesOut,
        underruns: s.underruns,
        overruns: s.overruns,
        droppedFrames: s.droppedFrames,
        bufferedMs: (s.count * 1000) / this.sampleRate,
        targetMs: (s.targetFrames * 1000) / this.sampleRate,
        level: s.meter.reading(),
      });
    }
    return {
      sampleRate: this.sampleRate,
      channels: this.channels,
      masterVolume: this.masterVolume,
      framesOut: this.framesOut,
      underruns: this.underruns,
      limitedSamples: this.limitedSamples,
      streamCount: streams.length,
      level: this.meter.reading(),
      streams,
    };
  }
}

/** Lowest linear gain a stream or the master accepts (silence). */
export const MIN_VOLUME = 0;

/** Highest linear gain a stream or the master accepts (+6 dB; 1 = unchanged). */
export const MAX_VOLUME = 2;

function checkVolume(what: string, volume: number): number {
  if (typeof volume !== 'number' || !(volume >= MIN_VOLUME && volume <= MAX_VOLUME)) {
    throw new InvalidVolumeError(
      `${what} must be a linear gain between ${MIN_VOLUME} and ${MAX_VOLUME} (1 = unchanged), got ${String(volume)}`,
    );
  }
  return volume;
}

function requireRange(name: string, value: number, min: number, max: number): void {
  if (typeof value !== 'number' || !(value >= min && value <= max)) {
    throw new InvalidOptionError(
      `AudioMixer option ${name} must be between ${min} and ${max}, got ${String(value)}`,
    );
  }
}

function requireInt(name: string, value: number, min: number, max: number): void {
  requireRange(name, value, min, max);
  if (!Number.isInteger(value)) {
    throw new InvalidOptionError(`AudioMixer option ${name} must be an integer, got ${value}`);
  }
}
