import {
  ConnectionQuality,
  DataPacketKind,
  DisconnectReason,
  Room,
  TrackKind,
  type RoomOptions,
} from '@livekit/rtc-node';
import { noopLogger, type Logger } from '@alto/mixer-core';
import { EventEmitter } from 'node:events';
import { backoffDelayMs } from './backoff.js';
import { classifyConnectError, describeConnectFailure, validateServerUrl, type ConnectFailure } from './connect-errors.js';
import {
  ConnectFailedError,
  ConnectTimeoutError,
  InvalidOptionsError,
  NotConnectedError,
  ServerUnreachableError,
  TokenRejectedError,
  WrongSecretError,
} from './errors.js';
import { PublishedMicrophone, withTimeout, type MicrophoneMetrics } from './microphone.js';
import { RemoteAudioRouter, type RemoteAudioStreamInfo } from './remote-audio.js';
import type {
  ConnectTarget,
  LiveKitSessionEvents,
  LiveKitSessionOptions,
  ParticipantInfo,
  QualityLevel,
  SessionMetrics,
  SessionState,
} from './session-types.js';
import { ParticipantPresence } from './presence.js';
import { mintToken } from './token.js';
import { wireRoomEvents } from './room-events.js';
import { AgentTracker, callTurnRpc, sendChatText, wireAgentEvents, type AgentInfo, type TurnRpcMethod, type TurnRpcResult } from './agents.js';
import { TextStreamGuard } from './text-streams.js';
import type { E2eeStatus } from './e2ee-status.js';
import { SessionEncryption, sharedKeyEncryption } from './session-encryption.js';

/** Reasons the server or the user ended the session on purpose: never reconnect after them. */
const FINAL_REASONS = new Set<DisconnectReason>([
  DisconnectReason.CLIENT_INITIATED,
  DisconnectReason.DUPLICATE_IDENTITY,
  DisconnectReason.PARTICIPANT_REMOVED,
  DisconnectReason.ROOM_DELETED,
  DisconnectReason.ROOM_CLOSED,
]);

const QUALITY: Record<ConnectionQuality, QualityLevel> = {
  [ConnectionQuality.QUALITY_EXCELLENT]: 'excellent',
  [ConnectionQuality.QUALITY_GOOD]: 'good',
  [ConnectionQuality.QUALITY_POOR]: 'poor',
  [ConnectionQuality.QUALITY_LOST]: 'lost',
};

/**
 * One participant's presence in a LiveKit room: connects (token or key/secret), publishes the
 * microphone, routes every remote audio track into a {@link MixerSink} stream keyed by track
 * SID, re-emits room events for UIs, and keeps the call alive across server loss with the SDK's
 * resume plus its own backoff loop. Create one per room; `disconnect()` it when done, and call
 * `shutdownLiveKit()` once at process exit. Events are Node's typed `EventEmitter`
 * ({@link LiveKitSessionEvents}); listeners must not throw.
 */
