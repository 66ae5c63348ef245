import type {
  AltoClientApi,
  BackoffOptions,
  AltoClientOptions,
  AltoEvent,
  AltoMetrics,
  ConnectionState,
  InputSpec,
  OutputSpec,
  ParticipantView,
  RecordingFileOptions,
} from '@alto/orchestrator';
import { ParticipantPreferences, backoffDelayMs } from '@alto/orchestrator';
import { EventEmitter } from 'node:events';

/** Builds a client; the real one is `new AltoClient(o, createDefaultComponents(...))` (see main.ts). */
export type ClientFactory = (options: AltoClientOptions, playback: PlaybackSettings) => AltoClientApi;

/** How the client's audio components are built (they are not client options); absent = default. */
export type PlaybackSettings = Pick<ConnectionSettings, 'jitterBufferMs' | 'deviceFallback'>;

/** What the supervisor needs to build a client. */
export interface ConnectionSettings
  extends Pick<AltoClientOptions, 'url' | 'fallbackUrls' | 'token' | 'apiKey' | 'apiSecret' | 'room' | 'name' | 'voice' | 'outputFilter' | 'e2eeKey'> {
  readonly identity: string;
  readonly input: InputSpec | false;
  readonly output: OutputSpec | false;
  readonly masterVolume: number;
  readonly recordPath?: string;
  /** Per-person playback buffer, ms (absent: the orchestrator's default, 40). */
  readonly jitterBufferMs?: number;
  /** Fall back to the system default device when the chosen one vanishes (absent: true). */
  readonly deviceFallback?: boolean;
  /** A voice agent dispatched into the room by the minted token. */
  readonly agent?: string;
  /** Microphone muted until a turn is started. */
  readonly pushToTalk?: boolean;
  /** `--e2ee-key-file` / `ALTO_E2EE_KEY_FILE` / `e2eeKeyFile`: the file the passphrase is read from. */
  readonly e2eeKeyFile?: string | undefined;
}

/** Events the supervisor adds to the client's own. */
export type SupervisorEvent =
  | AltoEvent
  | { readonly type: 'reconnectScheduled'; readonly attempt: number; readonly delayMs: number; readonly reason: string }
  | { readonly type: 'recording'; readonly path: string | null };

/** Events of a {@link ClientSupervisor} (Node's typed `EventEmitter`). */
export interface SupervisorEvents {
  /** Every event of the current client, and the supervisor's own; they survive client replacement. */
  event: [event: SupervisorEvent];
}

/** Options of {@link ClientSupervisor}. */
export interface SupervisorOptions {
  readonly createClient: ClientFactory;
  readonly settings: ConnectionSettings;
  /** The Logger interface every Alto package accepts (the supervisor needs nothing of the daemon's logging). */
  readonly logger: NonNullable<AltoClientOptions['logger']>;
  /** Overrides of {@link DAEMON_BACKOFF}. */
  readonly backoff?: BackoffOptions;
  /** How long one connect() may take before it counts as failed. Default 30 s. */
  readonly connectTimeoutMs?: number;
}

/** A snapshot for `GET /v1/status` (never carries credentials). */
export interface SupervisorStatus {
  readonly state: ConnectionState;
  readonly joined: boolean;
  readonly url: string;
  readonly room: string | null;
  readonly identity: string;
  readonly input: InputSpec | false;
  readonly output: OutputSpec | false;
  readonly microphoneMuted: boolean;
  readonly masterVolume: number;
  readonly recording: string | null;
  readonly participants: number;
  readonly reconnects: number;
  readonly lastError: string | null;
  /** Voice agents in the room and their `lk.agent.state`. */
  readonly agents: readonly { readonly identity: string; readonly name: string; readonly state: string | null }[];
  /** Response latency over the call (ms), when turns were measured. */
  readonly responseLatency: { readonly turns: number; readonly p50Ms: number | null; readonly p95Ms: number | null };
  /** End-to-end encryption: on or off, our own audio's state, whether each participant's audio decrypts. */
  readonly e2ee: E2eeStatusView;
}

