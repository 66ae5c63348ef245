/** The input handler: microphone (PortAudio) or a file/tone/silence/stdin backend. */
import { ownedCopy } from './convert.js';
import { FrameDecoder } from './framing.js';
import { HostedHandler, type HandlerEvents, type HandlerMetrics, type HandlerOptions } from './handler.js';
import type { HostProcess } from './host-process.js';
import type { HostReply, HostRequest } from './protocol.js';
import { parseInputSpec, type DeviceSpec, type InputSource } from './spec.js';

/** Options of {@link openAudioInput}. */
export interface AudioInputOptions extends HandlerOptions {
  /** Rate of the delivered frames. Default 48000 (devices that cannot are resampled). */
  readonly sampleRate?: number;
  /** Channels of the delivered frames, interleaved. Default 1. */
  readonly channels?: number;
  /** Capture format asked of PortAudio; frames are always int16. Default 'int16'. */
  readonly sampleFormat?: 'int16' | 'float32';
  /** Loop a `wav:` input (same as appending `?loop`). */
  readonly loop?: boolean;
  /** Called with every frame, like the 'frame' event. */
  readonly onFrame?: (frame: Int16Array) => void;
}

/** Events of an {@link AudioInput}: every handler's, plus each frame. */
export interface AudioInputEvents extends HandlerEvents {
  /** An exact 10 ms frame; a fresh array the listener may keep. */
  frame: [frame: Int16Array];
}

/** Input metrics: counters plus how many frames the parent received. */
export type AudioInputMetrics = HandlerMetrics;

/**
 * Delivers exact 10 ms int16 frames (sampleRate/100 × channels samples, interleaved). Each frame
 * is a fresh Int16Array that owns its buffer from offset 0 (the LiveKit SDK ignores offsets).
 *
 * Events: `frame` (Int16Array), `error` ({@link DeviceIoError}; followed by an automatic reopen),
 * `reopened`, `fallback` (now recording from the fallback device), `restored` (back on the chosen
 * device).
 */
export class AudioInput extends HostedHandler<AudioInputEvents> {
  /** The parsed spec. */
  readonly source: InputSource;
  private readonly sampleFormat: 'int16' | 'float32';
  private readonly onFrame: ((frame: Int16Array) => void) | undefined;
  private framesReceived = 0;

  constructor(spec: DeviceSpec, options: AudioInputOptions = {}) {
    const source = parseInputSpec(spec, options.loop ?? false);
    super('input', options, options.sampleRate ?? 48_000, options.channels ?? 1, source.kind === 'raw' ? 0 : undefined);
    this.source = source;
    this.sampleFormat = options.sampleFormat ?? 'int16';
    this.onFrame = options.onFrame;
  }

  /** Current counters. `frames` counts frames the parent received. */
  metrics(): AudioInputMetrics {
    return { ...this.baseMetrics(), frames: this.framesReceived };
  }

  protected chosenDevice(): number | string | undefined {
    return this.source.kind === 'device' ? this.source.device : undefined;
  }

  protected openRequest(device?: number | string): HostRequest {
    return {
      t: 'open-input',
      source: device === undefined ? this.source : { kind: 'device', device },
      sampleRate: this.sampleRate,
      channels: this.channels,
      sampleFormat: this.sampleFormat,
    };
  }

  protected attach(host: HostProcess): void {
    const decoder = new FrameDecoder({
      audio: (_index, samples) => {
        const frame = ownedCopy(samples);
        this.framesReceived++;
        this.progress();
        this.onFrame?.(frame);
        this.emit('frame', frame);
      },
      command: () => {},
    });
    host.audioIn.on('data', (chunk: Buffer) => {
      if (this.host === host) decoder.push(chunk);
    });
  }

  protected detach(): void {}

  protected onMetrics(_reply: Extract<HostReply, { t: 'metrics' }>): void {}
}

/**
 * Opens an input (not started yet: call `start()`).
 * @param spec 'default', a device index, part of a device name, 'tone:<hz>', 'silence',
 *   'wav:<path>' (append '?loop' to loop) or 'raw:-' (s16le on stdin)
 */
export function openAudioInput(spec: DeviceSpec, options: AudioInputOptions = {}): AudioInput {
  return new AudioInput(spec, options);
}