export class LiveKitSession extends EventEmitter<LiveKitSessionEvents> {
  readonly #options: LiveKitSessionOptions;
  readonly #logger: Logger;
  readonly #textStreams: TextStreamGuard;
  readonly #sampleRate: number;
  readonly #channels: number;
  readonly #router: RemoteAudioRouter;
  #room: Room | undefined;
  #target: ConnectTarget | undefined;
  #mic: PublishedMicrophone | undefined;
  #micTotals = { framesSent: 0, framesDropped: 0 };
  #micMuted: boolean;
  #state: SessionState = 'disconnected';
  #reconnectCount = 0;
  #closing = false;
  #reconnectAbort: AbortController | undefined;
  #reconcileTimer: NodeJS.Timeout | undefined;
  #connectedUrl: string | undefined;
  #failoverTimer: NodeJS.Timeout | undefined;
  #resumeStartedAt: number | undefined;
  readonly #encryption: SessionEncryption;
  readonly #presence = new ParticipantPresence(
    (p) => this.emit('participantJoined', p),
    (p) => this.emit('participantLeft', p),
  );
  readonly #agents = new AgentTracker({
    onAgentJoined: (agent) => this.emit('agentJoined', agent),
    onAgentState: (event) => this.emit('agentState', event),
    onAgentLeft: (agent) => this.emit('agentLeft', agent),
  });

  constructor(options: LiveKitSessionOptions) {
    super();
    // Many UI widgets may listen to the same event.
    this.setMaxListeners(0);
    this.#options = options;
    this.#logger = options.logger ?? noopLogger;
    this.#sampleRate = options.sampleRate ?? 48_000;
    this.#channels = options.channels ?? 1;
    if (this.#channels !== 1 && this.#channels !== 2) {
      throw new InvalidOptionsError(`channels must be 1 or 2, got ${this.#channels}`);
    }
    this.#micMuted = options.startMuted ?? false;
    this.#encryption = new SessionEncryption(options.e2ee !== undefined, this.#logger, (event) => this.emit('e2eeState', event));
    this.#textStreams = new TextStreamGuard(options.textStreams, this.#logger);
    this.#router = new RemoteAudioRouter(
      options.mixer,
      this.#sampleRate,
      this.#channels,
      this.#logger,
      (info: RemoteAudioStreamInfo) => this.emit('remoteAudioAdded', info),
      (info: RemoteAudioStreamInfo) => this.emit('remoteAudioRemoved', info),
    );
  }

  /** Current lifecycle state. */
  get state(): SessionState {
    return this.#state;
  }

  /** The SDK room while connected (for advanced use; do not disconnect it directly). */
  get room(): Room | undefined {
    return this.#room;
  }

  /** Whether the microphone is muted (kept across reconnects). */
  get microphoneMuted(): boolean {
    return this.#micMuted;
  }

  /**
   * Joins the room. Rejects within `connectTimeoutMs` (default 10 s) with a typed error:
   * InvalidUrlError, ServerUnreachableError, ConnectTimeoutError, TokenRejectedError,
   * WrongSecretError, ConnectFailedError or PublishError.
   */
  async connect(target: ConnectTarget): Promise<void> {
    if (this.#state !== 'disconnected') throw new InvalidOptionsError(`connect() called while ${this.#state}`);
    validateServerUrl(target.url);
    for (const url of target.fallbackUrls ?? []) validateServerUrl(url);
    this.#closing = false;
    this.#target = target;
    this.#setState('connecting');
    try {
      await this.#openAny(target);
    } catch (error) {
      this.#setState('disconnected');
      throw error;
    }
    this.#setState('connected');
    this.#reconcileTimer = setInterval(() => this.#router.reconcile(this.#room), 2000);
    this.#reconcileTimer.unref();
  }

  /**
   * Opens the room on `url`, then on each fallback URL while the failure is one another server
   * could fix (unreachable, timed out, failed); credentials errors end the round at once.
   * Rejects with the primary URL's error when every server failed.
   */
  async #openAny(target: ConnectTarget): Promise<void> {
    const urls = [target.url, ...(target.fallbackUrls ?? [])];
    let firstError: unknown;
    for (const url of urls) {
      try {
        await this.#open(target, url);
        this.#connectedUrl = url;
        this.#reconcilePresence();
        if (url !== target.url) this.#logger.warn('joined through a fallback server', { url });
        return;
      } catch (error) {
        firstError ??= error;
        const anotherServerMayWork = error instanceof ServerUnreachableError || error instanceof ConnectTimeoutError || error instanceof ConnectFailedError;
        if (!anotherServerMayWork || this.#closing) break;
        if (urls.length > 1) this.#logger.warn('server failed; trying the next one', { url, error: String(error) });
      }
    }
    throw firstError;
  }

  async #open(target: ConnectTarget, url: string): Promise<void> {
    const token = 'token' in target ? target.token : await mintToken({ ...target });
    const room = new Room();
    // The SDK adds one listener per remote track to the room; a call of more than ten people is
    // normal, not a leak, and Node's warning would land on the CLI's stderr.
    room.setMaxListeners(0);
    this.#room = room;
    wireRoomEvents(room, this.#roomHandlers(room), this.#textStreams);
    wireAgentEvents(room, this.#agents, () => this.#room === room, (event) => this.emit('chat', event), this.#textStreams);
    const timeoutMs = this.#options.connectTimeoutMs ?? 10_000;
    // The native layer ends any data stream over the cap itself, so its chunks stop arriving.
    const roomOptions: RoomOptions = {
      autoSubscribe: this.#options.subscribe !== false,
      dynacast: false,
      dataStream: { maxPayloadByteLength: this.#textStreams.limits.maxStreamBytes },
    };
    if (this.#options.e2ee) roomOptions.encryption = sharedKeyEncryption(this.#options.e2ee.sharedKey);
    const connecting = room.connect(url, token, roomOptions);
    this.#encryption.watch(room, () => this.#room === room);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        connecting,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new ConnectTimeoutError(url, timeoutMs)), timeoutMs);
        }),
      ]);
    } catch (error) {
      if (this.#room === room) this.#room = undefined;
      this.#encryption.stop();
      // A connect that completes after we gave up must not leave a ghost participant behind.
      connecting.then(() => room.disconnect(), () => {}).catch(() => {});
      throw classifyConnectError(error, url);
    } finally {
      clearTimeout(timer);
    }
    this.#agents.scan(room);
    this.#encryption.settle();
    const mic = this.#options.microphone;
    if (mic !== false && room.localParticipant) {
      try {
        this.#mic = await PublishedMicrophone.publish(room.localParticipant, this.#sampleRate, this.#channels, mic ?? {}, this.#logger, this.#micMuted);
      } catch (error) {
        // Without its microphone the session is not what the caller asked for: leave the room.
        if (this.#room === room) this.#room = undefined;
        this.#router.clear();
        this.#encryption.stop();
        await withTimeout(room.disconnect().catch(() => {}), 3000);
        throw error;
      }
    }
  }

  #roomHandlers(room: Room): Parameters<typeof wireRoomEvents>[1] {
    const current = (): boolean => this.#room === room;
    return {
      current,
      onTrackSubscribed: (track, publication, participant) => {
        if (track.kind !== TrackKind.KIND_AUDIO && publication.kind !== TrackKind.KIND_AUDIO) return;
        this.#router.reconcile(room);
        if (!this.#encryption.checkTrack(publication.encryptionType, participant.identity)) return;
        this.#router.add(track, participant);
      },
      onTrackGone: (sid) => this.#router.remove(sid),
      onParticipantJoined: (p: ParticipantInfo) => this.#presence.joined(p),
      onParticipantLeft: (p: ParticipantInfo) => {
        this.#textStreams.forget(p.identity);
        this.#encryption.forget(p.identity);
        this.#router.removeParticipant(p.identity);
        this.#presence.left(p.identity);
      },
      onMuted: (event, muted) => this.emit(muted ? 'trackMuted' : 'trackUnmuted', event),
      onActiveSpeakers: (ids) => this.emit('activeSpeakers', ids),
      onQuality: (participantIdentity, quality) =>
        this.emit('connectionQuality', { participantIdentity, quality: QUALITY[quality] ?? 'poor' }),
      onData: (payload, participantIdentity, kind, topic) =>
        this.emit('data', { payload, participantIdentity, topic, reliable: kind === DataPacketKind.KIND_RELIABLE }),
      onTranscription: (event) => this.emit('transcription', event),
      onSdkReconnecting: () => {
        this.#resumeStartedAt ??= performance.now();
        this.#setState('reconnecting');
        this.emit('reconnecting', { by: 'sdk', attempt: 1, delayMs: 0 });
        this.#armFailover(room);
      },
      onSdkReconnected: () => {
        clearTimeout(this.#failoverTimer);
        const outageMs = performance.now() - (this.#resumeStartedAt ?? performance.now());
        this.#resumeStartedAt = undefined;
        if (outageMs > (this.#options.resumeTrustMs ?? 1000) && this.#options.reconnect !== false) {
          // A server that was down this long has most likely restarted and lost the session; the
          // SDK's resume onto it was seen to leave the room connected but deaf and mute (no
          // participants, no published track), so rejoin cleanly instead.
          this.#logger.warn('resumed after a long outage; rejoining cleanly', { outageMs: Math.round(outageMs) });
          this.#abandonRoom(room, 'STALE_RESUME');
          return;
        }
        this.#reconnectCount++;
        this.#router.reconcile(room);
        this.#reconcilePresence();
        this.#setState('connected');
        this.emit('reconnected', { by: 'sdk', attempts: 1 });
      },
      onDisconnected: (reason) => void this.#onRoomLost(room, reason),
    };
  }

  /**
   * With fallback URLs, a resume that has not worked within `failoverAfterMs` is given up: the
   * SDK would keep retrying the one server it knows (for ~20 s when that server died), while
   * another node of the cluster can take the rejoin now.
   */
  #armFailover(room: Room): void {
    if (!this.#target?.fallbackUrls?.length || this.#options.reconnect === false) return;
    clearTimeout(this.#failoverTimer);
    this.#failoverTimer = setTimeout(() => {
      if (this.#room !== room || this.#state !== 'reconnecting' || this.#closing) return;
      this.#logger.warn('the server has not come back; rejoining through the fallback servers', { url: this.#connectedUrl });
      this.#abandonRoom(room, 'SERVER_FAILOVER');
    }, this.#options.failoverAfterMs ?? 3000);
    this.#failoverTimer.unref();
  }

  /** Leaves a room the session no longer trusts and rejoins through the reconnect loop. */
  #abandonRoom(room: Room, reason: 'STALE_RESUME' | 'SERVER_FAILOVER'): void {
    void withTimeout(room.disconnect().catch(() => {}), 3000);
    void this.#onRoomLost(room, DisconnectReason.UNKNOWN_REASON, reason);
  }

  async #onRoomLost(room: Room, reason: DisconnectReason, reasonOverride?: string): Promise<void> {
    if (this.#room !== room || this.#closing) return;
    clearTimeout(this.#failoverTimer);
    this.#resumeStartedAt = undefined;
    this.#room = undefined;
    this.#router.clear();
    this.#encryption.stop();
    this.#forgetAgents();
    await this.#closeMic(undefined);
    const reasonName = reasonOverride ?? DisconnectReason[reason] ?? 'UNKNOWN_REASON';
    const loop = this.#options.reconnect;
    const willReconnect = loop !== false && !FINAL_REASONS.has(reason) && this.#target !== undefined;
    this.#logger.warn('room lost', { reason: reasonName, willReconnect });
    this.emit('disconnected', { reason: reasonName, willReconnect });
    if (!willReconnect) {
      this.#presence.clear();
      this.#setState('disconnected');
      return;
    }
    await this.#reconnectLoop();
  }

  async #reconnectLoop(): Promise<void> {
    const loop = this.#options.reconnect || {};
    const maxAttempts = loop.maxAttempts ?? Infinity;
    const abort = new AbortController();
    this.#reconnectAbort = abort;
    this.#setState('reconnecting');
    let lastFailure: ConnectFailure | undefined;
    for (let attempt = 0; attempt < maxAttempts && !abort.signal.aborted; attempt++) {
      const delayMs = backoffDelayMs(attempt, loop);
      this.emit('reconnecting', { by: 'session', attempt: attempt + 1, delayMs });
      await sleep(delayMs, abort.signal);
      if (abort.signal.aborted || !this.#target) return;
      try {
        await this.#openAny(this.#target);
        this.#reconnectCount++;
        this.#setState('connected');
        this.emit('reconnected', { by: 'session', attempts: attempt + 1 });
        return;
      } catch (error) {
        this.#logger.warn('reconnect attempt failed', { attempt: attempt + 1, error: String(error) });
        lastFailure = describeConnectFailure(error);
        this.emit('reconnectFailed', { attempt: attempt + 1, ...lastFailure });
        await this.#closeMic(undefined);
        // Retrying cannot fix a bad secret, or a fixed token the server refuses.
        if (error instanceof WrongSecretError || (error instanceof TokenRejectedError && 'token' in this.#target)) break;
      }
    }
    if (abort.signal.aborted) return;
    this.#presence.clear();
    this.#setState('disconnected');
    this.emit('disconnected', { reason: 'RECONNECT_FAILED', willReconnect: false, ...(lastFailure ? { failure: lastFailure } : {}) });
  }

  /** Announces everyone in the room now against what was announced before (see ParticipantPresence). */
  #reconcilePresence(): void {
    const room = this.#room;
    if (!room) return;
    this.#presence.reconcile([...room.remoteParticipants.values()].map((p) => ({ identity: p.identity, name: p.name || undefined })));
  }

  /**
   * Sends one frame of interleaved int16 microphone samples (10 ms recommended). Copied before
   * returning, so the caller may reuse its buffer. Returns false if dropped (not connected yet,
   * reconnecting, or listen-only).
   */
  captureFrame(samples: Int16Array): boolean {
    if (!this.#mic) {
      this.#micTotals.framesDropped++;
      return false;
    }
    return this.#mic.captureFrame(samples);
  }

  /** Mutes or unmutes the microphone track; others see it muted. Kept across reconnects. */
  setMicrophoneMuted(muted: boolean): void {
    this.#micMuted = muted;
    this.#mic?.setMuted(muted);
  }

  /** Sends a data message to everyone (or to `destinationIdentities`). */
  async sendData(payload: Uint8Array | string, options: { topic?: string; reliable?: boolean; destinationIdentities?: string[] } = {}): Promise<void> {
    const participant = this.#room?.localParticipant;
    if (!participant || this.#state !== 'connected') throw new NotConnectedError('send data');
    const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
    await participant.publishData(bytes, {
      reliable: options.reliable ?? true,
      ...(options.topic !== undefined ? { topic: options.topic } : {}),
      ...(options.destinationIdentities ? { destination_identities: options.destinationIdentities } : {}),
    });
  }

  /** Agent participants (kind AGENT) in the room, with their `lk.agent.state`. */
  agents(): AgentInfo[] {
    return this.#agents.list();
  }

  /**
   * Sends a text message on `lk.chat` (an agent session's text input). Agents do not echo it:
   * show your own line. Resolves with the stream id.
   */
  async sendChat(text: string, destinationIdentities?: readonly string[]): Promise<string> {
    const participant = this.#room?.localParticipant;
    if (!participant || this.#state !== 'connected') throw new NotConnectedError('send a chat message');
    return sendChatText(participant, text, destinationIdentities);
  }

  /** Calls a push-to-talk turn RPC on an agent; `unsupported` when it registers none. */
  async callTurnRpc(agentIdentity: string, method: TurnRpcMethod, timeoutMs?: number): Promise<TurnRpcResult> {
    const participant = this.#room?.localParticipant;
    if (!participant || this.#state !== 'connected') throw new NotConnectedError(`call ${method}`);
    return callTurnRpc(participant, agentIdentity, method, timeoutMs);
  }

  /** The SID of our published microphone track, if publishing. */
  get microphoneTrackSid(): string | undefined {
    return this.#mic?.getMetrics().trackSid;
  }

  #forgetAgents(): void {
    for (const agent of this.#agents.list()) this.#agents.left(agent.identity);
    this.#agents.clear();
  }

  /**
   * End-to-end encryption: whether it is on, whether our audio is encrypted, and for each remote
   * participant reported on whether their audio decrypts with our key (or why not).
   */
  e2eeStatus(): E2eeStatus {
    return this.#encryption.status();
  }

  /** Remote participants currently in the room. */
  participants(): ParticipantInfo[] {
    return [...(this.#room?.remoteParticipants.values() ?? [])].map((p) => ({ identity: p.identity, name: p.name || undefined }));
  }

  /** Remote audio tracks currently routed into the mixer. */
  remoteAudioStreams(): RemoteAudioStreamInfo[] {
    return this.#router.streams();
  }

  /** Counters for dashboards and Prometheus. Cheap: no network round trip. */
  getMetrics(): SessionMetrics {
    let microphone: MicrophoneMetrics | undefined;
    if (this.#mic) {
      const m = this.#mic.getMetrics();
      microphone = { ...m, framesSent: m.framesSent + this.#micTotals.framesSent, framesDropped: m.framesDropped + this.#micTotals.framesDropped };
    }
    return {
      state: this.#state,
      roomName: this.#room?.name,
      localIdentity: this.#room?.localParticipant?.identity,
      reconnectCount: this.#reconnectCount,
      serverUrl: this.#room ? this.#connectedUrl : undefined,
      microphone,
      participants: this.#router.participantMetrics(),
      textStreamsDropped: this.#textStreams.dropped,
    };
  }

  /** WebRTC statistics of the publisher and subscriber transports (one native round trip). */
  async getRtcStats(): Promise<Awaited<ReturnType<Room['getRtcStats']>>> {
    const room = this.#room;
    if (!room || this.#state !== 'connected') throw new NotConnectedError('read RTC stats');
    return room.getRtcStats();
  }

  /** Leaves the room and stops reconnecting. Never hangs (each SDK step is time-bounded). */
  async disconnect(): Promise<void> {
    this.#closing = true;
    this.#reconnectAbort?.abort();
    clearInterval(this.#reconcileTimer);
    clearTimeout(this.#failoverTimer);
    const room = this.#room;
    this.#room = undefined;
    this.#router.clear();
    this.#encryption.stop();
    this.#presence.clear();
    this.#forgetAgents();
    await this.#closeMic(room?.localParticipant);
    if (room) await withTimeout(room.disconnect().catch(() => {}), 3000);
    const wasActive = this.#state !== 'disconnected';
    this.#setState('disconnected');
    if (wasActive) this.emit('disconnected', { reason: 'CLIENT_INITIATED', willReconnect: false });
  }

  async #closeMic(participant: Room['localParticipant']): Promise<void> {
    const mic = this.#mic;
    this.#mic = undefined;
    if (!mic) return;
    await mic.close(participant);
    const c = mic.counters();
    this.#micTotals.framesSent += c.framesSent;
    this.#micTotals.framesDropped += c.framesDropped;
  }

  #setState(state: SessionState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.emit('connectionState', state);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
