import {
  AudioFrame,
  AudioSource,
  LocalAudioTrack,
  TrackPublishOptions,
  TrackSource,
  type LocalParticipant,
  type LocalTrackPublication,
} from '@livekit/rtc-node';
import type { Logger } from '@alto/mixer-core';
import { PublishError } from './errors.js';
import { microphoneDenial, publishPermissionOf } from './publish-permission.js';
import { setLocalTrackMuted } from './sdk-runtime.js';

/** How the microphone is published. */
export interface MicrophoneOptions {
  /** Track name seen by others. Default 'microphone'. */
  readonly trackName?: string;
  /**
   * The native AudioSource queue in ms. Small is low latency; too small risks gaps when the
   * capture side jitters. Default {@link DEFAULT_SOURCE_QUEUE_MS} (see README for measurements).
   */
  readonly queueSizeMs?: number;
  /** Opus discontinuous transmission (saves bandwidth in silence). Default true. */
  readonly dtx?: boolean;
  /** Redundant audio encoding (robust to packet loss). Default true. */
  readonly red?: boolean;
  /**
   * Frames (of any size) waiting in JS for the SDK before the oldest is dropped. Bounds the
   * latency a stalled SDK can add. Default 5 (50 ms of 10 ms frames).
   */
  readonly maxPendingFrames?: number;
}

/**
 * Default native source queue: 0, the SDK's no-buffer path. Measured lowest latency with no drops;
 * with a real-time producer any queue that fills once (a stall) stays full, adding its size to the
 * latency for the rest of the call. See README "Source queue latency".
 */
export const DEFAULT_SOURCE_QUEUE_MS = 0;

/** Counters of the published microphone. */
export interface MicrophoneMetrics {
  /** Frames handed to the SDK successfully. */
  readonly framesSent: number;
  /** Frames dropped: not connected, pending queue overflow, or SDK errors. */
  readonly framesDropped: number;
  /** Audio waiting in the native source queue (SDK estimate), ms. */
  readonly sourceQueueMs: number;
  /** Frames waiting in JS for the SDK. */
  readonly pendingFrames: number;
  readonly muted: boolean;
  /** SID of the current publication, if published. */
  readonly trackSid: string | undefined;
}

/**
 * One published microphone: an AudioSource, its LocalAudioTrack and the publication. Frames are
 * captured strictly in order by a single pump; a bounded pending queue drops the oldest when
 * the SDK falls behind instead of accumulating latency.
 */
export class PublishedMicrophone {
  readonly #source: AudioSource;
  readonly #track: LocalAudioTrack;
  readonly #publication: LocalTrackPublication;
  readonly #channels: number;
  readonly #sampleRate: number;
  readonly #maxPending: number;
  readonly #logger: Logger;
  readonly #pending: AudioFrame[] = [];
  #pumping = false;
  #closed = false;
  #muted = false;
  #framesSent = 0;
  #framesDropped = 0;

  private constructor(
    source: AudioSource,
    track: LocalAudioTrack,
    publication: LocalTrackPublication,
    sampleRate: number,
    channels: number,
    maxPending: number,
    logger: Logger,
  ) {
    this.#source = source;
    this.#track = track;
    this.#publication = publication;
    this.#sampleRate = sampleRate;
    this.#channels = channels;
    this.#maxPending = maxPending;
    this.#logger = logger;
  }