/** End-to-end encryption as `GET /v1/status` shows it. */
export interface E2eeStatusView {
  readonly enabled: boolean;
  /** Our microphone's encryption (`ok`, `encryption-failed`), null until reported or without E2EE. */
  readonly local: string | null;
  /** Remote participants by identity: `ok` (their audio decrypts) or `decryption-failed` (a different key). */
  readonly participants: Readonly<Record<string, string>>;
}

/**
 * The daemon's retry timing: it is the outer loop, behind the SDK's resume and the session's
 * rejoin, so it waits longer (up to 30 s) and uses equal jitter (half fixed, half random) so a
 * fleet of daemons restarted by one server outage does not reconnect in lockstep, while no delay
 * collapses to zero.
 */
export const DAEMON_BACKOFF: BackoffOptions = { initialDelayMs: 500, maxDelayMs: 30_000, jitter: 0.5, jitterMode: 'below' };

const TEARDOWN_TIMEOUT_MS = 5000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Keeps the daemon in its room: creates clients, connects them, retries forever with backoff when
 * a connect fails or a client ends up disconnected without being asked to, and gives every new
 * client what the operator set: microphone mute and master volume, and the one
 * {@link ParticipantPreferences} object in which each client remembers participant volumes and
 * mutes. The SDK-level reconnect stays inside the client; this is the outer loop for when that
 * gives up.
 */
export class ClientSupervisor extends EventEmitter<SupervisorEvents> {
  private readonly options: SupervisorOptions;
  private settings: ConnectionSettings;
  private client: AltoClientApi | undefined;
  private unsubscribe: (() => void) | undefined;
  private desired = false;
  /** Bumped whenever the desired connection changes; stale async work checks it and backs off. */
  private generation = 0;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private connecting: Promise<void> | undefined;
  private syntheticState: ConnectionState = 'idle';
  private micMuted = false;
  private masterVolume: number;
  /** Handed to every client; the client applies it to whoever joins (see AltoClientOptions.preferences). */
  private readonly preferences = new ParticipantPreferences();
  private pendingRecordPath: string | undefined;
  private retries = 0;
  private carriedSdkReconnects = 0;
  private lastError: string | null = null;

  constructor(options: SupervisorOptions) {
    super();
    // The SSE hub, metrics and the daemon's log all listen.
    this.setMaxListeners(0);
    this.options = options;
    this.settings = options.settings;
    this.masterVolume = options.settings.masterVolume;
    this.pendingRecordPath = options.settings.recordPath;
  }

  /** The connection state users see; 'reconnecting' while waiting to retry. */
  get state(): ConnectionState {
    if (!this.desired) return 'idle';
    return this.client?.state ?? this.syntheticState;
  }

  /** The current client, if one exists. */
  get currentClient(): AltoClientApi | undefined {
    return this.client;
  }

  /** True when rooms other than a fixed token's can be joined (an API key and secret are set). */
  get canMint(): boolean {
    return this.settings.apiKey !== undefined && this.settings.apiSecret !== undefined;
  }

  /** Daemon-level retries plus the SDK-level reconnects of every client so far. */
  get reconnects(): number {
    return this.retries + this.carriedSdkReconnects + (this.client?.getMetrics().reconnects ?? 0);
  }

  /**
   * Wants to be in the room (optionally a different room or identity) and makes the first
   * attempt; resolves after it, connected or not (later attempts continue in the background).
   */
  async join(target: { room?: string; identity?: string } = {}): Promise<void> {
    const room = target.room ?? this.settings.room;
    const identity = target.identity ?? this.settings.identity;
    const changed = room !== this.settings.room || identity !== this.settings.identity;
    if (this.desired && !changed) {
      // Waiting out a backoff delay: an explicit join means "try now".
      if (this.connecting === undefined && this.retryTimer !== undefined) await this.connectNow();
      else await this.connecting;
      return;
    }
    this.settings = {
      ...this.settings,
      identity,
      ...(room !== undefined ? { room } : {}),
    };
    if (this.desired) await this.teardown('switching room');
    this.desired = true;
    this.attempt = 0;
    await this.connectNow();
  }

