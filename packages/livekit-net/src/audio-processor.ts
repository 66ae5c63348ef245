import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AudioProcessingError } from './errors.js';

/** Which stages of the WebRTC audio processing module to enable. All default to false. */
export interface AudioProcessorOptions {
  /** Acoustic echo cancellation (needs the reverse stream and a stream delay). */
  readonly echoCancellation?: boolean;
  readonly noiseSuppression?: boolean;
  readonly highPassFilter?: boolean;
  readonly autoGainControl?: boolean;
  /** Default 48000. The module works on 10 ms frames at this rate. */
  readonly sampleRate?: number;
  /** 1 or 2 (interleaved). Default 1. */
  readonly channels?: 1 | 2;
}

// Minimal shapes of the SDK's internal bindings: the package is internal to @livekit/rtc-node,
// so we reach it through the SDK's own resolution and declare only what we call.
interface ProtoMessage {
  toBinary(): Uint8Array;
}
interface FfiRequestCtor {
  new (init: { message: { case: string; value: Record<string, unknown> } }): ProtoMessage;
}
interface FfiResponseStatic {
  fromBinary(bytes: Uint8Array): { message: { case: string | undefined; value?: unknown } };
}
interface FfiHandleCtor {
  new (handle: bigint): { dispose(): void };
}
interface Bindings {
  FfiRequest: FfiRequestCtor;
  FfiResponse: FfiResponseStatic;
  FfiHandle: FfiHandleCtor;
  livekitFfiRequest(data: Uint8Array): Uint8Array;
  livekitRetrievePtr(data: Uint8Array): bigint;
}
interface FfiClientLike {
  request<T>(req: { message: { case: string; value: Record<string, unknown> } }): T;
}

let bindingsCache: Bindings | undefined;

/** Loads the native bindings and makes sure the SDK's FFI client (the native runtime) is initialised. */
function nativeBindings(): Bindings {
  if (bindingsCache) return bindingsCache;
  const require = createRequire(import.meta.url);
  const sdkEntry = require.resolve('@livekit/rtc-node');
  const sdkRequire = createRequire(sdkEntry);
  const bindings = sdkRequire('@livekit/rtc-ffi-bindings') as Bindings;
  if (!globalThis._ffiClientInstance) {
    // The SDK creates its FFI client lazily (first room, source or resampler). Offline users of
    // the APM need it too; its CJS module stores the singleton on globalThis, shared with the ESM build.
    const mod = sdkRequire(join(dirname(sdkEntry), 'ffi_client.cjs')) as { FfiClient: { instance: unknown } };
    void mod.FfiClient.instance;
  }
  bindingsCache = bindings;
  return bindings;
}

const FRAME_MS = 10;
/** A success response: a 2-byte tag for the oneof field (50/51) plus a zero length. */
const EMPTY_RESPONSE_BYTES = 3;

/**
 * The WebRTC audio processing module of LiveKit's native layer (echo cancellation, noise
 * suppression, high-pass filter, automatic gain control), driven through the raw FFI request
 * API: the Node SDK has no wrapper. Works in place on 10 ms int16 frames.
 *
 * Steady state allocates nothing in JS beyond the native call's small response: each frame is
 * copied into a preallocated buffer whose native address is taken once, and the request bytes
 * (handle, pointer, size, rate, channels never change) are encoded once at creation.
 */
export class AudioProcessor {
  /** Samples per 10 ms frame, all channels (480 mono, 960 stereo at 48 kHz). */
  readonly frameSamples: number;
  readonly sampleRate: number;
  readonly channels: 1 | 2;
  readonly options: Readonly<Required<Omit<AudioProcessorOptions, 'sampleRate' | 'channels'>>>;
  readonly #bindings: Bindings;
  readonly #handle: { dispose(): void };
  readonly #handleId: bigint;
  readonly #forward: Int16Array;
  readonly #reverse: Int16Array;
  readonly #forwardRequest: Uint8Array;
  readonly #reverseRequest: Uint8Array;
  #disposed = false;

