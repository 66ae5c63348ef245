import { LevelMeter } from '@alto/mixer-core';
import type { AltoEvent } from './client-types.js';
import type { AgentView, ConversationSegment, LatencySummary, Speaker, TurnLatency } from './conversation-types.js';

/** A transcription as the network delivers it (one update of a text stream). */
export interface RawTranscription {
  readonly identity: string;
  readonly segmentId: string;
  readonly trackSid: string | undefined;
  readonly text: string;
  /** The stream's `lk.transcription_final` attribute. */
  readonly final: boolean;
  /** True on the update sent when the text stream ended. */
  readonly complete: boolean;
}

/** Level a block of the agent's audio must reach to count as audible (RMS, dBFS). */
const AUDIBLE_DBFS = -45;
const AUDIBLE_LINEAR = 10 ** (AUDIBLE_DBFS / 20);
/** Silence between two stretches of an agent's audio that makes the second a new utterance. */
const AGENT_PAUSE_MS = 300;
/** How far an agent's text may run ahead of, or behind, the audio it transcribes. */
const TEXT_AUDIO_SKEW_MS = 2000;

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

function rmsOf(samples: Int16Array): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    const v = (samples[i] as number) / 32768;
    sum += v * v;
  }
  return Math.sqrt(sum / Math.max(1, samples.length));
}

/**
 * The conversation model both apps share: which participants are agents and their state, the
 * transcript as a conversation (speaker, start and end, interim replaced by final), and the
 * response latency of each turn, measured where the user sits: from the end of the user's
 * speech (this client's own microphone speaking flag, after the microphone inserts) to the
 * first audible block of an agent's reply as it enters the mixer plus the time the mixer holds
 * it before playing it.
 */
export class Conversation {
  readonly #emit: (event: AltoEvent) => void;
  readonly #now: () => number;
  readonly #mixerDelayMs: () => number;
  readonly #startedAt: number;
  readonly #agents = new Map<string, AgentView>();
  readonly #segments = new Map<string, ConversationSegment>();
  readonly #finals: ConversationSegment[] = [];
  readonly #turns: TurnLatency[] = [];
  readonly #mic: LevelMeter;
  readonly #sampleRate: number;
  #localIdentity: string | undefined;
  #microphoneTrackSid: string | undefined;
  #speakingSince: number | undefined;
  #lastVoicedEnd: number | undefined;
  /** The end of the user's last utterance, while the reply to it has not been heard yet. */
  #awaitingReplySince: number | undefined;
  /** Per agent: when its audio last became audible after a pause (ms, this clock), newest last. */
  readonly #agentOnsets = new Map<string, number[]>();
  readonly #agentLastAudible = new Map<string, number>();
  #microphoneStartedAt: number | undefined;
  /** When each open agent segment's first words arrived (ms since the call started). */
  readonly #textStarts = new Map<string, number>();

  constructor(options: { emit: (event: AltoEvent) => void; sampleRate: number; now?: () => number; mixerDelayMs?: () => number }) {
    this.#emit = options.emit;
    this.#now = options.now ?? (() => performance.now());
    this.#mixerDelayMs = options.mixerDelayMs ?? (() => 0);
    this.#startedAt = this.#now();
    this.#mic = new LevelMeter(options.sampleRate);
    this.#sampleRate = options.sampleRate;
  }

  /** Ms since the call started. */
  elapsedMs(at = this.#now()): number {
    return at - this.#startedAt;
  }

  /** Who we are in the room, to attribute our own speech (transcribed by an agent) to the user. */
  setLocal(identity: string | undefined, microphoneTrackSid: string | undefined): void {
    this.#localIdentity = identity;
    this.#microphoneTrackSid = microphoneTrackSid;
  }

