import { AudioProcessor } from '@alto/livekit-net';
import { floatSampleToInt16, type AudioProcessorPlugin, type Logger } from '@alto/mixer-core';
import { FarEndAccumulator } from './voice-far-end.js';

/** The WebRTC voice processing stages applied to the microphone. */
export interface VoiceOptions {
  /** Remove the speakers' sound from the microphone. Needs real speakers to matter. */
  readonly echoCancellation?: boolean;
  readonly noiseSuppression?: boolean;
  /** Remove rumble below ~80 Hz. */
  readonly highPassFilter?: boolean;
  readonly autoGainControl?: boolean;
}

/** True if any stage is on. */
export function voiceProcessingEnabled(options: VoiceOptions | undefined): boolean {
  return !!(options && (options.echoCancellation || options.noiseSuppression || options.highPassFilter || options.autoGainControl));
}

/** How often the stream delay is re-read from the devices, in 10 ms frames. */
const DELAY_REFRESH_FRAMES = 100;

/**
 * Voice processing as a microphone insert: each 10 ms microphone frame is preceded by one
 * 10 ms far-end frame (remote audio as it entered the mixer, see {@link FarEndAccumulator}),
 * then processed in place by the native WebRTC module. The stream delay (mixer buffering +
 * output latency + input latency) comes from `delayMs()` and is refreshed every second, since
 * device latencies are only known once the devices run.
 */
export class VoiceProcessing implements AudioProcessorPlugin {
  readonly name = 'voice';
  readonly #apm: AudioProcessor;
  readonly #farEnd: FarEndAccumulator;
  readonly #reverse: Int16Array;
  readonly #chunk: Int16Array;
  readonly #delayMs: () => number;
  readonly #logger: Logger;
  #frames = 0;
  #appliedDelayMs = -1;
  #failed = false;

  constructor(options: VoiceOptions, format: { sampleRate: number; channels: 1 | 2 }, delayMs: () => number, logger: Logger) {
    this.#apm = AudioProcessor.create({ ...options, sampleRate: format.sampleRate, channels: format.channels });
    this.#farEnd = new FarEndAccumulator(format.sampleRate * format.channels);
    this.#reverse = new Int16Array(this.#apm.frameSamples);
    this.#chunk = new Int16Array(this.#apm.frameSamples);
    this.#delayMs = delayMs;
    this.#logger = logger;
    this.#refreshDelay();
  }

  /** The stages in use. */
  get options(): AudioProcessor['options'] {
    return this.#apm.options;
  }

  /** The stream delay last given to the echo canceller, ms. */
  get streamDelayMs(): number {
    return this.#appliedDelayMs;
  }

  /** Feeds remote audio as it enters the mixer (the far-end reference). */
  feedFarEnd(streamId: string, samples: Int16Array): void {
    this.#farEnd.add(streamId, samples);
  }

  /** Forgets a remote stream (its track ended). */
  removeFarEnd(streamId: string): void {
    this.#farEnd.remove(streamId);
  }

  /** Processes microphone audio in place: any whole number of 10 ms frames, int16 or float. */
  process(block: Float32Array | Int16Array): void {
    if (this.#failed) return;
    const n = this.#chunk.length;
    try {
      if (block instanceof Int16Array && block.length === n) {
        this.#processFrame(block);
        return;
      }
      const chunk = this.#chunk;
      for (let start = 0; start + n <= block.length; start += n) {
        if (block instanceof Int16Array) {
          for (let i = 0; i < n; i++) chunk[i] = block[start + i] ?? 0;
          this.#processFrame(chunk);
          for (let i = 0; i < n; i++) block[start + i] = chunk[i] ?? 0;
        } else {
          for (let i = 0; i < n; i++) chunk[i] = floatSampleToInt16(block[start + i] ?? 0);
          this.#processFrame(chunk);
          for (let i = 0; i < n; i++) block[start + i] = (chunk[i] ?? 0) / 32768;
        }
      }
    } catch (error) {
      // A native failure must not take the microphone down: send unprocessed audio and say so once.
      this.#failed = true;
      this.#logger.error('voice processing failed; sending the microphone unprocessed', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  #processFrame(frame: Int16Array): void {
    this.#farEnd.readInto(this.#reverse);
    this.#apm.processReverseStream(this.#reverse);
    if (++this.#frames % DELAY_REFRESH_FRAMES === 0) this.#refreshDelay();
    this.#apm.processStream(frame);
  }

  #refreshDelay(): void {
    if (!this.#apm.options.echoCancellation) return;
    const ms = Math.round(this.#delayMs());
    if (Math.abs(ms - this.#appliedDelayMs) < 5) return;
    this.#apm.setStreamDelayMs(ms);
    this.#appliedDelayMs = ms;
    this.#logger.debug('echo canceller stream delay', { delayMs: ms });
  }

  /** Releases the native module. */
  dispose(): void {
    this.#apm.dispose();
  }
}
