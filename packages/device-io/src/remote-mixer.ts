/** The parent's view of the mixer that lives in the audio host next to the output device. */
import { InvalidSamplesError, InvalidVolumeError, MAX_VOLUME, MIN_VOLUME, type MixerMetrics, type MixerSink, type StreamOptions } from '@alto/mixer-core';
import { encodeAudioFrame, encodeCommandFrame } from './framing.js';
import type { MixerCommand } from './protocol.js';

interface StreamState {
  readonly index: number;
  volume: number;
  muted: boolean;
  label: string | undefined;
}

function checkVolume(what: string, volume: number): void {
  if (typeof volume !== 'number' || !(volume >= MIN_VOLUME && volume <= MAX_VOLUME)) {
    throw new InvalidVolumeError(`${what} must be a linear gain between ${MIN_VOLUME} and ${MAX_VOLUME} (1 = unchanged), got ${String(volume)}`);
  }
}

/**
 * A {@link MixerSink} whose calls travel (in order, with the audio) over the binary pipe to the
 * host's `AudioMixer`. It remembers streams and volumes so a reopened host gets them back.
 * `getMetrics()` returns the latest snapshot the host pushed (~10 per second).
 */
export class RemoteMixer implements MixerSink {
  private readonly streams = new Map<string, StreamState>();
  private masterVolume = 1;
  private nextIndex = 1;
  private writer: ((frame: Buffer) => void) | undefined;
  private latest: MixerMetrics;

  constructor(
    readonly sampleRate: number,
    readonly channels: number,
  ) {
    this.latest = {
      sampleRate,
      channels,
      masterVolume: 1,
      framesOut: 0,
      underruns: 0,
      limitedSamples: 0,
      streamCount: 0,
      level: { peakDbfs: -120, rmsDbfs: -120, speaking: false },
      streams: [],
    };
  }

  addStream(id: string, options: StreamOptions = {}): void {
    if (options.volume !== undefined) checkVolume('stream volume', options.volume);
    let s = this.streams.get(id);
    if (!s) {
      s = { index: this.allocateIndex(), volume: 1, muted: false, label: undefined };
      this.streams.set(id, s);
    }
    if (options.volume !== undefined) s.volume = options.volume;
    if (options.muted !== undefined) s.muted = options.muted;
    if (options.label !== undefined) s.label = options.label;
    this.command({ op: 'add', id, index: s.index, options: this.optionsOf(s) });
  }

  removeStream(id: string): void {
    if (!this.streams.delete(id)) return;
    this.command({ op: 'remove', id });
  }

  hasStream(id: string): boolean {
    return this.streams.has(id);
  }

  addAudioData(id: string, samples: Int16Array): void {
    if (samples.length % this.channels !== 0) {
      throw new InvalidSamplesError(
        `addAudioData('${id}') got ${samples.length} samples, not a multiple of ${this.channels} channels; pass whole interleaved frames`,
      );
    }
    const s = this.streams.get(id);
    if (!s || !this.writer || samples.length === 0) return;
    this.writer(encodeAudioFrame(s.index, samples));
  }

  setStreamVolume(id: string, volume: number): void {
    checkVolume('stream volume', volume);
    const s = this.streams.get(id);
    if (!s) return;
    s.volume = volume;
    this.command({ op: 'volume', id, volume });
  }

  setStreamMuted(id: string, muted: boolean): void {
    const s = this.streams.get(id);
    if (!s) return;
    s.muted = muted;
    this.command({ op: 'mute', id, muted });
  }

  setMasterVolume(volume: number): void {
    checkVolume('master volume', volume);
    this.masterVolume = volume;
    this.command({ op: 'master', volume });
  }

  getMetrics(): MixerMetrics {
    return this.latest;
  }

  /** Connects to a (new) host and replays the streams and volumes. Internal. */
  connect(writer: ((frame: Buffer) => void) | undefined): void {
    this.writer = writer;
    if (!writer) return;
    writer(encodeCommandFrame({ op: 'master', volume: this.masterVolume } satisfies MixerCommand));
    for (const [id, s] of this.streams) {
      writer(encodeCommandFrame({ op: 'add', id, index: s.index, options: this.optionsOf(s) } satisfies MixerCommand));
    }
  }

  /** Stores the host's latest snapshot. Internal. */
  update(metrics: MixerMetrics): void {
    this.latest = metrics;
  }

  private optionsOf(s: StreamState): StreamOptions {
    return s.label === undefined ? { volume: s.volume, muted: s.muted } : { volume: s.volume, muted: s.muted, label: s.label };
  }

  private command(cmd: MixerCommand): void {
    this.writer?.(encodeCommandFrame(cmd));
  }

  private allocateIndex(): number {
    const used = new Set<number>();
    for (const s of this.streams.values()) used.add(s.index);
    for (let i = 0; i < 0xffff; i++) {
      const candidate = ((this.nextIndex + i - 1) % 0xffff) + 1;
      if (!used.has(candidate)) {
        this.nextIndex = candidate + 1;
        return candidate;
      }
    }
    throw new RangeError('more than 65535 mixer streams');
  }
}