  /** Leaves the room and stops retrying; flushes a running recording through client.disconnect. */
  async leave(): Promise<void> {
    this.desired = false;
    this.syntheticState = 'idle';
    await this.teardown('left');
    this.emitEvent({ type: 'state', state: 'idle', reason: 'left' });
  }

  /** Voice processing and output filter in use (what `GET /v1/voice` shows). */
  voiceSettings(): { voice: NonNullable<ConnectionSettings['voice']>; outputFilter: 'radio' | null } {
    return { voice: { ...(this.settings.voice ?? {}) }, outputFilter: this.settings.outputFilter ?? null };
  }

  /**
   * Changes voice processing and the output filter; both are set when the client connects, so a
   * joined daemon reconnects with them.
   */
  async setVoice(voice: NonNullable<ConnectionSettings['voice']>, outputFilter: 'radio' | null | undefined): Promise<void> {
    const { outputFilter: _previous, ...rest } = this.settings;
    const filter = outputFilter === undefined ? this.settings.outputFilter : (outputFilter ?? undefined);
    this.settings = { ...rest, voice: { ...(this.settings.voice ?? {}), ...voice }, ...(filter ? { outputFilter: filter } : {}) };
    if (!this.desired) return;
    await this.teardown('changing voice processing');
    this.attempt = 0;
    await this.connectNow();
  }

  /** Reconnects with new devices (the client opens devices at connect time). */
  async switchDevices(devices: { input?: InputSpec | false; output?: OutputSpec | false }): Promise<void> {
    this.settings = {
      ...this.settings,
      ...(devices.input !== undefined ? { input: devices.input } : {}),
      ...(devices.output !== undefined ? { output: devices.output } : {}),
    };
    if (!this.desired) return;
    await this.teardown('switching devices');
    this.attempt = 0;
    await this.connectNow();
  }

  /**
   * Applies reloaded settings: volume live, anything that needs a new connection by
   * reconnecting. Returns the names of the settings that changed.
   */
  async applySettings(next: ConnectionSettings): Promise<string[]> {
    const prev = this.settings;
    const keys = ['url', 'token', 'apiKey', 'apiSecret', 'room', 'identity', 'name', 'input', 'output', 'jitterBufferMs', 'deviceFallback', 'e2eeKey'] as const;
    const changed: string[] = keys.filter((key) => prev[key] !== next[key]);
    if (JSON.stringify(prev.voice) !== JSON.stringify(next.voice)) changed.push('voice');
    if (prev.outputFilter !== next.outputFilter) changed.push('outputFilter');
    this.settings = { ...next, masterVolume: this.masterVolume };
    if (next.masterVolume !== prev.masterVolume) {
      changed.push('masterVolume');
      this.setMasterVolume(next.masterVolume);
      this.settings = { ...this.settings, masterVolume: next.masterVolume };
    }
    if (changed.some((key) => key !== 'masterVolume') && this.desired) {
      await this.teardown('configuration reloaded');
      this.attempt = 0;
      await this.connectNow();
    }
    return changed;
  }

  /** Mutes the microphone now and on every later client. */
  async setMicrophoneMuted(muted: boolean): Promise<void> {
    this.micMuted = muted;
    if (this.client?.state === 'connected') await this.client.setMicrophoneMuted(muted);
  }

  /** Sets the master volume now and on every later client. */
  setMasterVolume(volume: number): void {
    this.masterVolume = volume;
    this.client?.setMasterVolume(volume);
  }

  /** Sets a participant's volume; remembered for when they (re)join. */
  setParticipantVolume(identity: string, volume: number): void {
    this.preferences.setVolume(identity, volume);
    this.toParticipant(identity, (client) => client.setParticipantVolume(identity, volume));
  }

  /** Mutes a participant locally; remembered for when they (re)join. */
  setParticipantMuted(identity: string, muted: boolean): void {
    this.preferences.setMuted(identity, muted);
    this.toParticipant(identity, (client) => client.setParticipantMuted(identity, muted));
  }

