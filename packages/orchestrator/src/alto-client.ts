import { ProcessorChain, noopLogger, type Logger, type MixerMetrics } from '@alto/mixer-core';
import type {
  AltoClientApi,
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
import { RecordingClock } from './recording-clock.js';
import { createDefaultComponents } from './real-components.js';
import { TeeMixer } from './tee-mixer.js';
import { VoiceProcessing, voiceProcessingEnabled } from './voice-processing.js';
import { instantiatePlugin, loadPluginModule } from './voice-plugins.js';

/** Where a tapped block of audio comes from. */
export type AudioTapSource = { readonly kind: 'microphone' } | { readonly kind: 'participant'; readonly identity: string };
import { validateClientOptions } from './validate-options.js';

const SILENT_DBFS = -120;

/**
 * The Python Alto Terminal's AudioClientOrchestrator: builds the components in a fixed order, tears down what
 * was built when a step fails, and offers one API (and one event stream) to the apps.
 */
export class AltoClient implements AltoClientApi {
  private readonly options: AltoClientOptions;
  private readonly format: AudioFormat;
  private readonly logger: Logger;
  private readonly listeners = new Set<(event: AltoEvent) => void>();
  private readonly participantVolumes = new Map<string, number>();
  private readonly participantMutes = new Map<string, boolean>();
  private readonly unsubscribers: Array<() => void> = [];
  private output: OutputComponent | undefined;
  /** Everything remote audio passes through: the output's mixer, plus a recorder and taps. */
  private mixerFront: TeeMixer | undefined;
  private recorder: OutputComponent | undefined;
  private readonly audioTaps = new Set<(source: AudioTapSource, frame: Int16Array) => void>();
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
    this.options = validateClientOptions(options);
    this.format = { sampleRate: this.options.sampleRate ?? 48_000, channels: this.options.channels ?? 1 };
    this.logger = this.options.logger ?? noopLogger;
    this.masterVolume = this.options.masterVolume ?? 1;
    this.tracker = new ConnectionStatusTracker(this.options.url, (status) => this.emit({ type: 'connectionStatus', status }));
    this.muted = this.options.pushToTalk === true;
    this.talk = new ConversationController({
      emit: (event) => this.emit(event),
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
      this.unsubscribers.push(output.onError((error) => this.emitError('OUTPUT_DEVICE', error)));
      if (output.onRecovery) this.unsubscribers.push(output.onRecovery((change) => this.emit({ type: 'device', device: 'output', change })));
      // 3–4. The network routes every remote track into that mixer.
      const network = factory.createNetwork(
        { ...this.options, publish: this.options.input !== false, subscribe: this.receivesRemoteAudio() },
        front,
        format,
        logger,
      );
      this.network = network;
      this.unsubscribers.push(network.onEvent((event) => this.onNetworkEvent(event)));
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
        this.unsubscribers.push(
          input.onFrame((frame) => {
            chain?.process(frame, channels, sampleRate);
            network.captureFrame(frame);
            this.talk.microphoneFrame(frame, channels, this.muted);
            if (this.audioTaps.size > 0) this.emitAudio({ kind: 'microphone' }, frame);
          }),
        );
        this.unsubscribers.push(input.onError((error) => this.emitError('INPUT_DEVICE', error)));
        if (input.onRecovery) this.unsubscribers.push(input.onRecovery((change) => this.emit({ type: 'device', device: 'input', change })));
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
      for (const event of held) this.emit(event);
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
    assertVolume(volume);
    this.participantVolumes.set(identity, volume);
    for (const id of this.streamIdsOf(identity)) this.mixerFront?.setStreamVolume(id, volume);
  }

  setParticipantMuted(identity: string, muted: boolean): void {
    this.participantMutes.set(identity, muted);
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
      return {
        identity: p.identity,
        name: p.name,
        volume: this.participantVolumes.get(p.identity) ?? 1,
        locallyMuted: this.participantMutes.get(p.identity) ?? false,
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

  /**
   * Sees the microphone's frames and every remote block as they pass (for spectrum views).
   * Listeners run on the audio path: copy what you keep, do no heavy work.
   */
  onAudio(listener: (source: AudioTapSource, frame: Int16Array) => void): () => void {
    this.audioTaps.add(listener);
    return () => this.audioTaps.delete(listener);
  }

  private tapRemote(streamId: string, samples: Int16Array): void {
    if (this.audioTaps.size === 0) return;
    const identity = this.streamOwners.get(streamId);
    if (identity !== undefined) this.emitAudio({ kind: 'participant', identity }, samples);
  }

  private emitAudio(source: AudioTapSource, frame: Int16Array): void {
    for (const tap of this.audioTaps) tap(source, frame);
  }

  onEvent(listener: (event: AltoEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private onNetworkEvent(event: NetworkEvent): void {
    if (event.type === 'streamAdded') {
      this.streamOwners.set(event.streamId, event.identity);
      const volume = this.participantVolumes.get(event.identity);
      if (volume !== undefined) this.mixerFront?.setStreamVolume(event.streamId, volume);
      if (this.participantMutes.get(event.identity)) this.mixerFront?.setStreamMuted(event.streamId, true);
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
    else this.emit(event);
  }

  private setState(state: ConnectionState, reason?: string): void {
    if (this.currentState === state) return;
    this.currentState = state;
    this.emit(reason === undefined ? { type: 'state', state } : { type: 'state', state, reason });
  }

  private emitError(code: string, error: Error): void {
    this.logger.warn('component error', { code, error: error.message });
    this.emit({ type: 'error', code, message: error.message });
  }

  private emit(event: AltoEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.warn('event listener threw', { error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
}

function assertVolume(volume: number): void {
  if (!Number.isFinite(volume) || volume < 0 || volume > 2) {
    throw new OrchestratorError('INVALID_OPTIONS', `volume must be between 0 and 2, got ${volume}`);
  }
}
