import type { Logger, MixerSink } from '@alto/mixer-core';
import type { AgentInfo, AgentStateEvent, ChatMessageEvent } from './agents.js';
import type { BackoffOptions } from './backoff.js';
import type { ConnectFailure } from './connect-errors.js';
import type { E2eeStateEvent } from './e2ee-status.js';
import type { MicrophoneMetrics, MicrophoneOptions } from './microphone.js';
import type { ParticipantAudioMetrics, RemoteAudioStreamInfo } from './remote-audio.js';
import type { TextStreamLimits } from './text-streams.js';
import type { MintTokenOptions } from './token.js';

/** Servers to try, in order, when `url` cannot be reached (nodes of one cluster). */
interface FailoverUrls {
  /**
   * Tried in order after `url` when it is unreachable, times out or fails, on the first join
   * and on every rejoin after the room was lost (a cluster node that died). Each rejoin starts
   * again from `url`.
   */
  readonly fallbackUrls?: readonly string[];
}

/** Join with a ready-made token. */
export interface TokenTarget extends FailoverUrls {
  readonly url: string;
  readonly token: string;
}

/** Join by minting a token locally from the API key and secret (see `mintToken`). */
export interface CredentialsTarget
  extends FailoverUrls,
    Pick<MintTokenOptions, 'apiKey' | 'apiSecret' | 'room' | 'identity' | 'name' | 'agents'> {
  readonly url: string;
  /** Token lifetime; each (re)connect mints a fresh one. Default 6 h. */
  readonly ttlSeconds?: number;
}

/** Where and as whom to connect. */
export type ConnectTarget = TokenTarget | CredentialsTarget;

/** The session's own reconnect loop, used when the SDK gives the room up for good. */
export interface ReconnectOptions extends BackoffOptions {
  /** Attempts before giving up. Default Infinity (a voice client should keep trying). */
  readonly maxAttempts?: number;
}

/** Options of a {@link LiveKitSession}. */
export interface LiveKitSessionOptions {
  /** Where remote audio goes: the in-process AudioMixer or device-io's proxy. */
  readonly mixer: MixerSink;
  /** Rate of captured and mixed audio. Default 48 000. */
  readonly sampleRate?: number;
  /** Channels of captured and mixed audio (1 or 2). Default 1. */
  readonly channels?: number;
  /** Publish a microphone track on connect (and after every reconnect). `false`: listen only. */
  readonly microphone?: MicrophoneOptions | false;
  /** Start with the microphone muted. */
  readonly startMuted?: boolean;
  /**
   * Subscribe to remote audio and route it into `mixer`. Default true. `false`: a publish-only
   * client (a bot, a headless publisher) that subscribes to no track, so nothing is received or
   * decoded.
   */
  readonly subscribe?: boolean;
  /** `false` disables the session's own reconnect loop (the SDK still resumes). */
  readonly reconnect?: ReconnectOptions | false;
  /** Bound on each connect attempt. Default 10 000 ms. */
  readonly connectTimeoutMs?: number;
  /**
   * With fallback URLs: how long the SDK may try to resume on the lost server before the session
   * gives that room up and rejoins through the list (the SDK alone retries one dead server for
   * ~20 s). Default 3000 ms.
   */
  readonly failoverAfterMs?: number;
  /**
   * An SDK resume that took longer than this is not trusted: the session leaves that room and
   * rejoins cleanly (a resume onto a restarted server can leave the room connected but with no
   * participants and no published track). Default 1000 ms.
   */
  readonly resumeTrustMs?: number;
  /**
   * End-to-end encryption with a key shared out of band by every participant (a string is used
   * as its UTF-8 bytes; see `readE2eeKeyFile`). Each participant's state is reported by the
   * `e2eeState` event and `e2eeStatus()`: a participant whose audio does not decrypt with this
   * key is reported as `decryption-failed` within a fraction of a second of their audio arriving.
   */
  readonly e2ee?: { readonly sharedKey: string | Uint8Array };
  /** Bounds on peers' text streams (transcriptions): size, rate and concurrency per participant. */
  readonly textStreams?: TextStreamLimits;
  readonly logger?: Logger;
}

/** Lifecycle of a session. */
export type SessionState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting';

/** A remote participant as UIs see it. */
export interface ParticipantInfo {
  readonly identity: string;
  readonly name: string | undefined;
}

/** Link quality of a participant as reported by the server. */
export type QualityLevel = 'excellent' | 'good' | 'poor' | 'lost';

