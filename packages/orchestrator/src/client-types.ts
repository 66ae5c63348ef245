import type { AudioProcessorPluginFactory, Logger, MixerMetrics } from '@alto/mixer-core';
import type { E2eeState, E2eeStatus } from '@alto/livekit-net';
import type { ConnectionStatus } from './connection-status.js';
import type { ParticipantPreferences } from './participant-preferences.js';
import type { ConversationMetrics, ConversationSegment, LatencySummary, Speaker } from './conversation-types.js';
import type { VoiceOptions } from './voice-processing.js';

/**
 * Where the microphone comes from: `'default'`, a PortAudio device index or case-insensitive
 * name substring, or a backend: `'tone:<hz>'`, `'wav:<path>'`, `'silence'`, `'raw:-'` (stdin).
 */
export type InputSpec = string | number;

/**
 * Where the mix is played: `'default'`, a device index or name substring, or a backend:
 * `'null'`, `'wav:<path>'`, `'raw:-'` (stdout).
 */
export type OutputSpec = string | number;

/** Everything an app needs to say to run a client. */
export interface AltoClientOptions {
  /** LiveKit server URL (ws://, wss://, http:// or https://). */
  readonly url: string;
  /**
   * Other nodes of the same cluster, tried in order when `url` is unreachable, on the first join
   * and on every rejoin after the room was lost.
   */
  readonly fallbackUrls?: readonly string[];
  /** A ready token; otherwise apiKey + apiSecret + room + identity mint one. */
  readonly token?: string;
  readonly apiKey?: string;
  readonly apiSecret?: string;
  readonly room?: string;
  readonly identity?: string;
  /** Display name for a minted token. */
  readonly name?: string;
  /** Default 48000. */
  readonly sampleRate?: number;
  /** Default 1. */
  readonly channels?: 1 | 2;
  /** The microphone, or `false` for listen-only. Default `'default'`. */
  readonly input?: InputSpec | false;
  /**
   * The speakers, or `false` for capture-only: no playback and, unless `recordPath` is set, no
   * remote audio subscribed or decoded at all. Default `'default'`.
   */
  readonly output?: OutputSpec | false;
  /** Master volume 0..2. Default 1. */
  readonly masterVolume?: number;
  /** Record the mix (what you hear) to this WAV file while connected. */
  readonly recordPath?: string;
  /**
   * Shared end-to-end encryption key (a passphrase; read it with `readE2eeKeyFile`); every
   * participant needs the same one. A participant whose audio does not decrypt with it is
   * reported by an `e2ee` event and in {@link ParticipantView.e2ee}.
   */
  readonly e2eeKey?: string;
  /**
   * Voice processing on the microphone (the native WebRTC module): echo cancellation, noise
   * suppression, high-pass filter, automatic gain control. Default: all off.
   */
  readonly voice?: VoiceOptions;
  /** A master insert on what is played: `'radio'` = band-limited, saturated walkie-talkie sound. */
  readonly outputFilter?: 'radio';
  /**
   * User processors inserted on the microphone after voice processing and before publishing, in
   * order: factories, or module specifiers (paths or package names) loaded with
   * `loadPluginModule` during connect.
   */
  readonly plugins?: readonly (string | AudioProcessorPluginFactory)[];
  /**
   * Agents to dispatch into the room by name, through the room configuration of the token the
   * client mints (needs apiKey/apiSecret; a ready token cannot be changed).
   */
  readonly agents?: readonly string[];
  /** With `agents`: how long to wait for one of them to join before reporting it. Default 15 000 ms. */
  readonly agentJoinTimeoutMs?: number;
  /** Push-to-talk: the microphone starts muted and opens only between startTurn() and endTurn(). */
  readonly pushToTalk?: boolean;
  /**
   * Where participant volumes and local mutes are remembered. Give the same object to each new
   * client that replaces an old one and the listener's choices carry over. Default: a fresh one.
   */
  readonly preferences?: ParticipantPreferences;
  readonly logger?: Logger;
}

