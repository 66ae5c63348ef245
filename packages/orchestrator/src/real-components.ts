import { DEFAULT_JITTER_BUFFER_MS, openAudioInput, openAudioOutput, type AudioInput, type AudioOutput } from '@alto/device-io';
import { LiveKitSession, configureSdkLogging, shutdownLiveKit, type ConnectTarget, type E2eeStatus } from '@alto/livekit-net';
import type { Logger, MixerSink } from '@alto/mixer-core';
import { EventEmitter } from 'node:events';
import type {
  AudioFormat,
  ComponentFactory,
  DeviceComponentEvents,
  InputComponent,
  InputComponentEvents,
  NetworkComponent,
  NetworkComponentEvents,
  NetworkEvent,
  NetworkSettings,
  OutputComponent,
  RemoteParticipantInfo,
} from './components.js';

/** Environment handed to device host processes (e.g. PULSE_SERVER for virtual devices). */
export interface DefaultComponentsOptions {
  readonly deviceEnv?: Readonly<Record<string, string>>;
  /**
   * Mixer jitter-buffer target per stream, ms. Setting it (or `outputQueue`) fixes the receive
   * buffers at that size; by default they adapt to the jitter and scheduling slack observed.
   */
  readonly targetLatencyMs?: number;
  /** 10 ms blocks queued ahead of PortAudio, fixed (see `targetLatencyMs`). */
  readonly outputQueue?: number;
  /** Native AudioSource queue, ms (latency knob; see livekit-net's README). */
  readonly sourceQueueMs?: number;
  /**
   * Where audio goes while a chosen microphone or speaker is gone (unplugged): this device until
   * the chosen one opens again. Default `'default'`, the system's device; `false` keeps retrying
   * the chosen device only.
   */
  readonly deviceFallback?: number | string | false;
}

const SILENT_DBFS = -120;

function frameLevelDbfs(frame: Int16Array): number {
  let sum = 0;
  for (let i = 0; i < frame.length; i++) {
    const v = (frame[i] ?? 0) / 32768;
    sum += v * v;
  }
  const rms = Math.sqrt(sum / Math.max(1, frame.length));
  return rms > 0 ? Math.max(SILENT_DBFS, 20 * Math.log10(rms)) : SILENT_DBFS;
}


/**
 * Re-emits a device-io handler's events as a component's: `error` (logged instead when nobody
 * listens, as device-io itself does), and `reopened`, `fallback`, `restored` as one `recovery`.
 */
function forwardDeviceEvents(handler: AudioInput | AudioOutput, component: EventEmitter<DeviceComponentEvents>, logger: Logger): void {
  handler.on('error', (error) => {
    if (component.listenerCount('error') > 0) component.emit('error', error);
    else logger.error('audio device failed', { error: error.message });
  });
  for (const change of ['reopened', 'fallback', 'restored'] as const) handler.on(change, () => component.emit('recovery', change));
}

class DeviceOutput extends EventEmitter<DeviceComponentEvents> implements OutputComponent {
  constructor(
    private readonly output: AudioOutput,
    /** Fixed jitter target, or undefined when the host's targets adapt (then read from its metrics). */
    private readonly mixerLatencyMs: number | undefined,
    logger: Logger,
  ) {
    super();
    forwardDeviceEvents(output, this, logger);
  }

  get mixer(): MixerSink {
    return this.output.mixer;
  }

  start(): Promise<void> {
    return this.output.start();
  }

  stop(): Promise<void> {
    return this.output.stop();
  }

  metrics(): { framesPlayed: number; underruns: number; latencyMs: number; mixerDelayMs: number } {
    const m = this.output.metrics();
    let mixerMs = this.mixerLatencyMs ?? 0;
    if (this.mixerLatencyMs === undefined) for (const s of m.mixer.streams) mixerMs = Math.max(mixerMs, s.targetMs);
    return { framesPlayed: m.frames, underruns: m.underruns, latencyMs: m.latencyMs + mixerMs, mixerDelayMs: mixerMs };
  }
}

class DeviceInput extends EventEmitter<InputComponentEvents> implements InputComponent {
  private levelDbfs = SILENT_DBFS;

  constructor(
    private readonly input: AudioInput,
    logger: Logger,
  ) {
    super();
    input.on('frame', (frame) => {
      this.levelDbfs = frameLevelDbfs(frame);
      this.emit('frame', frame);
    });
    forwardDeviceEvents(input, this as unknown as EventEmitter<DeviceComponentEvents>, logger);
  }

  start(): Promise<void> {
    return this.input.start();
  }

