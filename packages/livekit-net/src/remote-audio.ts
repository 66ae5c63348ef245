import { AudioStream, type RemoteParticipant, type RemoteTrack, type Room } from '@livekit/rtc-node';
import type { Logger, MixerSink, StreamMetrics } from '@alto/mixer-core';

/** One remote audio track routed into the mixer. */
export interface RemoteAudioStreamInfo {
  /** Track SID; also the mixer stream id. */
  readonly trackSid: string;
  readonly participantIdentity: string;
  readonly participantName: string | undefined;
}

/** Per participant receive counters, summed over the participant's audio tracks. */
export interface ParticipantAudioMetrics {
  readonly identity: string;
  readonly name: string | undefined;
  readonly trackSids: readonly string[];
  /** 10 ms frames received from the SDK. */
  readonly framesReceived: number;
  /** PCM bytes received from the SDK. */
  readonly bytesReceived: number;
  /** The mixer's view of each of the participant's streams (buffer, level, underruns). */
  readonly mixer: readonly StreamMetrics[];
}

interface Route {
  readonly info: RemoteAudioStreamInfo;
  readonly stream: AudioStream;
  readonly reader: ReadableStreamDefaultReader<{ data: Int16Array }>;
  framesReceived: number;
  bytesReceived: number;
  closed: boolean;
}

/** Label for the mixer: the display name when it differs from the identity. */
function label(identity: string, name: string | undefined): string {
  return name && name !== identity ? `${name} (${identity})` : identity;
}

/**
 * Routes each subscribed remote audio track into its own mixer stream keyed by track SID.
 * Removing a route cancels its AudioStream (its JS queue is unbounded, so an abandoned stream
 * would leak) and removes the mixer stream. `reconcile` drops routes whose publication is gone,
 * which is what prevents duplicates after a full reconnect re-issues SIDs.
 */
export class RemoteAudioRouter {
  readonly #mixer: MixerSink;
  readonly #sampleRate: number;
  readonly #channels: number;
  readonly #logger: Logger;
  readonly #routes = new Map<string, Route>();
  /** Totals of routes already removed, so participant counters survive resubscription. */
  readonly #retired = new Map<string, { frames: number; bytes: number }>();
  readonly #onAdded: (info: RemoteAudioStreamInfo) => void;
  readonly #onRemoved: (info: RemoteAudioStreamInfo) => void;

  constructor(
    mixer: MixerSink,
    sampleRate: number,
    channels: number,
    logger: Logger,
    onAdded: (info: RemoteAudioStreamInfo) => void,
    onRemoved: (info: RemoteAudioStreamInfo) => void,
  ) {
    this.#mixer = mixer;
    this.#sampleRate = sampleRate;
    this.#channels = channels;
    this.#logger = logger;
    this.#onAdded = onAdded;
    this.#onRemoved = onRemoved;
  }

  /** Starts routing a subscribed track. A SID already routed is left alone. */
  add(track: RemoteTrack, participant: RemoteParticipant): void {
    const sid = track.sid;
    if (!sid || this.#routes.has(sid)) return;
    const info: RemoteAudioStreamInfo = {
      trackSid: sid,
      participantIdentity: participant.identity,
      participantName: participant.name || undefined,
    };
    const stream = new AudioStream(track, { sampleRate: this.#sampleRate, numChannels: this.#channels, frameSizeMs: 10 });
    const route: Route = { info, stream, reader: stream.getReader(), framesReceived: 0, bytesReceived: 0, closed: false };
    this.#routes.set(sid, route);
    this.#mixer.addStream(sid, { label: label(info.participantIdentity, info.participantName) });
    this.#logger.info('remote audio stream added', { trackSid: sid, participant: info.participantIdentity });
    this.#onAdded(info);
    void this.#pump(route);
  }

  async #pump(route: Route): Promise<void> {
    const sid = route.info.trackSid;
    try {
      for (;;) {
        const { done, value } = await route.reader.read();
        if (done || route.closed) break;
        route.framesReceived++;
        route.bytesReceived += value.data.byteLength;
        this.#mixer.addAudioData(sid, value.data);
      }
    } catch (error) {
      if (!route.closed) this.#logger.warn('remote audio stream failed', { trackSid: sid, error: String(error) });
    }
    // The SDK ends the stream on unsubscribe; remove only if this route is still the current one.
    if (this.#routes.get(sid) === route) this.remove(sid);
  }

  /** Stops routing one track (unsubscribe, unpublish). Unknown SIDs are ignored. */
  remove(sid: string): void {
    const route = this.#routes.get(sid);
    if (!route) return;
    this.#routes.delete(sid);
    route.closed = true;
    const identity = route.info.participantIdentity;
    const retired = this.#retired.get(identity) ?? { frames: 0, bytes: 0 };
    retired.frames += route.framesReceived;
    retired.bytes += route.bytesReceived;
    this.#retired.set(identity, retired);
    route.reader.cancel().catch(() => {});
    this.#mixer.removeStream(sid);
    this.#logger.info('remote audio stream removed', { trackSid: sid, participant: identity });
    this.#onRemoved(route.info);
  }

  /** Stops routing every track of one participant (they left). */
  removeParticipant(identity: string): void {
    for (const [sid, route] of [...this.#routes]) {
      if (route.info.participantIdentity === identity) this.remove(sid);
    }
  }

  /** Drops routes whose participant or publication no longer exists in `room` (or all if none). */
  reconcile(room: Room | undefined): void {
    for (const [sid, route] of [...this.#routes]) {
      const participant = room?.remoteParticipants.get(route.info.participantIdentity);
      const publication = participant?.trackPublications.get(sid);
      if (!publication || !publication.subscribed) this.remove(sid);
    }
  }

  /** Stops routing everything (disconnect, room lost). */
  clear(): void {
    for (const sid of [...this.#routes.keys()]) this.remove(sid);
  }

  /** Currently routed streams. */
  streams(): RemoteAudioStreamInfo[] {
    return [...this.#routes.values()].map((r) => r.info);
  }

  /** Receive counters per participant, joined with the mixer's stream metrics. */
  participantMetrics(): ParticipantAudioMetrics[] {
    const mixerStreams = new Map(this.#mixer.getMetrics().streams.map((s) => [s.id, s]));
    const byIdentity = new Map<string, { name: string | undefined; sids: string[]; frames: number; bytes: number; mixer: StreamMetrics[] }>();
    for (const [identity, totals] of this.#retired) {
      byIdentity.set(identity, { name: undefined, sids: [], frames: totals.frames, bytes: totals.bytes, mixer: [] });
    }
    for (const [sid, route] of this.#routes) {
      const identity = route.info.participantIdentity;
      const entry = byIdentity.get(identity) ?? { name: undefined, sids: [], frames: 0, bytes: 0, mixer: [] };
      entry.name = route.info.participantName;
      entry.sids.push(sid);
      entry.frames += route.framesReceived;
      entry.bytes += route.bytesReceived;
      const m = mixerStreams.get(sid);
      if (m) entry.mixer.push(m);
      byIdentity.set(identity, entry);
    }
    return [...byIdentity].map(([identity, e]) => ({
      identity,
      name: e.name,
      trackSids: e.sids,
      framesReceived: e.frames,
      bytesReceived: e.bytes,
      mixer: e.mixer,
    }));
  }
}