/** A mute change of a track, local or remote. */
export interface TrackMuteEvent {
  readonly participantIdentity: string;
  readonly trackSid: string | undefined;
  /** True for our own microphone. */
  readonly local: boolean;
}

/** A transcription segment received on the `lk.transcription` text-stream topic. */
export interface TranscriptionEvent {
  /** Who sent it (an agent, or the participant transcribing themselves). */
  readonly participantIdentity: string;
  /** `lk.segment_id`; interim and final versions of a segment share it. */
  readonly segmentId: string;
  /** `lk.transcribed_track_id`, the track being transcribed, when given. */
  readonly trackSid: string | undefined;
  readonly text: string;
  /** `lk.transcription_final === 'true'`. */
  readonly final: boolean;
  /**
   * False while the stream is still being written (an agent writes its own speech word by word,
   * paced to its audio); true on the last update, when the stream ended.
   */
  readonly complete: boolean;
}

/** A data packet from another participant. */
export interface DataMessageEvent {
  readonly payload: Uint8Array;
  readonly participantIdentity: string | undefined;
  readonly topic: string | undefined;
  readonly reliable: boolean;
}

/** Why the session went offline. */
export interface DisconnectedEvent {
  /** SDK DisconnectReason name (e.g. 'SERVER_SHUTDOWN', 'CLIENT_INITIATED') or 'RECONNECT_FAILED'. */
  readonly reason: string;
  /** True when the session's reconnect loop is about to try again. */
  readonly willReconnect: boolean;
  /** With `RECONNECT_FAILED`: why the last rejoin attempt failed, in words. */
  readonly failure?: ConnectFailure;
}

/** Events of a {@link LiveKitSession}, for UIs. */
export interface LiveKitSessionEvents {
  connectionState: [state: SessionState];
  /** Someone is in the room: on arrival, and for everyone already there when the session (re)joins. */
  participantJoined: [participant: ParticipantInfo];
  /** Someone announced by `participantJoined` is gone (also noticed on a rejoin). */
  participantLeft: [participant: ParticipantInfo];
  trackMuted: [event: TrackMuteEvent];
  trackUnmuted: [event: TrackMuteEvent];
  /** Identities of who is speaking now, loudest first. */
  activeSpeakers: [identities: string[]];
  connectionQuality: [event: { participantIdentity: string; quality: QualityLevel }];
  /** `by: 'sdk'` is the SDK's own resume; `'session'` is our loop (attempt is 1-based). */
  reconnecting: [event: { by: 'sdk' | 'session'; attempt: number; delayMs: number }];
  reconnected: [event: { by: 'sdk' | 'session'; attempts: number }];
  /** A rejoin attempt of the session's loop failed (1-based), with the reason in words. */
  reconnectFailed: [event: { attempt: number } & ConnectFailure];
  disconnected: [event: DisconnectedEvent];
  remoteAudioAdded: [stream: RemoteAudioStreamInfo];
  remoteAudioRemoved: [stream: RemoteAudioStreamInfo];
  transcription: [event: TranscriptionEvent];
  data: [event: DataMessageEvent];
  /** An agent participant (kind AGENT) is in the room (also for agents there before we joined). */
  agentJoined: [agent: AgentInfo];
  /** An agent's `lk.agent.state` changed. */
  agentState: [event: AgentStateEvent];
  agentLeft: [agent: AgentInfo];
  /** A message on `lk.chat` from another participant. */
  chat: [event: ChatMessageEvent];
  /** With `e2ee`: a participant's encryption state changed (ours, or whether theirs decrypts). */
  e2eeState: [event: E2eeStateEvent];
}

/** A snapshot of the session's counters. */
export interface SessionMetrics {
  readonly state: SessionState;
  readonly roomName: string | undefined;
  readonly localIdentity: string | undefined;
  /** Completed reconnects (SDK resumes plus our loop's rejoins). */
  readonly reconnectCount: number;
  /** The server the room is open on (the primary URL or a fallback); undefined while not in a room. */
  readonly serverUrl: string | undefined;
  /** Microphone counters, cumulative over republishes; undefined when not publishing. */
  readonly microphone: MicrophoneMetrics | undefined;
  readonly participants: readonly ParticipantAudioMetrics[];
  /** Peers' text streams dropped for being over the limits of {@link LiveKitSessionOptions.textStreams}. */
  readonly textStreamsDropped: number;
}