/** Lifecycle of a client, as shown to users. */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/** One remote participant as a UI or API shows it. */
export interface ParticipantView {
  readonly identity: string;
  readonly name: string;
  /** Our playback volume for this participant, 0..2. */
  readonly volume: number;
  /** Muted by us locally (we don't play them). */
  readonly locallyMuted: boolean;
  /** Their microphone is muted at the source. */
  readonly remoteMuted: boolean;
  readonly speaking: boolean;
  readonly levelDbfs: number;
  readonly peakDbfs: number;
  readonly bufferedMs: number;
  /**
   * With end-to-end encryption: `ok` when their audio decrypts, `decryption-failed` when it does
   * not (a different key: you hear nothing from them, and they most likely hear nothing from
   * you); absent until reported, and without encryption.
   */
  readonly e2ee?: E2eeState;
}

/**
 * Events for UIs, the daemon's SSE stream and logs. Participants already in the room when the
 * client joins are reported with `participantJoined`, after `state: connected`;
 * `connectionStatus` carries every change of the connection as a UI shows it (attempts, reasons).
 */
export type AltoEvent =
  | { readonly type: 'state'; readonly state: ConnectionState; readonly reason?: string }
  | { readonly type: 'connectionStatus'; readonly status: ConnectionStatus }
  | { readonly type: 'participantJoined'; readonly identity: string; readonly name: string }
  | { readonly type: 'participantLeft'; readonly identity: string }
  | { readonly type: 'trackMuted'; readonly identity: string; readonly muted: boolean }
  | { readonly type: 'activeSpeakers'; readonly identities: readonly string[] }
  | { readonly type: 'connectionQuality'; readonly quality: string }
  /** The server's view of a remote participant's link; `lost` once their media stopped arriving. */
  | { readonly type: 'participantQuality'; readonly identity: string; readonly quality: string }
  | {
      readonly type: 'transcription';
      readonly identity: string;
      readonly segmentId: string;
      readonly text: string;
      readonly final: boolean;
      /** `user` for our own speech (transcribed by an agent) and our chat lines. */
      readonly speaker?: Speaker;
      readonly source?: 'speech' | 'chat';
      /** Start and end, ms since the call started. */
      readonly startMs?: number;
      readonly endMs?: number;
    }
  | {
      /** An agent's `lk.agent.state` changed; `left` when it left the room. */
      readonly type: 'agentState';
      readonly identity: string;
      readonly name: string;
      readonly state: string;
      readonly previous: string | null;
    }
  | {
      /** The response latency of one turn (see {@link TurnLatency}). */
      readonly type: 'turnLatency';
      readonly turn: number;
      readonly agentIdentity: string;
      readonly latencyMs: number;
      readonly userSpeechEndMs: number;
    }
  | {
      /** Push-to-talk: the user took (`true`) or gave up the turn; `rpc` says whether the agent's turn RPCs were used. */
      readonly type: 'turn';
      readonly talking: boolean;
      readonly action: 'start' | 'end' | 'cancel';
      readonly rpc: 'ok' | 'unsupported' | 'none' | 'failed';
    }
  | { readonly type: 'data'; readonly identity: string; readonly topic: string; readonly payload: Uint8Array }
  /** End-to-end encryption: a participant's audio decrypts (`ok`) or not, or our own encryption's state (`local`). */
  | { readonly type: 'e2ee'; readonly identity: string; readonly local: boolean; readonly state: E2eeState }
  | { readonly type: 'error'; readonly code: string; readonly message: string }
  | { readonly type: 'device'; readonly device: 'input' | 'output'; readonly change: 'reopened' | 'fallback' | 'restored' };

/**
 * The listening half of Node's typed `EventEmitter` (`on`/`off` with names and arguments from
 * `Events`): what a client and each component offer. Implement it by extending
 * `EventEmitter<Events>`.
 */
export interface Listenable<Events extends Record<keyof Events, unknown[]>> {
  /** Adds a listener. */
  on<K extends keyof Events>(event: K, listener: (...args: Events[K]) => void): this;
  /** Removes a listener added with `on`. */
  off<K extends keyof Events>(event: K, listener: (...args: Events[K]) => void): this;
}

