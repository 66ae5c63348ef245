import type { Logger } from '@alto/mixer-core';
import { sanitizeText } from './untrusted-text.js';

/** Bounds on what a room peer may make the session read from text streams. */
export interface TextStreamLimits {
  /** Largest text stream accepted, in UTF-8 bytes; larger ones are dropped. Default 64 KiB. */
  readonly maxStreamBytes?: number;
  /** Bytes a participant may send per second over all its text streams (burst: 4 s worth). Default 64 KiB/s. */
  readonly bytesPerSecond?: number;
  /** Text streams a participant may open per second (burst: 4 s worth). Default 20. */
  readonly streamsPerSecond?: number;
  /** Text streams of one participant read at the same time; more are dropped. Default 4. */
  readonly maxConcurrentStreams?: number;
}

/** Why a text stream was dropped. */
export type TextStreamDropReason = 'too_large' | 'byte_rate' | 'stream_rate' | 'too_many_open';

/** The part of the SDK's TextStreamReader this module uses. */
export interface TextChunkReader extends AsyncIterable<string> {
  readonly info: { readonly size?: number | undefined; readonly topic: string };
  close(): Promise<void>;
}

const DEFAULTS = {
  maxStreamBytes: 64 * 1024,
  bytesPerSecond: 64 * 1024,
  streamsPerSecond: 20,
  maxConcurrentStreams: 4,
} as const;
const BURST_SECONDS = 4;
/** One warning per participant and reason at most this often, so a flood cannot flood the log. */
const LOG_EVERY_MS = 10_000;
/** Participants tracked at most; the oldest entry is forgotten first. */
const MAX_TRACKED = 1024;

interface PeerState {
  bytes: number;
  streams: number;
  refilledAt: number;
  open: number;
  loggedAt: Map<TextStreamDropReason, number>;
}

/**
 * Reads peers' text streams incrementally within per-participant limits: a stream larger than
 * `maxStreamBytes` (declared or actual), beyond a participant's byte or stream rate, or beyond
 * its concurrent streams is cancelled at once, counted, and logged with its reason. Nothing
 * larger than one stream's cap is ever held in memory per open stream.
 */
export class TextStreamGuard {
  readonly #limits: Required<TextStreamLimits>;
  readonly #peers = new Map<string, PeerState>();
  readonly #logger: Logger;
  readonly #now: () => number;
  #dropped = 0;

  constructor(limits: TextStreamLimits = {}, logger: Logger, now: () => number = () => performance.now()) {
    this.#limits = { ...DEFAULTS, ...limits };
    this.#logger = logger;
    this.#now = now;
  }

  /** The effective limits. */
  get limits(): Readonly<Required<TextStreamLimits>> {
    return this.#limits;
  }

  /** Streams dropped so far. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Forgets a participant (it left). */
  forget(identity: string): void {
    this.#peers.delete(identity);
  }

  /**
   * Reads one stream to its end and returns its text, or undefined when it was dropped (the
   * reader is closed, so the SDK stops delivering its chunks).
   * @param onText called with the text so far after each accepted chunk (for streams written as
   *   they are spoken)
   */
  async read(reader: TextChunkReader, identity: string, onText?: (textSoFar: string) => void): Promise<string | undefined> {
    const peer = this.#peer(identity);
    const declared = reader.info.size;
    let reason: TextStreamDropReason | undefined;
    if (declared !== undefined && declared > this.#limits.maxStreamBytes) reason = 'too_large';
    else if (peer.open >= this.#limits.maxConcurrentStreams) reason = 'too_many_open';
    else if (!this.#take(peer, 'streams', 1)) reason = 'stream_rate';
    if (reason !== undefined) {
      await this.#drop(reader, identity, peer, reason);
      return undefined;
    }
    peer.open++;
    try {
      let text = '';
      let size = 0;
      try {
        for await (const chunk of reader) {
          const bytes = Buffer.byteLength(chunk, 'utf8');
          size += bytes;
          if (size > this.#limits.maxStreamBytes) reason = 'too_large';
          else if (!this.#take(peer, 'bytes', bytes)) reason = 'byte_rate';
          if (reason !== undefined) break;
          text += chunk;
          onText?.(text);
        }
      } catch (error) {
        // The native layer ends a stream over the room's payload limit with this error.
        if (!/exceeds maximum size/i.test(String(error))) throw error;
        reason = 'too_large';
      }
      if (reason !== undefined) {
        await this.#drop(reader, identity, peer, reason);
        return undefined;
      }
      return text;
    } finally {
      peer.open--;
    }
  }

  #peer(identity: string): PeerState {
    let peer = this.#peers.get(identity);
    if (peer === undefined) {
      if (this.#peers.size >= MAX_TRACKED) {
        const oldest = this.#peers.keys().next().value;
        if (oldest !== undefined) this.#peers.delete(oldest);
      }
      const l = this.#limits;
      peer = { bytes: l.bytesPerSecond * BURST_SECONDS, streams: l.streamsPerSecond * BURST_SECONDS, refilledAt: this.#now(), open: 0, loggedAt: new Map() };
      this.#peers.set(identity, peer);
    }
    return peer;
  }

  /** Token buckets: refill by elapsed time, then take `amount` if there is that much. */
  #take(peer: PeerState, bucket: 'bytes' | 'streams', amount: number): boolean {
    const now = this.#now();
    const elapsedS = Math.max(0, (now - peer.refilledAt) / 1000);
    peer.refilledAt = now;
    const l = this.#limits;
    peer.bytes = Math.min(l.bytesPerSecond * BURST_SECONDS, peer.bytes + elapsedS * l.bytesPerSecond);
    peer.streams = Math.min(l.streamsPerSecond * BURST_SECONDS, peer.streams + elapsedS * l.streamsPerSecond);
    if (peer[bucket] < amount) return false;
    peer[bucket] -= amount;
    return true;
  }

  async #drop(reader: TextChunkReader, identity: string, peer: PeerState, reason: TextStreamDropReason): Promise<void> {
    this.#dropped++;
    const now = this.#now();
    const last = peer.loggedAt.get(reason);
    if (last === undefined || now - last >= LOG_EVERY_MS) {
      peer.loggedAt.set(reason, now);
      this.#logger.warn('dropped a text stream from a participant', {
        participant: sanitizeText(identity),
        topic: sanitizeText(reader.info.topic),
        reason,
        limits: this.#limits,
        droppedTotal: this.#dropped,
      });
    }
    await reader.close().catch(() => {});
  }
}
