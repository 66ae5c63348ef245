import { EventEmitter } from 'node:events';
import type {
  AltoClientApi,
  AltoClientEvents,
  AltoClientOptions,
  AltoEvent,
  AltoMetrics,
  ConnectionState,
  ConversationSegment,
  LatencySummary,
  ParticipantView,
} from '@alto/orchestrator';
import { OrchestratorError } from '@alto/orchestrator';
import type { PlaybackSettings } from '../src/supervisor.js';

/** How the next fake clients behave on connect(). */
export interface FakeBehaviour {
  /** Number of upcoming connect() calls (across clients) that reject. */
  failConnects: number;
  /** Participants every new client starts with. */
  people?: ParticipantView[];
}

/** A stand-in for the orchestrator's AltoClient in unit tests: records calls, emits on demand. */
export class FakeClient implements AltoClientApi {
  state: ConnectionState = 'idle';
  microphoneMuted = false;
  recordingPath: string | undefined;
  masterVolume: number;
  readonly volumes = new Map<string, number>();
  readonly mutes = new Map<string, boolean>();
  readonly calls: string[] = [];
  disconnected = false;
  people: ParticipantView[] = [];
  metricsOverride: Partial<AltoMetrics> = {};
  private readonly events = new EventEmitter();

  constructor(
    readonly options: AltoClientOptions,
    private readonly behaviour: FakeBehaviour,
  ) {
    this.masterVolume = options.masterVolume ?? 1;
    this.recordingPath = undefined;
    this.people = [...(behaviour.people ?? [])];
  }

  async connect(): Promise<void> {
    this.calls.push('connect');
    this.setState('connecting');
    await Promise.resolve();
    if (this.behaviour.failConnects > 0) {
      this.behaviour.failConnects -= 1;
      this.setState('disconnected', 'server unreachable');
      throw new Error('could not reach the server (fake)');
    }
    this.setState('connected');
    for (const person of this.people) this.applyPreferences(person.identity);
    if (this.options.recordPath !== undefined) this.recordingPath = this.options.recordPath;
  }

  disconnect(): Promise<void> {
    this.calls.push('disconnect');
    this.disconnected = true;
    this.recordingPath = undefined;
    if (this.state !== 'disconnected') this.setState('disconnected');
    return Promise.resolve();
  }

  setMicrophoneMuted(muted: boolean): Promise<void> {
    this.calls.push(`mic:${muted}`);
    this.microphoneMuted = muted;
    return Promise.resolve();
  }

  setMasterVolume(volume: number): void {
    this.calls.push(`master:${volume}`);
    this.masterVolume = volume;
  }

  /** Like the real client: refuses identities that are not in the room. */
  private requirePresent(identity: string): void {
    if (!this.people.some((p) => p.identity === identity)) {
      throw Object.assign(new Error(`no participant '${identity}' in the room`), { code: 'UNKNOWN_PARTICIPANT' });
    }
  }

  /** Like the real client: remembers in the preferences object, then applies to who is present. */
  setParticipantVolume(identity: string, volume: number): void {
    this.options.preferences?.setVolume(identity, volume);
    this.requirePresent(identity);
    this.volumes.set(identity, volume);
  }

  setParticipantMuted(identity: string, muted: boolean): void {
    this.options.preferences?.setMuted(identity, muted);
    this.requirePresent(identity);
    this.mutes.set(identity, muted);
  }

  /** What the real client does when a participant's audio arrives: applies their remembered preference. */
  private applyPreferences(identity: string): void {
    const preference = this.options.preferences?.get(identity);
    if (preference?.volume !== undefined) this.volumes.set(identity, preference.volume);
    if (preference?.muted !== undefined) this.mutes.set(identity, preference.muted);
  }

  participants(): readonly ParticipantView[] {
    return this.people.map((p) => ({ ...p, volume: this.volumes.get(p.identity) ?? p.volume }));
  }

