import { AudioMixer, type MixerSink } from '@alto/mixer-core';
import type { DeviceComponentEvents, InputComponent, InputComponentEvents, OutputComponent } from '@alto/orchestrator';
import { EventEmitter } from 'node:events';
import { nowMs } from './report.js';

/** Fills `out` (a fresh frame) for frame number `index`; the frame covers [start, start+frameMs). */
export type FrameGenerator = (index: number, out: Int16Array, startMs: number) => void;

/**
 * An input that produces frames paced in real time from a monotonic clock: frame k covers
 * [t0 + k·frameMs, t0 + (k+1)·frameMs) and is emitted once that span has elapsed, as a capture
 * device would. A late timer emits every due frame at once (no drift). Runs in the calling
 * process, so bots need no device host and a click's send time is known exactly.
 */
export class PacedInput extends EventEmitter<InputComponentEvents> implements InputComponent {
  private timer: NodeJS.Timeout | undefined;
  private t0 = 0;
  private frames = 0;
  /** Emit time (monotonic ms) of the last frame, for the capture stage of the latency breakdown. */
  lastEmitMs = 0;

  constructor(
    private readonly frameSamples: number,
    private readonly frameMs: number,
    private readonly generate: FrameGenerator,
  ) {
    super();
  }

  start(): Promise<void> {
    this.t0 = nowMs();
    this.schedule();
    return Promise.resolve();
  }

  private schedule(): void {
    const due = this.t0 + (this.frames + 1) * this.frameMs;
    this.timer = setTimeout(() => this.tick(), Math.max(0, due - nowMs()));
  }

  private tick(): void {
    const now = nowMs();
    while (this.t0 + (this.frames + 1) * this.frameMs <= now) {
      const frame = new Int16Array(this.frameSamples);
      this.generate(this.frames, frame, this.t0 + this.frames * this.frameMs);
      this.frames++;
      this.lastEmitMs = nowMs();
      this.emit('frame', frame);
    }
    if (this.timer !== undefined) this.schedule();
  }

  stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    return Promise.resolve();
  }

  metrics() {
    return { framesCaptured: this.frames, overflows: 0, errors: 0, levelDbfs: -20 };
  }
}

/** A sine generator for bots: each bot gets its own frequency, continuous phase, -20 dBFS. */
export function toneGenerator(hz: number, sampleRate = 48_000): FrameGenerator {
  let phase = 0;
  const step = (2 * Math.PI * hz) / sampleRate;
  return (_index, out) => {
    for (let i = 0; i < out.length; i++) {
      out[i] = Math.round(3277 * Math.sin(phase));
      phase += step;
    }
    phase %= 2 * Math.PI;
  };
}

/** Called with each block as it leaves the output: the block, when it was handed over, and its index. */
export type BlockListener = (block: Int16Array, handedMs: number, index: number) => void;

/** Options of {@link PulledOutput}. */
export interface PulledOutputOptions {
  readonly frameMs: number;
  readonly targetLatencyMs: number;
  /** Blocks the modelled device holds ahead of playback (1 = each block handed over just in time). */
  readonly queueBlocks: number;
  readonly sampleRate?: number;
  readonly onBlock?: BlockListener;
}

/**
 * The naive single-process output: an in-process AudioMixer pulled by a timer on the main event
 * loop, writing to a modelled device that consumes one block every `frameMs` and holds at most
 * `queueBlocks`. When the timer is late and the device has nothing queued, the missed blocks
 * count as underruns (an audible gap on a real device) — the same thing the device host counts.
 */
export class PulledOutput extends EventEmitter<DeviceComponentEvents> implements OutputComponent {
  readonly mixer: AudioMixer;
  private readonly block: Int16Array;
  private timer: NodeJS.Timeout | undefined;
  private t0 = 0;
  private written = 0;
  private late = 0;

  constructor(private readonly options: PulledOutputOptions) {
    super();
    const sampleRate = options.sampleRate ?? 48_000;
    this.mixer = new AudioMixer({ sampleRate, frameMs: options.frameMs, targetLatencyMs: options.targetLatencyMs });
    this.block = new Int16Array(this.mixer.blockFrames);
  }

  start(): Promise<void> {
    this.t0 = nowMs();
    this.timer = setInterval(() => this.pump(), Math.max(1, Math.floor(this.options.frameMs / 5)));
    return Promise.resolve();
  }

  private pump(): void {
    const now = nowMs();
    const playing = Math.floor((now - this.t0) / this.options.frameMs);
    if (this.written < playing) {
      this.late += playing - this.written;
      this.written = playing;
    }
    while (this.written < playing + this.options.queueBlocks) {
      this.mixer.readInto(this.block);
      this.options.onBlock?.(this.block, now, this.written);
      this.written++;
    }
  }

  /** Monotonic time at which the device starts playing block `index`. */
  blockStartMs(index: number): number {
    return this.t0 + index * this.options.frameMs;
  }

  stop(): Promise<void> {
    clearInterval(this.timer);
    return Promise.resolve();
  }

  metrics(): { framesPlayed: number; underruns: number } {
    return { framesPlayed: this.written, underruns: this.late };
  }
}

/** An output for bots that never play: the mixer exists (the client needs one) but nothing reads it. */
export class DiscardOutput extends EventEmitter<DeviceComponentEvents> implements OutputComponent {
  readonly mixer = new AudioMixer({ maxLatencyMs: 100 });
  start(): Promise<void> {
    return Promise.resolve();
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }
  metrics(): { framesPlayed: number; underruns: number } {
    return { framesPlayed: 0, underruns: 0 };
  }
}

/** Wraps a mixer so every `addAudioData` is also shown to `spy` first (arrival times at B). */
export function spyMixer(inner: MixerSink, spy: (id: string, samples: Int16Array) => void): MixerSink {
  return {
    addStream: (id, o) => inner.addStream(id, o),
    removeStream: (id) => inner.removeStream(id),
    hasStream: (id) => inner.hasStream(id),
    addAudioData: (id, samples) => {
      spy(id, samples);
      inner.addAudioData(id, samples);
    },
    setStreamVolume: (id, v) => inner.setStreamVolume(id, v),
    setStreamMuted: (id, m) => inner.setStreamMuted(id, m),
    setMasterVolume: (v) => inner.setMasterVolume(v),
    getMetrics: () => inner.getMetrics(),
  };
}
