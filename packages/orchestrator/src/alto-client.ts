import { ProcessorChain, noopLogger, type Logger, type MixerMetrics } from '@alto/mixer-core';
import { EventEmitter } from 'node:events';
import type {
  AltoClientApi,
  AltoClientEvents,
  AltoClientOptions,
  AltoEvent,
  AltoMetrics,
  ConnectionState,
  ParticipantView,
  RecordingFileOptions,
} from './client-types.js';
import type {
  AudioFormat,
  ComponentFactory,
  DeviceRecovery,
  InputComponent,
  NetworkComponent,
  NetworkEvent,
  OutputComponent,
} from './components.js';
import { describeConnectFailure } from '@alto/livekit-net';
import { ConnectionStatusTracker, type ConnectionStatus } from './connection-status.js';
import { ConversationController } from './conversation-controller.js';
import type { ConversationSegment, LatencySummary } from './conversation-types.js';
import { OrchestratorError } from './errors.js';
import { ParticipantPreferences, assertVolume } from './participant-preferences.js';
import { RecordingClock } from './recording-clock.js';
import { createDefaultComponents } from './real-components.js';
import { TeeMixer } from './tee-mixer.js';
import { VoiceProcessing, voiceProcessingEnabled } from './voice-processing.js';
import { instantiatePlugin, loadPluginModule } from './voice-plugins.js';

import { validateClientOptions } from './validate-options.js';

const SILENT_DBFS = -120;

/**
 * The Python Alto Terminal's AudioClientOrchestrator: builds the components in a fixed order, tears down what
 * was built when a step fails, and offers one API (and one event stream) to the apps. Events are
 * Node's typed `EventEmitter` ({@link AltoClientEvents}): `client.on('event', listener)`,
 * `client.off('event', listener)`; `'audio'` taps the audio as it passes.
 */
export class AltoClient extends EventEmitter<AltoClientEvents> implements AltoClientApi {
  private readonly options: AltoClientOptions;
  private readonly format: AudioFormat;
  private readonly logger: Logger;
  /** Volumes and local mutes by identity; the caller's object when one was given, so they outlive this client. */
  private readonly preferences: ParticipantPreferences;
  private readonly unsubscribers: Array<() => void> = [];
  private output: OutputComponent | undefined;
  /** Everything remote audio passes through: the output's mixer, plus a recorder and taps. */
  private mixerFront: TeeMixer | undefined;
  private recorder: OutputComponent | undefined;
  private readonly streamOwners = new Map<string, string>();
  private network: NetworkComponent | undefined;
  private input: InputComponent | undefined;
  /** Microphone inserts: voice processing, then user plugins. */
  private micChain: ProcessorChain | undefined;
  private voice: VoiceProcessing | undefined;
  private currentState: ConnectionState = 'idle';
  private muted = false;
  private masterVolume: number;
  private recording: string | undefined;
  private readonly recordingClock = new RecordingClock();
  private connecting: Promise<void> | undefined;
  private disconnecting: Promise<void> | undefined;
  private readonly tracker: ConnectionStatusTracker;
  /** Room events that arrived while joining: sent after `connected`, so that comes first. */
  private heldEvents: AltoEvent[] | undefined;
  /** Agents, transcript, chat, push-to-talk turns and response latency. */
  private readonly talk: ConversationController;

  constructor(
    options: AltoClientOptions,
    private readonly factory: ComponentFactory = createDefaultComponents(),
  ) {
    super();
    // Several views (a TUI, a transcript file, an agent session) may listen at once.
    this.setMaxListeners(0);
    this.options = validateClientOptions(options);
    this.format = { sampleRate: this.options.sampleRate ?? 48_000, channels: this.options.channels ?? 1 };
    this.logger = this.options.logger ?? noopLogger;
    this.masterVolume = this.options.masterVolume ?? 1;
    this.preferences = this.options.preferences ?? new ParticipantPreferences();
    this.tracker = new ConnectionStatusTracker(this.options.url, (status) => this.emitEvent({ type: 'connectionStatus', status }));
    this.muted = this.options.pushToTalk === true;
    this.talk = new ConversationController({
      emit: (event) => this.emitEvent(event),
      setMicrophoneMuted: (muted) => this.setMicrophoneMuted(muted),
      logger: this.logger,
      sampleRate: this.format.sampleRate,
      mixerDelayMs: () => this.output?.metrics().mixerDelayMs ?? 0,
    });
  }