  getMetrics(): AltoMetrics {
    return {
      state: this.state,
      microphoneMuted: this.microphoneMuted,
      reconnects: 0,
      input: { framesCaptured: 4800, overflows: 1, errors: 0, levelDbfs: -30 },
      output: { framesPlayed: 9600, underruns: 3 },
      network: { framesSent: 100, framesReceived: 200, bytesReceived: 19200, textStreamsDropped: 2 },
      mixer: null,
      conversation: { agents: [], latency: { turns: 0, p50Ms: undefined, p95Ms: undefined }, turns: [], talking: this.talking },
      ...this.metricsOverride,
    };
  }

  startRecording(path: string): Promise<void> {
    if (path.includes('fail')) return Promise.reject(new Error('EACCES (fake)'));
    if (this.options.output === false) return Promise.reject(new OrchestratorError('NOT_RECEIVING', 'receives no remote audio (fake)'));
    this.recordingPath = path;
    return Promise.resolve();
  }

  stopRecording(): Promise<void> {
    this.calls.push('stopRecording');
    this.recordingPath = undefined;
    return Promise.resolve();
  }

  /** Chat messages sent, in order. */
  readonly chats: string[] = [];
  talking = false;

  sendChat(text: string): Promise<void> {
    this.calls.push('sendChat');
    this.chats.push(text);
    return Promise.resolve();
  }

  startTurn(): Promise<void> {
    this.calls.push('startTurn');
    this.talking = true;
    return Promise.resolve();
  }

  endTurn(): Promise<void> {
    this.calls.push('endTurn');
    this.talking = false;
    return Promise.resolve();
  }

  cancelTurn(): Promise<void> {
    this.calls.push('cancelTurn');
    this.talking = false;
    return Promise.resolve();
  }

  conversation(): readonly ConversationSegment[] {
    return [];
  }

  latencySummary(): LatencySummary {
    return { turns: 0, p50Ms: undefined, p95Ms: undefined };
  }

  on<K extends keyof AltoClientEvents>(event: K, listener: (...args: AltoClientEvents[K]) => void): this {
    this.events.on(event, listener as (...args: unknown[]) => void);
    return this;
  }

  off<K extends keyof AltoClientEvents>(event: K, listener: (...args: AltoClientEvents[K]) => void): this {
    this.events.off(event, listener as (...args: unknown[]) => void);
    return this;
  }

  /** Emits an event as the real client would. */
  emit(event: AltoEvent): void {
    if (event.type === 'participantJoined') this.applyPreferences(event.identity);
    this.events.emit('event', event);
  }

  /** Changes state and emits the state event. */
  setState(state: ConnectionState, reason?: string): void {
    this.state = state;
    this.emit(reason === undefined ? { type: 'state', state } : { type: 'state', state, reason });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.disconnect();
  }
}

/** A factory that records every client it makes. */
export function fakeFactory(behaviour: FakeBehaviour = { failConnects: 0 }): {
  create: (options: AltoClientOptions, playback?: PlaybackSettings) => FakeClient;
  clients: FakeClient[];
  /** The playback settings each client was built with, in order. */
  playbacks: PlaybackSettings[];
  behaviour: FakeBehaviour;
  latest: () => FakeClient;
} {
  const clients: FakeClient[] = [];
  const playbacks: PlaybackSettings[] = [];
  return {
    clients,
    playbacks,
    behaviour,
    create: (options, playback = {}) => {
      playbacks.push(playback);
      const client = new FakeClient(options, behaviour);
      clients.push(client);
      return client;
    },
    latest: () => {
      const client = clients.at(-1);
      if (client === undefined) throw new Error('no client created yet');
      return client;
    },
  };
}

/** A participant view with defaults. */
export function participant(identity: string, extra: Partial<ParticipantView> = {}): ParticipantView {
  return {
    identity,
    name: identity,
    volume: 1,
    locallyMuted: false,
    remoteMuted: false,
    speaking: false,
    levelDbfs: -40,
    peakDbfs: -30,
    bufferedMs: 40,
    ...extra,
  };
}