  stop(): Promise<void> {
    return this.input.stop();
  }

  metrics() {
    const m = this.input.metrics();
    return { framesCaptured: m.frames, overflows: m.overflows, errors: m.errors, levelDbfs: this.levelDbfs, latencyMs: m.latencyMs };
  }
}

class SessionNetwork extends EventEmitter<NetworkComponentEvents> implements NetworkComponent {
  private readonly session: LiveKitSession;
  private readonly remoteMuted = new Map<string, boolean>();

  constructor(
    private readonly settings: NetworkSettings,
    mixer: MixerSink,
    format: AudioFormat,
    options: DefaultComponentsOptions,
    logger: Logger,
  ) {
    super();
    this.session = new LiveKitSession({
      mixer,
      sampleRate: format.sampleRate,
      channels: format.channels,
      microphone: settings.publish ? (options.sourceQueueMs === undefined ? {} : { queueSizeMs: options.sourceQueueMs }) : false,
      subscribe: settings.subscribe,
      logger,
      ...(settings.e2eeKey ? { e2ee: { sharedKey: settings.e2eeKey } } : {}),
    });
    this.wireEvents();
  }

  private wireEvents(): void {
    const s = this.session;
    const emit = (event: NetworkEvent): void => {
      this.emit('event', event);
    };
    s.on('connectionState', (state) => {
      // The end of a session is reported below, with its reason.
      if (state !== 'disconnected') emit({ type: 'state', state });
    });
    s.on('disconnected', (e) => {
      if (e.failure) emit({ type: 'attemptFailed', failure: e.failure });
      if (!e.willReconnect) emit({ type: 'state', state: 'disconnected', reason: e.failure?.reason ?? e.reason });
    });
    s.on('reconnecting', () => emit({ type: 'reconnectAttempt' }));
    s.on('reconnectFailed', (e) => emit({ type: 'attemptFailed', failure: { reason: e.reason, message: e.message } }));
    s.on('participantJoined', (p) => emit({ type: 'participantJoined', identity: p.identity, name: p.name ?? p.identity }));
    s.on('participantLeft', (p) => {
      this.remoteMuted.delete(p.identity);
      emit({ type: 'participantLeft', identity: p.identity });
    });
    s.on('trackMuted', (e) => {
      if (e.local) return;
      this.remoteMuted.set(e.participantIdentity, true);
      emit({ type: 'trackMuted', identity: e.participantIdentity, muted: true });
    });
    s.on('trackUnmuted', (e) => {
      if (e.local) return;
      this.remoteMuted.set(e.participantIdentity, false);
      emit({ type: 'trackMuted', identity: e.participantIdentity, muted: false });
    });
    s.on('activeSpeakers', (identities) => emit({ type: 'activeSpeakers', identities }));
    s.on('connectionQuality', (e) => {
      if (e.participantIdentity === s.getMetrics().localIdentity) emit({ type: 'connectionQuality', quality: e.quality });
      else emit({ type: 'participantQuality', identity: e.participantIdentity, quality: e.quality });
    });
    s.on('transcription', (e) =>
      emit({
        type: 'transcriptionUpdate',
        identity: e.participantIdentity,
        segmentId: e.segmentId,
        trackSid: e.trackSid,
        text: e.text,
        final: e.final,
        complete: e.complete,
      }),
    );
    s.on('agentJoined', (a) => emit({ type: 'agentJoined', identity: a.identity, agentName: a.agentName, state: a.state }));
    s.on('agentLeft', (a) => emit({ type: 'agentLeft', identity: a.identity }));
    s.on('agentState', (e) => emit({ type: 'agentStateChanged', identity: e.identity, state: e.state, previous: e.previous }));
    s.on('chat', (e) => emit({ type: 'chatReceived', identity: e.participantIdentity, id: e.streamId, text: e.text }));
    s.on('data', (e) => emit({ type: 'data', identity: e.participantIdentity ?? '', topic: e.topic ?? '', payload: e.payload }));
    s.on('remoteAudioAdded', (info) => emit({ type: 'streamAdded', streamId: info.trackSid, identity: info.participantIdentity }));
    s.on('e2eeState', (e) => emit({ type: 'e2ee', identity: e.participantIdentity, local: e.local, state: e.state }));
  }