  private constructor(options: AudioProcessorOptions) {
    this.sampleRate = options.sampleRate ?? 48_000;
    this.channels = options.channels ?? 1;
    if (!Number.isInteger(this.sampleRate) || this.sampleRate % 100 !== 0 || this.sampleRate <= 0) {
      throw new AudioProcessingError(`sampleRate must be a positive multiple of 100 Hz, got ${this.sampleRate}`);
    }
    this.options = {
      echoCancellation: options.echoCancellation ?? false,
      noiseSuppression: options.noiseSuppression ?? false,
      highPassFilter: options.highPassFilter ?? false,
      autoGainControl: options.autoGainControl ?? false,
    };
    this.frameSamples = (this.sampleRate * FRAME_MS * this.channels) / 1000;
    let bindings: Bindings;
    try {
      bindings = nativeBindings();
    } catch (error) {
      throw new AudioProcessingError('The LiveKit native layer could not be loaded: reinstall @livekit/rtc-node', { cause: error });
    }
    this.#bindings = bindings;
    const client = globalThis._ffiClientInstance as FfiClientLike | undefined;
    if (!client) throw new AudioProcessingError('The LiveKit native layer is not initialised');
    let response: { apm?: { handle?: { id?: bigint } } };
    try {
      response = client.request({
        message: {
          case: 'newApm',
          value: {
            echoCancellerEnabled: this.options.echoCancellation,
            gainControllerEnabled: this.options.autoGainControl,
            highPassFilterEnabled: this.options.highPassFilter,
            noiseSuppressionEnabled: this.options.noiseSuppression,
          },
        },
      });
    } catch (error) {
      throw new AudioProcessingError('The native layer refused to create an audio processing module', { cause: error });
    }
    const id = response.apm?.handle?.id;
    if (id === undefined) throw new AudioProcessingError('The native layer returned no audio processing module handle');
    this.#handleId = id;
    this.#handle = new bindings.FfiHandle(id);
    // Buffers own their ArrayBuffer from offset 0: the native side reads from the pointer we give.
    this.#forward = new Int16Array(this.frameSamples);
    this.#reverse = new Int16Array(this.frameSamples);
    this.#forwardRequest = this.#encode('apmProcessStream', this.#forward);
    this.#reverseRequest = this.#encode('apmProcessReverseStream', this.#reverse);
  }

  /** Creates a processor. Throws {@link AudioProcessingError} if the native layer is unavailable. */
  static create(options: AudioProcessorOptions = {}): AudioProcessor {
    return new AudioProcessor(options);
  }

  #encode(kind: 'apmProcessStream' | 'apmProcessReverseStream', buffer: Int16Array): Uint8Array {
    const ptr = this.#bindings.livekitRetrievePtr(new Uint8Array(buffer.buffer));
    return new this.#bindings.FfiRequest({
      message: {
        case: kind,
        value: {
          apmHandle: this.#handleId,
          dataPtr: ptr,
          size: buffer.byteLength,
          sampleRate: this.sampleRate,
          numChannels: this.channels,
        },
      },
    }).toBinary();
  }

  /**
   * Processes one 10 ms near-end (microphone) frame in place: echo removed, noise suppressed,
   * and so on. `frame.length` must equal {@link frameSamples}.
   */
  processStream(frame: Int16Array): void {
    this.#run(frame, this.#forward, this.#forwardRequest, true);
  }

  /**
   * Feeds one 10 ms far-end frame: what the speakers play. The echo canceller learns from it;
   * the frame itself is left unchanged.
   */
  processReverseStream(frame: Int16Array): void {
    this.#run(frame, this.#reverse, this.#reverseRequest, false);
  }

  /**
   * Tells the echo canceller how long after being fed as reverse stream a sound reaches the
   * microphone frame it shows up in: output buffering + device output latency + acoustic path +
   * device input latency. WebRTC accepts 0..500 ms; values are clamped.
   */
  setStreamDelayMs(delayMs: number): void {
    this.#assertLive();
    const ms = Math.max(0, Math.min(500, Math.round(delayMs)));
    const client = globalThis._ffiClientInstance as FfiClientLike | undefined;
    if (!client) throw new AudioProcessingError('The LiveKit native layer was shut down');
    const response = client.request<{ error?: string }>({
      message: { case: 'apmSetStreamDelay', value: { apmHandle: this.#handleId, delayMs: ms } },
    });
    if (response.error) throw new AudioProcessingError(`Setting the stream delay failed: ${response.error}`);
  }

  /** Releases the native module; further calls throw. Safe to call twice. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#handle.dispose();
  }

  #assertLive(): void {
    if (this.#disposed) throw new AudioProcessingError('This AudioProcessor was disposed');
  }

  #run(frame: Int16Array, buffer: Int16Array, request: Uint8Array, copyBack: boolean): void {
    this.#assertLive();
    if (frame.length !== this.frameSamples) {
      throw new AudioProcessingError(
        `A frame must hold 10 ms: ${this.frameSamples} samples at ${this.sampleRate} Hz × ${this.channels} channel(s), got ${frame.length}`,
      );
    }
    buffer.set(frame);
    const response = this.#bindings.livekitFfiRequest(request);
    // A success is an empty response message; decode only when it carries an error.
    if (response.length > EMPTY_RESPONSE_BYTES) {
      const decoded = this.#bindings.FfiResponse.fromBinary(response).message.value as { error?: string } | undefined;
      if (decoded?.error) throw new AudioProcessingError(`Audio processing failed: ${decoded.error}`);
    }
    if (copyBack) frame.set(buffer);
  }
}