  /** Agents in the room. */
  agents(): AgentView[] {
    return [...this.#agents.values()];
  }

  /** True when `identity` is an agent. */
  isAgent(identity: string): boolean {
    return this.#agents.has(identity);
  }

  /** Final segments, oldest first (for a transcript file). */
  finalSegments(): readonly ConversationSegment[] {
    return this.#finals;
  }

  turns(): readonly TurnLatency[] {
    return this.#turns;
  }

  latency(): LatencySummary {
    const sorted = this.#turns.map((t) => t.latencyMs).sort((a, b) => a - b);
    return { turns: sorted.length, p50Ms: percentile(sorted, 50), p95Ms: percentile(sorted, 95) };
  }

  /** Whether the user's microphone is speaking now (level with hysteresis). */
  get userSpeaking(): boolean {
    return this.#mic.speaking;
  }

  /** Each 10 ms microphone frame, after the microphone inserts (so after echo cancellation). */
  microphoneFrame(frame: Int16Array, channels: number): void {
    let sum = 0;
    let peak = 0;
    for (let i = 0; i < frame.length; i++) {
      const v = (frame[i] as number) / 32768;
      sum += v * v;
      const a = v < 0 ? -v : v;
      if (a > peak) peak = a;
    }
    const frames = frame.length / channels;
    const was = this.#mic.speaking;
    this.#microphoneStartedAt ??= this.#now() - (frames * 1000) / this.#sampleRate;
    this.#mic.update(sum, peak, frame.length, frames);
    const now = this.#now();
    if (this.#mic.rms >= AUDIBLE_LINEAR) this.#lastVoicedEnd = now;
    if (!was && this.#mic.speaking) {
      // The flag rises after a couple of loud blocks: date the turn from the first of them.
      this.#speakingSince = now - 20;
      this.#awaitingReplySince = undefined;
    } else if (was && !this.#mic.speaking) {
      // The flag falls after a hold time; the speech ended with the last loud block.
      this.#awaitingReplySince = this.#lastVoicedEnd ?? now;
    }
  }

  /** When the first microphone frame's audio began, ms since the call started. */
  get microphoneStartMs(): number | undefined {
    return this.#microphoneStartedAt === undefined ? undefined : this.elapsedMs(this.#microphoneStartedAt);
  }

  /** Each block of remote audio as it enters the mixer. */
  remoteBlock(identity: string, samples: Int16Array): void {
    if (!this.#agents.has(identity) || rmsOf(samples) < AUDIBLE_LINEAR) return;
    // The block leaves the mixer (is heard) once the mixer has held it for its jitter target.
    const heardAt = this.#now() + this.#mixerDelayMs();
    const last = this.#agentLastAudible.get(identity);
    this.#agentLastAudible.set(identity, heardAt);
    if (last === undefined || heardAt - last > AGENT_PAUSE_MS) {
      const onsets = this.#agentOnsets.get(identity) ?? [];
      onsets.push(heardAt);
      if (onsets.length > 8) onsets.shift();
      this.#agentOnsets.set(identity, onsets);
    }
    if (this.#awaitingReplySince === undefined) return;
    const userEnd = this.#awaitingReplySince;
    this.#awaitingReplySince = undefined;
    const latencyMs = Math.round(heardAt - userEnd);
    const turn: TurnLatency = { turn: this.#turns.length + 1, agentIdentity: identity, latencyMs, userSpeechEndMs: Math.round(this.elapsedMs(userEnd)) };
    this.#turns.push(turn);
    this.#emit({ type: 'turnLatency', ...turn });
  }

  agentJoined(identity: string, agentName: string | undefined, state: string | undefined): void {
    this.#agents.set(identity, { identity, name: agentName ?? identity, state });
  }

  agentState(identity: string, state: string, previous: string | undefined): void {
    const agent = this.#agents.get(identity) ?? { identity, name: identity, state: undefined };
    this.#agents.set(identity, { ...agent, state });
    this.#emit({ type: 'agentState', identity, name: agent.name, state, previous: previous ?? null });
  }

  agentLeft(identity: string): void {
    if (this.#agents.delete(identity)) this.#emit({ type: 'agentState', identity, name: identity, state: 'left', previous: null });
  }

  /**
   * A transcription update. The user's own speech comes back from the agent under our own
   * identity; the agent's speech comes word by word in one stream whose header always says
   * final=false, so its stream's end is its final.
   */
  transcription(raw: RawTranscription): void {
    const own = raw.identity === this.#localIdentity || (raw.trackSid !== undefined && raw.trackSid === this.#microphoneTrackSid);
    const agent = this.#agents.has(raw.identity);
    const speaker: Speaker = own ? 'user' : agent ? 'agent' : 'participant';
    // A stream is only final once it has ended: its first chunks may not hold all of its text.
    const final = raw.complete && (raw.final || agent);
    const now = this.#now();
    const previous = this.#segments.get(raw.segmentId);
    let startAt = previous ? previous.startMs : this.elapsedMs(own && this.#speakingSince !== undefined ? this.#speakingSince : now);
    if (agent) {
      // Re-placed on every update: the audio's onset may arrive after the first words.
      const textStart = this.#textStarts.get(raw.segmentId) ?? this.elapsedMs(now);
      if (final) this.#textStarts.delete(raw.segmentId);
      else this.#textStarts.set(raw.segmentId, textStart);
      startAt = this.#agentAudioStart(raw.identity, textStart);
    }
    const endMs = own && this.#lastVoicedEnd !== undefined && this.#lastVoicedEnd >= this.#startedAt + startAt ? this.elapsedMs(this.#lastVoicedEnd) : this.elapsedMs(now);
    this.#record({ id: raw.segmentId, identity: raw.identity, speaker, source: 'speech', text: raw.text, final, startMs: Math.round(startAt), endMs: Math.round(endMs) });
  }

  /**
   * An agent's text runs on its own stream, ahead of or behind its audio by a jitter buffer or
   * so: a segment starts when the agent's audio near it became audible, when that is known.
   */
  #agentAudioStart(identity: string, textStartMs: number): number {
    const textAt = this.#startedAt + textStartMs;
    const onset = (this.#agentOnsets.get(identity) ?? []).find((t) => Math.abs(t - textAt) <= TEXT_AUDIO_SKEW_MS);
    return onset === undefined ? textStartMs : this.elapsedMs(onset);
  }

  /** A chat message, received or sent by us (agents do not echo what we send). */
  chat(identity: string, id: string, text: string): void {
    const own = identity === this.#localIdentity;
    const speaker: Speaker = own ? 'user' : this.#agents.has(identity) ? 'agent' : 'participant';
    const at = Math.round(this.elapsedMs());
    this.#record({ id, identity, speaker, source: 'chat', text, final: true, startMs: at, endMs: at });
  }

  #record(segment: ConversationSegment): void {
    if (segment.final) {
      this.#segments.delete(segment.id);
      this.#finals.push(segment);
    } else {
      this.#segments.set(segment.id, segment);
    }
    this.#emit({
      type: 'transcription',
      identity: segment.identity,
      segmentId: segment.id,
      text: segment.text,
      final: segment.final,
      speaker: segment.speaker,
      source: segment.source,
      startMs: segment.startMs,
      endMs: segment.endMs,
    });
  }
}