  connect(): Promise<void> {
    const s = this.settings;
    const fallback = s.fallbackUrls && s.fallbackUrls.length > 0 ? { fallbackUrls: s.fallbackUrls } : {};
    const target: ConnectTarget = s.token
      ? { url: s.url, token: s.token, ...fallback }
      : {
          url: s.url,
          ...fallback,
          apiKey: s.apiKey ?? '',
          apiSecret: s.apiSecret ?? '',
          room: s.room ?? '',
          identity: s.identity ?? '',
          ...(s.name === undefined ? {} : { name: s.name }),
          ...(s.agents && s.agents.length > 0 ? { agents: s.agents } : {}),
        };
    return this.session.connect(target);
  }

  /** livekit-net publishes the microphone as the last step of connect (and again after rejoins). */
  publishMicrophone(): Promise<void> {
    return Promise.resolve();
  }

  captureFrame(frame: Int16Array): void {
    this.session.captureFrame(frame);
  }

  setMicrophoneMuted(muted: boolean): Promise<void> {
    this.session.setMicrophoneMuted(muted);
    return Promise.resolve();
  }

  disconnect(): Promise<void> {
    return this.session.disconnect();
  }

  participants(): readonly RemoteParticipantInfo[] {
    const streams = this.session.remoteAudioStreams();
    const e2ee = this.session.e2eeStatus().participants;
    return this.session.participants().map((p) => {
      const decrypts = e2ee[p.identity];
      return {
        identity: p.identity,
        name: p.name ?? p.identity,
        streamIds: streams.filter((s) => s.participantIdentity === p.identity).map((s) => s.trackSid),
        remoteMuted: this.remoteMuted.get(p.identity) ?? false,
        ...(decrypts === undefined ? {} : { e2ee: decrypts }),
      };
    });
  }

  e2ee(): E2eeStatus {
    return this.session.e2eeStatus();
  }

  local(): { identity: string | undefined; microphoneTrackSid: string | undefined } {
    return { identity: this.session.getMetrics().localIdentity, microphoneTrackSid: this.session.microphoneTrackSid };
  }

  sendChat(text: string): Promise<string> {
    return this.session.sendChat(text);
  }

  callTurnRpc(agentIdentity: string, method: 'start_turn' | 'end_turn' | 'cancel_turn'): Promise<'ok' | 'unsupported'> {
    return this.session.callTurnRpc(agentIdentity, method);
  }

  metrics() {
    const m = this.session.getMetrics();
    let framesReceived = 0;
    let bytesReceived = 0;
    for (const p of m.participants) {
      framesReceived += p.framesReceived;
      bytesReceived += p.bytesReceived;
    }
    return { framesSent: m.microphone?.framesSent ?? 0, framesReceived, bytesReceived, reconnects: m.reconnectCount, textStreamsDropped: m.textStreamsDropped };
  }
}

/** The production wiring: device-io for audio, livekit-net for the room. */
export function createDefaultComponents(options: DefaultComponentsOptions = {}): ComponentFactory {
  // The SDK logs to stdout at debug level by default, which would corrupt the CLI's output.
  configureSdkLogging();
  const fallback = options.deviceFallback ?? 'default';
  const fallbackOption = fallback === false ? {} : { fallbackDevice: fallback };
  return {
    openOutput: (spec, format, logger, outputOptions) => {
      const output = openAudioOutput(spec, {
        sampleRate: format.sampleRate,
        channels: format.channels,
        logger,
        ...fallbackOption,
        ...(options.deviceEnv ? { env: options.deviceEnv } : {}),
        ...(options.targetLatencyMs === undefined ? {} : { targetLatencyMs: options.targetLatencyMs }),
        ...(options.outputQueue === undefined ? {} : { outputQueue: options.outputQueue }),
        ...(outputOptions?.outputFilter === undefined ? {} : { outputFilter: outputOptions.outputFilter }),
      });
      const fixed = options.targetLatencyMs ?? (options.outputQueue === undefined ? undefined : DEFAULT_JITTER_BUFFER_MS);
      return Promise.resolve(new DeviceOutput(output, fixed, logger));
    },
    createNetwork: (settings, mixer, format, logger) => new SessionNetwork(settings, mixer, format, options, logger),
    openInput: (spec, format, logger) => {
      const input = openAudioInput(spec, {
        sampleRate: format.sampleRate,
        channels: format.channels,
        logger,
        ...fallbackOption,
        ...(options.deviceEnv ? { env: options.deviceEnv } : {}),
      });
      return Promise.resolve(new DeviceInput(input, logger));
    },
  };
}

/** Releases the LiveKit native runtime so the process can exit; bounded in time. */
export async function shutdownNetworkRuntime(timeoutMs = 2000): Promise<void> {
  await shutdownLiveKit(timeoutMs);
}
