import type { ConnectFailure, E2eeState, E2eeStatus } from '@alto/livekit-net';
import type { Logger, MixerSink } from '@alto/mixer-core';
import type { AltoClientOptions, AltoEvent, InputSpec, Listenable, OutputSpec } from './client-types.js';
import type { RawTranscription } from './conversation.js';

/** Events of a device component (speakers, microphone, or their file/tone/null stand-ins). */
export interface DeviceComponentEvents {
  /** A device error; the component reopens by itself. */
  error: [error: Error];
  /** A recovery after an error (reopened, moved to the fallback device, back on the chosen one). */
  recovery: [change: DeviceRecovery];
}

/** Events of an {@link InputComponent}. */
export interface InputComponentEvents extends DeviceComponentEvents {
  /** Each frame is a fresh Int16Array owning its buffer from offset 0. */
  frame: [frame: Int16Array];
}

/** Events of a {@link NetworkComponent}. */
export interface NetworkComponentEvents {
  /** Network events already in the client's vocabulary, plus stream lifecycle. */
  event: [event: NetworkEvent];
}

/** Audio format shared by every component of one client. */
export interface AudioFormat {
  readonly sampleRate: number;
  readonly channels: 1 | 2;
}

/** The speakers (or a file/null sink) with the mixer that feeds them. */
export interface OutputComponent extends Listenable<DeviceComponentEvents> {
  readonly mixer: MixerSink;
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * `latencyMs`: from a block entering the mixer to it leaving the speaker (mixer buffering +
   * device output latency), when known; the echo canceller's stream delay needs it.
   */
  metrics(): {
    readonly framesPlayed: number;
    readonly underruns: number;
    readonly latencyMs?: number;
    /** How long the mixer holds a block before playing it (its jitter-buffer target), when known. */
    readonly mixerDelayMs?: number;
  };
}

/** How a device came back after an error. */
export type DeviceRecovery = 'reopened' | 'fallback' | 'restored';

/** The microphone (or a tone/file/silence source) producing 10 ms int16 frames (`frame` events). */
export interface InputComponent extends Listenable<InputComponentEvents> {
  start(): Promise<void>;
  stop(): Promise<void>;
  metrics(): {
    readonly framesCaptured: number;
    readonly overflows: number;
    readonly errors: number;
    readonly levelDbfs: number;
    /** From sound at the microphone to the frame being delivered, when known. */
    readonly latencyMs?: number;
  };
}

/** Extra settings of the main output. */
export interface OutputOptions {
  /** A master insert run on each mixed block before the device write. */
  readonly outputFilter?: 'radio';
}

/** A remote participant as the network layer knows it. */
export interface RemoteParticipantInfo {
  readonly identity: string;
  readonly name: string;
  /** Mixer stream ids (track SIDs) of this participant's audio tracks. */
  readonly streamIds: readonly string[];
  readonly remoteMuted: boolean;
  /** With end-to-end encryption: whether their audio decrypts, once the network reported it. */
  readonly e2ee?: E2eeState;
}

/** The LiveKit room session; its `event`s are network events (see {@link NetworkEvent}). */
export interface NetworkComponent extends Listenable<NetworkComponentEvents> {
  connect(): Promise<void>;
  publishMicrophone(): Promise<void>;
  captureFrame(frame: Int16Array): void;
  setMicrophoneMuted(muted: boolean): Promise<void>;
  disconnect(): Promise<void>;
  participants(): readonly RemoteParticipantInfo[];
  metrics(): {
    readonly framesSent: number;
    readonly framesReceived: number;
    readonly bytesReceived: number;
    /** Peers' text streams dropped for being over the size, rate or concurrency limits. */
    readonly textStreamsDropped?: number;
    readonly reconnects: number;
  };
  /** End-to-end encryption: on or off, our own state, and whether each participant's audio decrypts. */
  e2ee?(): E2eeStatus;
  /** Our identity and microphone track in the room, once connected. */
  local?(): { readonly identity: string | undefined; readonly microphoneTrackSid: string | undefined };
  /** Sends text on `lk.chat`; resolves with the stream id. */
  sendChat?(text: string): Promise<string>;
  /** Calls a push-to-talk turn RPC on an agent. */
  callTurnRpc?(agentIdentity: string, method: 'start_turn' | 'end_turn' | 'cancel_turn'): Promise<'ok' | 'unsupported'>;
}

/**
 * What the network reports: client events, when a mixer stream appears, and the steps of a
 * rejoin (each attempt that starts, each that fails and why) for the connection status.
 */
export type NetworkEvent =
  | AltoEvent
  | { readonly type: 'streamAdded'; readonly streamId: string; readonly identity: string }
  | { readonly type: 'reconnectAttempt' }
  | { readonly type: 'attemptFailed'; readonly failure: ConnectFailure }

  | { readonly type: 'agentJoined'; readonly identity: string; readonly agentName: string | undefined; readonly state: string | undefined }
  | { readonly type: 'agentLeft'; readonly identity: string }
  | { readonly type: 'agentStateChanged'; readonly identity: string; readonly state: string; readonly previous: string | undefined }
  | { readonly type: 'chatReceived'; readonly identity: string; readonly id: string; readonly text: string }
  | ({ readonly type: 'transcriptionUpdate' } & RawTranscription);

/** Connection settings the network component needs. */
export interface NetworkSettings
  extends Pick<AltoClientOptions, 'url' | 'fallbackUrls' | 'token' | 'apiKey' | 'apiSecret' | 'room' | 'identity' | 'name' | 'e2eeKey' | 'agents'> {
  /** Publish a microphone track (false for listen-only clients). */
  readonly publish: boolean;
  /** Subscribe to remote audio (false for clients that neither play nor record it). */
  readonly subscribe: boolean;
}

/**
 * Builds the components of a client. The real factory wires device-io and livekit-net; tests
 * wrap it to inject a failure at any step.
 */
export interface ComponentFactory {
  openOutput(spec: OutputSpec, format: AudioFormat, logger: Logger, options?: OutputOptions): Promise<OutputComponent>;
  createNetwork(settings: NetworkSettings, mixer: MixerSink, format: AudioFormat, logger: Logger): NetworkComponent;
  openInput(spec: InputSpec, format: AudioFormat, logger: Logger): Promise<InputComponent>;
}