  /** Creates the source and track and publishes them as the microphone. */
  static async publish(
    participant: LocalParticipant,
    sampleRate: number,
    channels: number,
    options: MicrophoneOptions,
    logger: Logger,
    startMuted = false,
  ): Promise<PublishedMicrophone> {
    const denial = microphoneDenial(publishPermissionOf(participant));
    if (denial) throw new PublishError(`Publishing the microphone failed: ${denial}`);
    const source = new AudioSource(sampleRate, channels, options.queueSizeMs ?? DEFAULT_SOURCE_QUEUE_MS);
    const track = LocalAudioTrack.createAudioTrack(options.trackName ?? 'microphone', source);
    const publishOptions = new TrackPublishOptions({
      source: TrackSource.SOURCE_MICROPHONE,
      dtx: options.dtx ?? true,
      red: options.red ?? true,
    });
    let publication: LocalTrackPublication;
    try {
      publication = await participant.publishTrack(track, publishOptions);
    } catch (error) {
      await track.close().catch(() => {});
      const reason = error instanceof Error ? error.message : String(error);
      throw new PublishError(`Publishing the microphone failed: the server did not accept the track (${reason})`, { cause: error });
    }
    const mic = new PublishedMicrophone(source, track, publication, sampleRate, channels, options.maxPendingFrames ?? 5, logger);
    if (startMuted) mic.setMuted(true);
    return mic;
  }

  /** SID of the publication. */
  get trackSid(): string | undefined {
    return this.#publication.sid;
  }

  /** Whether the track is muted. */
  get muted(): boolean {
    return this.#muted;
  }

  /**
   * Queues interleaved int16 samples for sending. The SDK reads frames from the start of their
   * ArrayBuffer whatever the view's offset, so the samples are always copied into an array that
   * owns its buffer. Returns false if the frame was dropped.
   */
  captureFrame(samples: Int16Array): boolean {
    if (this.#closed || samples.length === 0) return false;
    if (samples.length % this.#channels !== 0) {
      this.#framesDropped++;
      return false;
    }
    // A copy is required anyway: the caller may reuse its buffer before the async capture runs.
    const frame = new AudioFrame(new Int16Array(samples), this.#sampleRate, this.#channels, samples.length / this.#channels);
    if (this.#pending.length >= this.#maxPending) {
      this.#pending.shift();
      this.#framesDropped++;
    }
    this.#pending.push(frame);
    if (!this.#pumping) void this.#pump();
    return true;
  }

  async #pump(): Promise<void> {
    this.#pumping = true;
    try {
      let frame = this.#pending.shift();
      while (frame && !this.#closed) {
        try {
          await this.#source.captureFrame(frame);
          this.#framesSent++;
        } catch (error) {
          this.#framesDropped++;
          this.#logger.warn('microphone frame capture failed', { error: String(error) });
        }
        frame = this.#pending.shift();
      }
    } finally {
      this.#pumping = false;
    }
  }

  /** Mutes or unmutes the published track natively; others see trackMuted/trackUnmuted. */
  setMuted(muted: boolean): void {
    if (this.#closed) return;
    this.#muted = setLocalTrackMuted(this.#track, muted);
  }

  /** Current counters. */
  getMetrics(): MicrophoneMetrics {
    return {
      framesSent: this.#framesSent,
      framesDropped: this.#framesDropped,
      sourceQueueMs: this.#closed ? 0 : this.#source.queuedDuration,
      pendingFrames: this.#pending.length,
      muted: this.#muted,
      trackSid: this.#publication.sid,
    };
  }

  /** Frames sent and dropped so far, carried over to the next publication after a reconnect. */
  counters(): { framesSent: number; framesDropped: number } {
    return { framesSent: this.#framesSent, framesDropped: this.#framesDropped };
  }

  /**
   * Stops sending and releases the source and track. `unpublish` is skipped when the room is
   * already gone. Clears the native queue first: closing with captures in flight can throw.
   */
  async close(participant: LocalParticipant | undefined): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#framesDropped += this.#pending.length;
    this.#pending.length = 0;
    try {
      this.#source.clearQueue();
    } catch {
      // already released by the room teardown
    }
    const sid = this.#publication.sid;
    if (participant && sid) {
      await withTimeout(participant.unpublishTrack(sid), 2000).catch(() => {});
    }
    await withTimeout(this.#track.close(true), 2000).catch(() => {});
  }
}

/** Resolves/rejects like `promise`, or resolves undefined after `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
