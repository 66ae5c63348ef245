/** The output handler: speakers (PortAudio) or a null/wav/stdout backend, with the host mixer. */
import type { MixerMetrics } from '@alto/mixer-core';
import { HostedHandler, type HandlerMetrics, type HandlerOptions } from './handler.js';
import type { HostProcess } from './host-process.js';
import type { HostReply, HostRequest } from './protocol.js';
import { RemoteMixer } from './remote-mixer.js';
import { parseOutputSpec, type DeviceSpec, type OutputSink } from './spec.js';
import { recoverPartialWav } from './wav.js';
import { ADAPTIVE_JITTER_FLOOR_MS } from './jitter-floor.js';

/** The per-stream jitter buffer target, ms, of a fixed output (`outputQueue` given, or a file/null backend) when no target is given. */
export const DEFAULT_JITTER_BUFFER_MS = 40;

/** Options of {@link openAudioOutput}. */
export interface AudioOutputOptions extends HandlerOptions {
  /** Mix rate. Default 48000 (devices that cannot are resampled). */
  readonly sampleRate?: number;
  /** Channels of the mix and of every stream, interleaved. Default 1. */
  readonly channels?: number;
  /**
   * Per-stream jitter buffer target in the mixer, fixed. Without it (and without `outputQueue`)
   * a sound device's receive path has one adaptive budget (`wav:`, `raw:` and `null` outputs
   * keep a fixed 40 ms): each stream's target follows the jitter it shows (starting at 30 ms,
   * 30..150 ms) and the audio written ahead of PortAudio follows the audio host's measured
   * scheduling slack (chunks of 1..4 blocks, written 4..10 ms before the device needs them at
   * one block); both grow at once on a gap and shrink slowly while gaps stay away.
   */
  readonly targetLatencyMs?: number;
  /** Per-stream buffer bound in the mixer. Default 200 ms. */
  readonly maxLatencyMs?: number;
  /**
   * 10 ms chunks queued ahead of PortAudio, fixed: latency vs. robustness on a loaded machine.
   * 4 when only `targetLatencyMs` is given (2 underran a few times per minute on a busy 2-core
   * box; see the README); adaptive when neither is.
   */
  readonly outputQueue?: number;
  /** A master insert on the mix, run in the host before the device write: `'radio'` = mixer-core's RadioFilter. */
  readonly outputFilter?: 'radio';
}

/** Output metrics: device counters plus the host mixer's latest snapshot. */
export interface AudioOutputMetrics extends HandlerMetrics {
  readonly mixer: MixerMetrics;
}

/**
 * Plays the mix of its {@link AudioOutput.mixer} at the device's pace; silence when nobody talks.
 * Events: `error` (followed by an automatic reopen), `reopened`, `fallback` (now playing through
 * the fallback device), `restored` (back on the chosen device).
 */
export class AudioOutput extends HostedHandler {
  /** The parsed spec. */
  readonly sink: OutputSink;
  /** Feed per-participant audio here; it is mixed in the audio host. */
  readonly mixer: RemoteMixer;
  private readonly targetLatencyMs: number;
  private readonly maxLatencyMs: number;
  private readonly outputQueue: number;
  private readonly adaptive: boolean;
  private readonly outputFilter: 'radio' | undefined;
  private lastFrames = -1;

  constructor(spec: DeviceSpec, options: AudioOutputOptions = {}) {
    const sink = parseOutputSpec(spec);
    super('output', options, options.sampleRate ?? 48_000, options.channels ?? 1, sink.kind === 'raw' ? 1 : undefined);
    this.sink = sink;
    this.mixer = new RemoteMixer(this.sampleRate, this.channels);
    // Only a sound device has a delay worth trading for: a recording, a pipe or the null sink
    // keep the fixed buffers, where a gap would be kept forever and latency is nobody's concern.
    this.adaptive = sink.kind === 'device' && options.targetLatencyMs === undefined && options.outputQueue === undefined;
    this.targetLatencyMs = options.targetLatencyMs ?? (this.adaptive ? ADAPTIVE_JITTER_FLOOR_MS : DEFAULT_JITTER_BUFFER_MS);
    this.maxLatencyMs = options.maxLatencyMs ?? 200;
    this.outputQueue = options.outputQueue ?? 4;
    this.outputFilter = options.outputFilter;
  }

  /**
   * Stops playing. A `wav:` recording is complete afterwards even when the host had to be
   * killed before it could finalise the file (a loaded machine, a hung device).
   */
  override async stop(): Promise<void> {
    await super.stop();
    if (this.sink.kind === 'wav' && recoverPartialWav(this.sink.path, this.sink.exclusive)) {
      this.logger.warn('finalised a recording the audio host left unfinished', { path: this.sink.path });
    }
  }

  /** Current counters and the mixer snapshot. */
  metrics(): AudioOutputMetrics {
    return { ...this.baseMetrics(), mixer: this.mixer.getMetrics() };
  }

  protected chosenDevice(): number | string | undefined {
    return this.sink.kind === 'device' ? this.sink.device : undefined;
  }

  protected openRequest(device?: number | string): HostRequest {
    return {
      t: 'open-output',
      sink: device === undefined ? this.sink : { kind: 'device', device },
      sampleRate: this.sampleRate,
      channels: this.channels,
      targetLatencyMs: this.targetLatencyMs,
      maxLatencyMs: this.maxLatencyMs,
      outputQueue: this.outputQueue,
      ...(this.adaptive ? { adaptive: true } : {}),
      ...(this.outputFilter === undefined ? {} : { outputFilter: this.outputFilter }),
    };
  }

  protected attach(host: HostProcess): void {
    this.lastFrames = -1;
    // Frames of many streams arrive in bursts (the SDK delivers every stream's 10 ms together):
    // corking until the end of this turn of the event loop sends a burst as one writev instead
    // of one syscall per frame, which was the listener's largest JS cost in a room of ten.
    const pipe = host.audioOut;
    let corked = false;
    const uncork = (): void => {
      corked = false;
      pipe.uncork();
    };
    this.mixer.connect((frame) => {
      if (!corked) {
        corked = true;
        pipe.cork();
        setImmediate(uncork);
      }
      pipe.write(frame);
    });
  }

  protected detach(): void {
    this.mixer.connect(undefined);
  }

  protected onMetrics(reply: Extract<HostReply, { t: 'metrics' }>): void {
    if (reply.mixer) this.mixer.update(reply.mixer);
    // The device consuming blocks is the output's heartbeat.
    if (reply.device.frames !== this.lastFrames) {
      this.lastFrames = reply.device.frames;
      this.progress();
    }
  }
}

/**
 * Opens an output (not started yet: call `start()`).
 * @param spec 'default', a device index, part of a device name, 'null', 'wav:<path>' or
 *   'raw:-' (s16le on stdout)
 */
export function openAudioOutput(spec: DeviceSpec, options: AudioOutputOptions = {}): AudioOutput {
  return new AudioOutput(spec, options);
}