/** Where a tapped block of audio comes from. */
export type AudioTapSource = { readonly kind: 'microphone' } | { readonly kind: 'participant'; readonly identity: string };

/** Events of a client (Node's typed `EventEmitter`): `client.on('event', listener)`. */
export interface AltoClientEvents {
  /** Everything a UI, the daemon's SSE stream or a log shows, in order. */
  event: [event: AltoEvent];
  /**
   * The microphone's frames and every remote block as they pass (for spectrum views). Listeners
   * run on the audio path: copy what you keep, do no heavy work.
   */
  audio: [source: AudioTapSource, frame: Int16Array];
}

/** One aggregated view of every component's counters. */
export interface AltoMetrics {
  readonly state: ConnectionState;
  readonly microphoneMuted: boolean;
  readonly reconnects: number;
  readonly input: {
    readonly framesCaptured: number;
    readonly overflows: number;
    readonly errors: number;
    readonly levelDbfs: number;
  } | null;
  readonly output: { readonly framesPlayed: number; readonly underruns: number } | null;
  readonly network: {
    readonly framesSent: number;
    readonly framesReceived: number;
    readonly bytesReceived: number;
    /** Peers' text streams dropped for being over the size, rate or concurrency limits. */
    readonly textStreamsDropped: number;
  };
  readonly mixer: MixerMetrics | null;
  /** Voice processing in use, with the stream delay given to the echo canceller. */
  readonly voice?: { readonly stages: Required<VoiceOptions>; readonly streamDelayMs: number } | null;
  /** Agents, their state and the response latency of each turn. */
  readonly conversation?: ConversationMetrics;
  /** End-to-end encryption: on or off, our own state, whether each participant's audio decrypts. */
  readonly e2ee?: E2eeStatus;
}

/** The one API the apps use: the Python Alto Terminal's AudioClientOrchestrator. */
export interface AltoClientApi extends AsyncDisposable, Listenable<AltoClientEvents> {
  readonly state: ConnectionState;
  readonly microphoneMuted: boolean;
  /** Runs the init order (mixer → network → connect → publish → input → output → start); cleans up on failure. */
  connect(): Promise<void>;
  /** Leaves the room and releases every device; safe to call twice. */
  disconnect(): Promise<void>;
  setMicrophoneMuted(muted: boolean): Promise<void>;
  setMasterVolume(volume: number): void;
  /** Playback volume for every track of a participant, 0..2. */
  setParticipantVolume(identity: string, volume: number): void;
  setParticipantMuted(identity: string, muted: boolean): void;
  participants(): readonly ParticipantView[];
  getMetrics(): AltoMetrics;
  /** Starts recording the mix (what this client hears) to a WAV file; replaces a running recording. */
  startRecording(path: string, file?: RecordingFileOptions): Promise<void>;
  /** Finalises the WAV file (complete header) and stops recording; no-op when not recording. */
  stopRecording(): Promise<void>;
  /** The file being recorded, if any. */
  readonly recordingPath: string | undefined;
  /** Sends a text message on `lk.chat` (an agent's text input) and adds it to the conversation. */
  sendChat(text: string): Promise<void>;
  /** Push-to-talk: opens the microphone (after the agent's `start_turn`, when it has one). */
  startTurn(): Promise<void>;
  /** Push-to-talk: closes the microphone, then commits the turn with `end_turn` once its transcript is in. */
  endTurn(): Promise<void>;
  /** Push-to-talk: closes the microphone and drops the turn (`cancel_turn`). */
  cancelTurn(): Promise<void>;
  /** Final conversation segments so far, oldest first. */
  conversation(): readonly ConversationSegment[];
  /** Response latency over the call so far. */
  latencySummary(): LatencySummary;
}

/** How a recording's file is created (see device-io's `WavFileOptions`). */
export interface RecordingFileOptions {
  /** Refuse to replace an existing file at the path, before and at the end of the recording. */
  readonly exclusive?: boolean;
  /** Permission bits; default 0o600. */
  readonly mode?: number;
}