  /**
   * Applies a per-participant setting on the current client, if any (between clients the
   * preferences object alone holds it). The client refuses identities not in the room
   * (UNKNOWN_PARTICIPANT) yet remembers the setting and applies it when that participant joins,
   * so that refusal is expected here, not an error.
   */
  private toParticipant(identity: string, apply: (client: AltoClientApi) => void): void {
    const client = this.client;
    if (client === undefined) return;
    try {
      apply(client);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'UNKNOWN_PARTICIPANT') {
        this.options.logger.warn('participant setting failed', { identity, err: message(error) });
      }
    }
  }

  /** The remote participants of the current client. */
  participants(): readonly ParticipantView[] {
    return this.client?.participants() ?? [];
  }

  /** The current client's metrics, if any. */
  metrics(): AltoMetrics | undefined {
    return this.client?.getMetrics();
  }

  /** Starts recording on the connected client; false when there is none. */
  async startRecording(path: string, file?: RecordingFileOptions): Promise<boolean> {
    const state = this.client?.state;
    if (this.client === undefined || (state !== 'connected' && state !== 'reconnecting')) return false;
    await this.client.startRecording(path, file);
    this.emitEvent({ type: 'recording', path });
    return true;
  }

  /** Stops a running recording (no-op when none). */
  async stopRecording(): Promise<void> {
    this.pendingRecordPath = undefined;
    if (this.client?.recordingPath === undefined) return;
    await this.client.stopRecording();
    this.emitEvent({ type: 'recording', path: null });
  }

  /** A snapshot for the status route. */
  status(): SupervisorStatus {
    const s = this.settings;
    return {
      state: this.state,
      joined: this.desired,
      url: s.url,
      room: s.room ?? null,
      identity: s.identity,
      input: s.input,
      output: s.output,
      microphoneMuted: this.micMuted,
      masterVolume: this.masterVolume,
      recording: this.client?.recordingPath ?? null,
      participants: this.participants().length,
      reconnects: this.reconnects,
      lastError: this.lastError,
      ...conversationStatus(this.client?.getMetrics().conversation),
      e2ee: e2eeStatus(this.client?.getMetrics().e2ee, s.e2eeKey !== undefined),
    };
  }

  /** Sends an event to every listener; one that throws is logged and does not stop the others. */
  private emitEvent(event: SupervisorEvent): void {
    for (const listener of this.rawListeners('event')) {
      try {
        listener.call(this, event);
      } catch (error) {
        this.options.logger.warn('event listener failed', { err: message(error) });
      }
    }
  }

  private playbackSettings(): PlaybackSettings {
    const { jitterBufferMs, deviceFallback } = this.settings;
    return {
      ...(jitterBufferMs !== undefined ? { jitterBufferMs } : {}),
      ...(deviceFallback !== undefined ? { deviceFallback } : {}),
    };
  }

  private clientOptions(): AltoClientOptions {
    const s = this.settings;
    const credentials =
      s.apiKey !== undefined && s.apiSecret !== undefined
        ? { apiKey: s.apiKey, apiSecret: s.apiSecret, identity: s.identity, ...(s.room !== undefined ? { room: s.room } : {}) }
        : { token: s.token ?? '' };
    return {
      url: s.url,
      ...(s.fallbackUrls !== undefined && s.fallbackUrls.length > 0 ? { fallbackUrls: s.fallbackUrls } : {}),
      ...credentials,
      ...(s.name !== undefined ? { name: s.name } : {}),
      input: s.input,
      output: s.output,
      masterVolume: this.masterVolume,
      ...(s.voice !== undefined ? { voice: s.voice } : {}),
      ...(s.outputFilter !== undefined ? { outputFilter: s.outputFilter } : {}),
      ...(this.pendingRecordPath !== undefined ? { recordPath: this.pendingRecordPath } : {}),
      ...(s.agent !== undefined ? { agents: [s.agent] } : {}),
      ...(s.pushToTalk === true ? { pushToTalk: true } : {}),
      preferences: this.preferences,
      ...(s.e2eeKey !== undefined ? { e2eeKey: s.e2eeKey } : {}),
      logger: this.options.logger,
    };
  }

  private connectNow(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const attempt = this.connectOnce().finally(() => {
      if (this.connecting === attempt) this.connecting = undefined;
    });
    this.connecting = attempt;
    return attempt;
  }

  private async connectOnce(): Promise<void> {
    const generation = ++this.generation;
    this.syntheticState = 'connecting';
    try {
      // Inside the try: a factory can throw (bad options, missing native module) and that must
      // become a retry, not an unhandled rejection in a daemon meant to run for days.
      const client = this.options.createClient(this.clientOptions(), this.playbackSettings());
      this.client = client;
      const onEvent = (event: AltoEvent): void => this.onClientEvent(client, event);
      client.on('event', onEvent);
      this.unsubscribe = () => client.off('event', onEvent);
      await withTimeout(client.connect(), this.options.connectTimeoutMs ?? 30_000, 'connecting');
      if (generation !== this.generation) return;
      this.pendingRecordPath = undefined;
      this.lastError = null;
      this.attempt = 0;
      if (this.micMuted) await client.setMicrophoneMuted(true);
      this.options.logger.info('joined room', { room: this.settings.room, identity: this.settings.identity });
    } catch (error) {
      if (generation !== this.generation) return;
      this.lastError = message(error);
      this.options.logger.warn('connect failed', { err: this.lastError });
      await this.teardown('connect failed', false);
      this.scheduleRetry(this.lastError);
    }
  }

  private onClientEvent(client: AltoClientApi, event: AltoEvent): void {
    if (client !== this.client) return;
    this.emitEvent(event);
    if (event.type === 'state' && event.state === 'disconnected' && this.desired && !this.connecting) {
      const reason = event.reason ?? 'disconnected';
      this.lastError = reason;
      this.options.logger.warn('client disconnected unexpectedly', { reason });
      void this.teardown('lost connection', false).then(() => this.scheduleRetry(reason));
    }
  }

  private scheduleRetry(reason: string): void {
    if (!this.desired || this.retryTimer !== undefined) return;
    const delayMs = backoffDelayMs(this.attempt, { ...DAEMON_BACKOFF, ...this.options.backoff });
    this.attempt += 1;
    this.syntheticState = 'reconnecting';
    this.emitEvent({ type: 'reconnectScheduled', attempt: this.attempt, delayMs, reason });
    this.emitEvent({ type: 'state', state: 'reconnecting', reason });
    this.options.logger.info('retrying connect', { attempt: this.attempt, delayMs });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.desired) return;
      this.retries += 1;
      void this.connectNow();
    }, delayMs);
  }

  /** Drops the current client (disconnect + dispose), invalidating in-flight work when `bump`. */
  private async teardown(reason: string, bump = true): Promise<void> {
    if (bump) this.generation += 1;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const client = this.client;
    if (client === undefined) return;
    this.client = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.carriedSdkReconnects += client.getMetrics().reconnects;
    try {
      await withTimeout(client.disconnect(), TEARDOWN_TIMEOUT_MS, 'disconnecting');
    } catch (error) {
      this.options.logger.warn('disconnect failed', { reason, err: message(error) });
    }
  }
}

function e2eeStatus(e: AltoMetrics['e2ee'], enabled: boolean): E2eeStatusView {
  return { enabled: e?.enabled ?? enabled, local: e?.local ?? null, participants: { ...e?.participants } };
}

function conversationStatus(c: AltoMetrics['conversation']): Pick<SupervisorStatus, 'agents' | 'responseLatency'> {
  return {
    agents: (c?.agents ?? []).map((a) => ({ identity: a.identity, name: a.name, state: a.state ?? null })),
    responseLatency: { turns: c?.latency.turns ?? 0, p50Ms: c?.latency.p50Ms ?? null, p95Ms: c?.latency.p95Ms ?? null },
  };
}
