import type { AudioProcessorPluginFactory, Logger, MixerMetrics } from '@alto/mixer-core';
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
  /** The speakers, or `false` for capture-only (no playback). Default `'default'`. */
  readonly output?: OutputSpec | false;
  /** Master volume 0..2. Default 1. */
  readonly masterVolume?: number;
  /** Record the mix (what you hear) to this WAV file while connected. */
  readonly recordPath?: string;
  /** Shared end-to-end encryption key; every participant needs the same one. */
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
}

/** Events for UIs, the daemon's SSE stream and logs. */
export type AltoEvent =
  | { readonly type: 'state'; readonly state: ConnectionState; readonly reason?: string }
  | { readonly type: 'participantJoined'; readonly identity: string; readonly name: string }
  | { readonly type: 'participantLeft'; readonly identity: string }
  | { readonly type: 'trackMuted'; readonly identity: string; readonly muted: boolean }
  | { readonly type: 'activeSpeakers'; readonly identities: readonly string[] }
  | { readonly type: 'connectionQuality'; readonly quality: string }
  | {
      readonly type: 'transcription';
      readonly identity: string;
      readonly segmentId: string;
      readonly text: string;
      readonly final: boolean;
    }
  | { readonly type: 'data'; readonly identity: string; readonly topic: string; readonly payload: Uint8Array }
  | { readonly type: 'error'; readonly code: string; readonly message: string };

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
}

/** The one API the apps use: the seed's AudioClientOrchestrator. */
export interface AltoClientApi extends AsyncDisposable {
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
  /** Subscribes to events; returns the unsubscribe function. */
  onEvent(listener: (event: AltoEvent) => void): () => void;
}

/** How a recording's file is created (see device-io's `WavFileOptions`). */
export interface RecordingFileOptions {
  /** Refuse to replace an existing file at the path, before and at the end of the recording. */
  readonly exclusive?: boolean;
  /** Permission bits; default 0o600. */
  readonly mode?: number;
}