  /** The connection as a UI should show it: phase, server, attempt, elapsed time, reason. */
  get status(): ConnectionStatus {
    return this.tracker.status;
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  get microphoneMuted(): boolean {
    return this.muted;
  }

  get recordingPath(): string | undefined {
    return this.recording;
  }

  /**
   * When the current recording started, in ms since the call started (the clock of the
   * conversation's segment times): subtract it to place a segment in the WAV file.
   */
  get recordingOffsetMs(): number | undefined {
    return this.recording === undefined ? undefined : this.recordingClock.startMs;
  }

  /** When the microphone's first frame began, in ms since the call started (same clock). */
  get microphoneStartMs(): number | undefined {
    const ms = this.talk.conversation.microphoneStartMs;
    return ms === undefined ? undefined : Math.round(ms);
  }

  connect(): Promise<void> {
    if (this.currentState === 'connected' || this.currentState === 'reconnecting') return Promise.resolve();
    this.connecting ??= this.runConnect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async runConnect(): Promise<void> {
    this.setState('connecting');
    this.tracker.connecting();
    this.heldEvents = [];
    const { factory, format, logger } = this;
    try {
      // 1–2. The mixer lives next to the output device, so opening the output creates it.
      // Capture-only clients still mix into a null sink: meters and metrics keep working.
      const outputSpec = this.options.output === false ? 'null' : (this.options.output ?? 'default');
      const output = await factory.openOutput(
        outputSpec,
        format,
        logger,
        this.options.outputFilter === undefined ? {} : { outputFilter: this.options.outputFilter },
      );
      this.output = output;
      const front = new TeeMixer(output.mixer);
      this.mixerFront = front;
      front.tap = (streamId, samples) => {
        // The echo canceller's far-end reference: remote audio as it enters the mixer.
        this.voice?.feedFarEnd(streamId, samples);
        const owner = this.streamOwners.get(streamId);
        if (owner !== undefined) this.talk.conversation.remoteBlock(owner, samples);
        this.tapRemote(streamId, samples);
      };
      front.setMasterVolume(this.masterVolume);
      const onOutputError = (error: Error): void => this.emitError('OUTPUT_DEVICE', error);
      const onOutputRecovery = (change: DeviceRecovery): void => this.emitEvent({ type: 'device', device: 'output', change });
      output.on('error', onOutputError).on('recovery', onOutputRecovery);
      this.unsubscribers.push(() => output.off('error', onOutputError).off('recovery', onOutputRecovery));
      // 3–4. The network routes every remote track into that mixer.
      const network = factory.createNetwork(
        { ...this.options, publish: this.options.input !== false, subscribe: this.receivesRemoteAudio() },
        front,
        format,
        logger,
      );
      this.network = network;
      const onNetworkEvent = (event: NetworkEvent): void => this.onNetworkEvent(event);
      network.on('event', onNetworkEvent);
      this.unsubscribers.push(() => network.off('event', onNetworkEvent));
      await network.connect();
      this.talk.attach(network, this.options.agents ?? [], this.options.agentJoinTimeoutMs);
      // 5–6. Publish, then capture into the published source.
      if (this.options.input !== false) {
        await network.publishMicrophone();
        if (this.muted) await network.setMicrophoneMuted(true);
        const chain = await this.buildMicrophoneChain();
        const input = await factory.openInput(this.options.input ?? 'default', format, logger);
        this.input = input;
        const { sampleRate, channels } = format;
        const onFrame = (frame: Int16Array): void => {
          chain?.process(frame, channels, sampleRate);
          network.captureFrame(frame);
          this.talk.microphoneFrame(frame, channels, this.muted);
          if (this.listenerCount('audio') > 0) this.emit('audio', { kind: 'microphone' }, frame);
        };
        const onInputError = (error: Error): void => this.emitError('INPUT_DEVICE', error);
        const onInputRecovery = (change: DeviceRecovery): void => this.emitEvent({ type: 'device', device: 'input', change });
        input.on('frame', onFrame).on('error', onInputError).on('recovery', onInputRecovery);
        this.unsubscribers.push(() => input.off('frame', onFrame).off('error', onInputError).off('recovery', onInputRecovery));
      }
      // 7–8. Start the devices.
      await output.start();
      if (this.recording === undefined && this.options.recordPath !== undefined) {
        await this.startRecording(this.options.recordPath);
      }
      if (this.input) await this.input.start();
      this.setState('connected');
      this.tracker.connected();
      const held = this.heldEvents;
      this.heldEvents = undefined;
      for (const event of held) this.emitEvent(event);
    } catch (error) {
      logger.debug('connect failed; cleaning up', { error: error instanceof Error ? error.message : String(error) });
      this.heldEvents = undefined;
      this.tracker.failed(describeConnectFailure(error));
      await this.cleanup();
      this.setState('disconnected', error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  /** Voice processing and user plugins as one microphone insert; undefined when there are none. */
  private async buildMicrophoneChain(): Promise<ProcessorChain | undefined> {
    const { voice, plugins } = this.options;
    if (!voiceProcessingEnabled(voice) && !plugins?.length) return undefined;
    const chain = new ProcessorChain();
    this.micChain = chain;
    if (voice && voiceProcessingEnabled(voice)) {
      const v = new VoiceProcessing(voice, this.format, () => this.echoPathDelayMs(), this.logger);
      this.voice = v;
      chain.add(v);
    }
    for (const plugin of plugins ?? []) {
      const factory = typeof plugin === 'string' ? await loadPluginModule(plugin) : plugin;
      chain.add(await instantiatePlugin(factory, { ...this.format, position: 'microphone' }));
    }
    return chain;
  }

  /**
   * How long after entering the mixer a remote sound shows up in a microphone frame: mixer
   * buffering + output latency + input latency, as the devices report them (the acoustic path
   * itself is a few ms). The Python original never set this.
   */
  private echoPathDelayMs(): number {
    return (this.output?.metrics().latencyMs ?? 0) + (this.input?.metrics().latencyMs ?? 0);
  }

  disconnect(): Promise<void> {
    this.disconnecting ??= (async () => {
      await this.connecting?.catch(() => {});
      if (!this.output && !this.network && !this.input) return;
      await this.cleanup();
      this.setState('disconnected', 'client disconnected');
      // A session that failed stays failed: leaving afterwards only tidies up.
      if (this.tracker.status.phase !== 'failed') this.tracker.disconnected();
    })().finally(() => {
      this.disconnecting = undefined;
    });
    return this.disconnecting;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.disconnect();
  }

  /** Reverse init order; every step runs even if an earlier one throws. */
  private async cleanup(): Promise<void> {
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
    this.talk.detach();
    this.recordingClock.stop();
    const steps: Array<[string, () => Promise<void>]> = [];
    const { input, output, network, recorder } = this;
    this.input = undefined;
    this.network = undefined;
    this.output = undefined;
    this.recorder = undefined;
    this.mixerFront?.detach();
    this.mixerFront = undefined;
    this.streamOwners.clear();
    const chain = this.micChain;
    this.micChain = undefined;
    this.voice = undefined;
    if (input) steps.push(['input', () => input.stop()]);
    if (recorder) steps.push(['recording', () => recorder.stop()]);
    if (output) steps.push(['output', () => output.stop()]);
    if (network) steps.push(['network', () => network.disconnect()]);
    // After the input stops: the chain runs on its frames.
    if (chain) steps.splice(input ? 1 : 0, 0, ['microphone inserts', () => Promise.resolve(chain.dispose())]);
    this.recording = undefined;
    for (const [name, step] of steps) {
      try {
        await step();
      } catch (error) {
        this.logger.warn('cleanup step failed', { step: name, error: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  async setMicrophoneMuted(muted: boolean): Promise<void> {
    this.muted = muted;
    if (this.network && this.options.input !== false) await this.network.setMicrophoneMuted(muted);
  }

  setMasterVolume(volume: number): void {
    assertVolume(volume);
    this.masterVolume = volume;
    this.mixerFront?.setMasterVolume(volume);
  }

  setParticipantVolume(identity: string, volume: number): void {
    this.preferences.setVolume(identity, volume);
    for (const id of this.streamIdsOf(identity)) this.mixerFront?.setStreamVolume(id, volume);
  }

  setParticipantMuted(identity: string, muted: boolean): void {
    this.preferences.setMuted(identity, muted);
    for (const id of this.streamIdsOf(identity)) this.mixerFront?.setStreamMuted(id, muted);
  }

  private streamIdsOf(identity: string): readonly string[] {
    const participant = this.network?.participants().find((p) => p.identity === identity);
    if (!participant) {
      throw new OrchestratorError('UNKNOWN_PARTICIPANT', `no participant '${identity}' in the room`);
    }
    return participant.streamIds;
  }

  participants(): readonly ParticipantView[] {
    const network = this.network;
    if (!network) return [];
    const mixerMetrics = this.mixerFront?.getMetrics();
    const byStream = new Map((mixerMetrics?.streams ?? []).map((s) => [s.id, s]));
    return network.participants().map((p) => {
      const streams = p.streamIds.map((id) => byStream.get(id)).filter((s) => s !== undefined);
      const loudest = streams.reduce((a, s) => Math.max(a, s.level.rmsDbfs), SILENT_DBFS);
      const preference = this.preferences.get(p.identity);
      return {
        identity: p.identity,
        name: p.name,
        volume: preference?.volume ?? 1,
        locallyMuted: preference?.muted ?? false,
        remoteMuted: p.remoteMuted,
        speaking: streams.some((s) => s.level.speaking),
        levelDbfs: loudest,
        peakDbfs: streams.reduce((a, s) => Math.max(a, s.level.peakDbfs), SILENT_DBFS),
        bufferedMs: streams.reduce((a, s) => Math.max(a, s.bufferedMs), 0),
        ...(p.e2ee === undefined ? {} : { e2ee: p.e2ee }),
      };
    });
  }

  getMetrics(): AltoMetrics {
    const network = this.network?.metrics();
    const mixer: MixerMetrics | null = this.mixerFront?.getMetrics() ?? null;
    return {
      state: this.currentState,
      microphoneMuted: this.muted,
      reconnects: network?.reconnects ?? 0,
      input: this.input ? { ...this.input.metrics() } : null,
      output: this.output ? { ...this.output.metrics() } : null,
      network: {
        framesSent: network?.framesSent ?? 0,
        framesReceived: network?.framesReceived ?? 0,
        bytesReceived: network?.bytesReceived ?? 0,
        textStreamsDropped: network?.textStreamsDropped ?? 0,
      },
      mixer,
      voice: this.voice ? { stages: { ...this.voice.options }, streamDelayMs: this.voice.streamDelayMs } : null,
      conversation: this.talk.metrics(),
      e2ee: this.network?.e2ee?.() ?? { enabled: this.options.e2eeKey !== undefined, local: undefined, participants: {} },
    };
  }

  /** A client that neither plays nor records subscribes to nothing: no remote audio is decoded. */
  private receivesRemoteAudio(): boolean {
    return this.options.output !== false || this.options.recordPath !== undefined;
  }

  sendChat(text: string): Promise<void> {
    return this.talk.sendChat(text);
  }

  startTurn(): Promise<void> {
    return this.talk.startTurn();
  }

  endTurn(): Promise<void> {
    return this.talk.endTurn();
  }

  cancelTurn(): Promise<void> {
    return this.talk.cancelTurn();
  }

  conversation(): readonly ConversationSegment[] {
    return this.talk.segments();
  }

  latencySummary(): LatencySummary {
    return this.talk.latency();
  }

  /** Records by opening a second output (a WAV file) and teeing every stream into its mixer. */
  async startRecording(path: string, file: RecordingFileOptions = {}): Promise<void> {
    const front = this.mixerFront;
    if (!front) throw new OrchestratorError('NOT_CONNECTED', 'cannot record: the client is not connected');
    if (!this.receivesRemoteAudio()) {
      throw new OrchestratorError(
        'NOT_RECEIVING',
        'cannot record: this client plays nothing (no output), so it receives no remote audio; join with an output (even a null one) to record',
      );
    }
    await this.stopRecording();
    const options = [...(file.exclusive ? ['exclusive'] : []), ...(file.mode !== undefined ? [`mode=${file.mode.toString(8)}`] : [])];
    const spec = `wav:${path}${options.length > 0 ? `?${options.join('&')}` : ''}`;
    const recorder = await this.factory.openOutput(spec, this.format, this.logger);
    try {
      await recorder.start();
    } catch (error) {
      await recorder.stop().catch(() => {});
      throw error;
    }
    this.recorder = recorder;
    this.recording = path;
    front.attach(recorder.mixer);
    this.recordingClock.start(() => this.talk.conversation.elapsedMs(), () => recorder.metrics().framesPlayed);
  }

  async stopRecording(): Promise<void> {
    this.recordingClock.stop();
    const recorder = this.recorder;
    this.recorder = undefined;
    this.recording = undefined;
    if (!recorder) return;
    this.mixerFront?.detach();
    await recorder.stop();
  }

  private tapRemote(streamId: string, samples: Int16Array): void {
    if (this.listenerCount('audio') === 0) return;
    const identity = this.streamOwners.get(streamId);
    if (identity !== undefined) this.emit('audio', { kind: 'participant', identity }, samples);
  }

  private onNetworkEvent(event: NetworkEvent): void {
    if (event.type === 'streamAdded') {
      this.streamOwners.set(event.streamId, event.identity);
      const preference = this.preferences.get(event.identity);
      if (preference?.volume !== undefined) this.mixerFront?.setStreamVolume(event.streamId, preference.volume);
      if (preference?.muted === true) this.mixerFront?.setStreamMuted(event.streamId, true);
      return;
    }
    if (event.type === 'reconnectAttempt') return this.tracker.attemptStarted();
    if (event.type === 'attemptFailed') return this.tracker.attemptFailed(event.failure);
    if (this.talk.handleNetworkEvent(event)) return;
    if (event.type === 'state') {
      // The network reports reconnects; connecting/disconnected belong to this class's lifecycle.
      if (event.state === 'reconnecting' || (event.state === 'connected' && this.currentState === 'reconnecting')) {
        this.setState(event.state, event.reason);
        if (event.state === 'reconnecting') this.tracker.reconnecting();
        else this.tracker.connected();
      } else if (event.state === 'disconnected' && (this.currentState === 'connected' || this.currentState === 'reconnecting')) {
        this.setState('disconnected', event.reason);
        this.tracker.failed(undefined);
      }
      return;
    }
    if (this.heldEvents) this.heldEvents.push(event);
    else this.emitEvent(event);
  }

  private setState(state: ConnectionState, reason?: string): void {
    if (this.currentState === state) return;
    this.currentState = state;
    this.emitEvent(reason === undefined ? { type: 'state', state } : { type: 'state', state, reason });
  }

  private emitError(code: string, error: Error): void {
    this.logger.warn('component error', { code, error: error.message });
    this.emitEvent({ type: 'error', code, message: error.message });
  }

  /** Sends an event to every `event` listener; one that throws is logged and does not stop the others. */
  private emitEvent(event: AltoEvent): void {
    for (const listener of this.rawListeners('event')) {
      try {
        listener.call(this, event);
      } catch (error) {
        this.logger.warn('event listener threw', { error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
}
