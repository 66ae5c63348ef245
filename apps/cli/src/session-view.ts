import type { Logger } from '@alto/mixer-core';
import { formatInputSource, formatOutputSink } from '@alto/orchestrator';
import type {
  AltoClientOptions,
  AltoEvent,
  AltoMetrics,
  ConnectionStatus,
  E2eeState,
  ParticipantView as ClientParticipant,
} from '@alto/orchestrator';
import type { CliConfig } from './args.js';
import type { SessionEvent } from './tui/plain-events.js';
import {
  applyTranscript,
  emptyTuiState,
  type ConnectionQuality,
  type ConnectionView,
  type ParticipantView,
  type TranscriptLine,
  type TuiState,
} from './tui/state.js';

/**
 * Maps a validated CLI config onto the orchestrator's client options: the whole of the
 * "configure the client" step of the wiring.
 */
export function toClientOptions(config: CliConfig, logger: Logger): AltoClientOptions {
  const creds =
    config.credentials.kind === 'token'
      ? { token: config.credentials.token }
      : { apiKey: config.credentials.apiKey, apiSecret: config.credentials.apiSecret };
  return {
    url: config.url,
    ...(config.fallbackUrls.length > 0 ? { fallbackUrls: config.fallbackUrls } : {}),
    ...creds,
    ...(config.roomName === undefined ? {} : { room: config.roomName }),
    ...(config.identity === undefined ? {} : { identity: config.identity }),
    ...(config.name === undefined ? {} : { name: config.name }),
    sampleRate: config.sampleRate,
    channels: config.channels,
    input: config.listenOnly ? false : formatInputSource(config.input),
    output: config.playback ? formatOutputSink(config.output) : false,
    masterVolume: config.volume,
    ...(config.record === undefined ? {} : { recordPath: config.record }),
    ...(config.listenOnly ? {} : { voice: config.voice }),
    ...(config.outputFilter === undefined ? {} : { outputFilter: config.outputFilter }),
    ...(config.plugins.length > 0 ? { plugins: config.plugins } : {}),
    ...(config.agents.agent === undefined ? {} : { agents: [config.agents.agent], agentJoinTimeoutMs: config.agents.agentWaitSec * 1000 }),
    ...(config.agents.pushToTalk ? { pushToTalk: true } : {}),
    logger,
  };
}

const QUALITIES: readonly ConnectionQuality[] = ['excellent', 'good', 'poor', 'lost', 'unknown'];

function toQuality(quality: string): ConnectionQuality {
  const q = quality.toLowerCase();
  return (QUALITIES as readonly string[]).includes(q) ? (q as ConnectionQuality) : 'unknown';
}

const DEVICE_WORDS = {
  reopened: (device: string) => `the ${device} device works again`,
  fallback: (device: string) => `the chosen ${device} device is gone; using the default one`,
  restored: (device: string) => `back on the chosen ${device} device`,
} as const;

/** How long an event stays on the event line, ms; warnings stay longer. */
export const NOTICE_MS = 8000;
const WARNING_MS = 20_000;

/** `10:42:07`, local time: when an event on the event line happened. */
function clockTime(atMs: number): string {
  const d = new Date(atMs);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** The header's encryption part: shown with E2EE on, or when someone's audio cannot be decrypted. */
function e2eeHeader(enabled: boolean, undecryptable: number): Pick<TuiState, 'e2ee'> {
  return enabled || undecryptable > 0 ? { e2ee: { enabled, undecryptable } } : {};
}

/** The level heard after our volume for them: what the meter shows. */
function afterVolume(dbfs: number, volume: number): number {
  return volume > 0 ? dbfs + 20 * Math.log10(volume) : -Infinity;
}

/**
 * Rows in a stable order: alphabetical by what the row shows (display name, else identity),
 * ties by identity. Speaking-first would move rows under the user's keys while people talk.
 */
function byLabel(a: ParticipantView, b: ParticipantView): number {
  return (a.name || a.identity).localeCompare(b.name || b.identity, undefined, { sensitivity: 'base' }) || (a.identity < b.identity ? -1 : a.identity > b.identity ? 1 : 0);
}

/**
 * Follows the orchestrator's event stream and keeps what the UI needs between redraws: the
 * connection status, quality, transcript, who is speaking, display names, the event line, and
 * the participant list from before a lost room (shown greyed while reconnecting). Also turns
 * each event into plain lines for the non-TTY mode.
 */
export class SessionView {
  private status: ConnectionStatus | undefined;
  private quality: ConnectionQuality = 'unknown';
  private transcript: readonly TranscriptLine[] = [];
  /** Who the server says is speaking (active speakers). */
  private speakers = new Set<string>();
  /** Who our own mixer hears speaking (level with hysteresis), from the last poll. */
  private heardSpeaking = new Set<string>();
  /** Remote participants the server reports as lost: still listed, but their media stopped. */
  private readonly notHeard = new Set<string>();
  /** Remote participants whose audio does not decrypt with our end-to-end key. */
  private readonly undecryptable = new Set<string>();
  /** The union of the two, as last reported in plain lines. */
  private reportedSpeaking = new Set<string>();
  /** Display names by identity, from joins. */
  private readonly names = new Map<string, string>();
  /** The rows of the last frame that had a room, kept while it is lost. */
  private lastRows: readonly ParticipantView[] = [];
  private notice: { text: string; atMs: number; warn: boolean } | undefined;
  /** The master volume the user set (the mixer's own report lags behind fast keys). */
  masterVolume: number;

  constructor(
    private readonly room: string,
    private readonly identity: string,
    options: { readonly masterVolume?: number; readonly transcriptLines?: number; readonly now?: () => number } = {},
  ) {
    this.masterVolume = options.masterVolume ?? 1;
    this.transcriptLines = options.transcriptLines ?? 50;
    this.now = options.now ?? Date.now;
  }

  private readonly transcriptLines: number;
  private readonly now: () => number;

  /** Puts a line on the event line (joins, leaves, mute changes, device warnings). */
  note(text: string, warn = false): void {
    this.notice = { text, atMs: this.now(), warn };
  }

  private who(identity: string): { identity: string; name?: string } {
    const name = this.names.get(identity);
    return name ? { identity, name } : { identity };
  }

  private label(identity: string): string {
    return this.names.get(identity) || identity;
  }

  /** Records an event and returns its plain lines (speaking changes are diffed from the set). */
  apply(event: AltoEvent): SessionEvent[] {
    switch (event.type) {
      case 'state':
        return [];
      case 'connectionStatus':
        return this.applyStatus(event.status);
      case 'connectionQuality':
        this.quality = toQuality(event.quality);
        return [{ type: 'quality', quality: this.quality }];
      case 'participantQuality':
        return this.applyParticipantQuality(event.identity, event.quality === 'lost');
      case 'participantJoined':
        if (event.name && event.name !== event.identity) this.names.set(event.identity, event.name);
        this.note(`${this.label(event.identity)} joined`);
        return [{ type: 'joined', ...this.who(event.identity) }];
      case 'participantLeft': {
        this.notHeard.delete(event.identity);
        this.undecryptable.delete(event.identity);
        this.speakers.delete(event.identity);
        this.heardSpeaking.delete(event.identity);
        this.reportedSpeaking.delete(event.identity);
        const who = this.who(event.identity);
        this.note(`${this.label(event.identity)} left`);
        this.names.delete(event.identity);
        return [{ type: 'left', ...who }];
      }
      case 'trackMuted':
        this.note(`${this.label(event.identity)} ${event.muted ? 'muted their microphone' : 'unmuted their microphone'}`);
        return [{ type: 'muted', ...this.who(event.identity), muted: event.muted }];
      case 'activeSpeakers':
        this.speakers = new Set(event.identities);
        return this.speakingChanges();
      case 'transcription':
        this.transcript = applyTranscript(
          this.transcript,
          { segmentId: event.segmentId, participant: this.label(event.identity), text: event.text, final: event.final },
          this.transcriptLines,
        );
        return [{ type: 'transcript', ...this.who(event.identity), text: event.text, final: event.final }];
      // Agents, turns and latency have their own lines (tui/conversation.ts).
      case 'data':
      case 'agentState':
      case 'turnLatency':
      case 'turn':
        return [];
      case 'error':
        this.note(event.message, true);
        return [{ type: 'warning', text: event.message }];
      case 'device':
        this.note(DEVICE_WORDS[event.change](event.device));
        return [{ type: 'device', device: event.device, change: event.change }];
      case 'e2ee':
        return this.applyE2ee(event.identity, event.local, event.state);
    }
  }

  /**
   * A wrong end-to-end key fails silently in the SDK (each side hears nothing); said here instead.
   * Our own encryption failing, or an internal error, is a warning.
   */
  private applyE2ee(identity: string, local: boolean, state: E2eeState): SessionEvent[] {
    if (state === 'encryption-failed' || state === 'internal-error' || (local && state !== 'ok')) {
      const text = local ? `end-to-end encryption of your audio failed (${state}); others may hear nothing from you` : `end-to-end encryption error for ${this.label(identity)} (${state})`;
      this.note(text, true);
      return [{ type: 'warning', text }];
    }
    if (local) return [];
    if (state === 'not-encrypted') {
      const text = `${this.label(identity)}'s audio is not end-to-end encrypted (they have no key); they cannot hear you`;
      this.note(text, true);
      return [{ type: 'warning', text }];
    }
    const decrypts = state === 'ok';
    const wasFailing = this.undecryptable.has(identity);
    if (decrypts) {
      this.undecryptable.delete(identity);
      if (wasFailing) this.note(`${this.label(identity)}'s audio decrypts again`);
    } else {
      this.undecryptable.add(identity);
      this.note(
        state === 'needs-key'
          ? `${this.label(identity)} encrypts their audio end to end; to hear them, join with their key (--e2ee-key-file)`
          : `can't decrypt ${this.label(identity)}'s audio: a different end-to-end key? You hear nothing from them; they most likely hear nothing from you`,
        true,
      );
    }
    return [{ type: 'decrypt', ...this.who(identity), decrypts }];
  }

  /**
   * A participant whose media stopped reaching the server (a killed process, a dead link) stays
   * in the room until the server times them out; the server's `lost` quality says so earlier.
   */
  private applyParticipantQuality(identity: string, lost: boolean): SessionEvent[] {
    if (lost === this.notHeard.has(identity)) return [];
    if (lost) this.notHeard.add(identity);
    else this.notHeard.delete(identity);
    this.note(`${this.label(identity)} ${lost ? 'is not heard from' : 'is heard again'}`, lost);
    return [{ type: 'notHeard', ...this.who(identity), notHeard: lost }];
  }

  private applyStatus(status: ConnectionStatus): SessionEvent[] {
    this.status = status;
    const reason = status.failure?.reason;
    switch (status.phase) {
      case 'idle':
      case 'connecting':
        // Plain output starts with `connected`: the caller knows where it connects.
        return [];
      case 'reconnecting':
        return [{ type: 'connection', state: 'reconnecting', attempt: status.attempt, ...(reason ? { reason } : {}) }];
      case 'failed':
        return [{ type: 'connection', state: 'failed', ...(reason ? { reason } : {}) }];
      case 'connected':
      case 'disconnected':
        return [{ type: 'connection', state: status.phase }];
    }
  }

  /**
   * Takes who our own mixer hears speaking and returns the plain lines for what changed. The
   * server only sends active-speaker updates when its set changes, so someone who was already
   * talking when we joined would never get a `speaking` line without this.
   */
  pollSpeaking(participants: readonly Pick<ClientParticipant, 'identity' | 'speaking'>[]): SessionEvent[] {
    this.heardSpeaking = new Set(participants.filter((p) => p.speaking).map((p) => p.identity));
    return this.speakingChanges();
  }

  /** Diffs the union of server and mixer speakers against what was last reported. */
  private speakingChanges(): SessionEvent[] {
    const now = new Set([...this.speakers, ...this.heardSpeaking]);
    const out: SessionEvent[] = [];
    for (const id of now) if (!this.reportedSpeaking.has(id)) out.push({ type: 'speaking', ...this.who(id), speaking: true });
    for (const id of this.reportedSpeaking) if (!now.has(id)) out.push({ type: 'speaking', ...this.who(id), speaking: false });
    this.reportedSpeaking = now;
    return out;
  }

  /** The connection as the header shows it. */
  connectionView(): ConnectionView {
    const status = this.status;
    if (!status) return { state: 'connecting', quality: this.quality };
    const state = status.phase === 'idle' ? 'connecting' : status.phase;
    return {
      state,
      quality: this.quality,
      url: status.url,
      elapsedMs: Math.max(0, this.now() - status.sinceMs),
      ...(status.phase === 'reconnecting' ? { attempt: status.attempt } : {}),
      ...(status.failure && (status.phase === 'reconnecting' || status.phase === 'failed') ? { reason: status.failure.reason } : {}),
    };
  }

  /**
   * Builds the TUI state for one frame from the client's current participants and metrics.
   * While the room is lost the last list is kept and marked stale.
   * @param spectrum band levels to show, if the caller runs a SpectrumAnalyzer
   */
  snapshot(
    participants: readonly ClientParticipant[],
    metrics: Pick<AltoMetrics, 'microphoneMuted' | 'input'> & Partial<Pick<AltoMetrics, 'e2ee'>>,
    spectrum?: TuiState['spectrum'],
  ): TuiState {
    const micLevel = metrics.input?.levelDbfs ?? -Infinity;
    const connection = this.connectionView();
    const lost = connection.state === 'reconnecting' || connection.state === 'failed';
    let rows: readonly ParticipantView[];
    if (lost && participants.length === 0) {
      rows = this.lastRows;
    } else {
      rows = participants
        .map((p) => ({
          id: p.identity,
          identity: p.identity,
          name: p.name === p.identity ? '' : p.name,
          levelDbfs: afterVolume(p.levelDbfs, p.volume),
          peakDbfs: afterVolume(p.peakDbfs, p.volume),
          speaking: p.speaking || this.speakers.has(p.identity),
          muted: p.remoteMuted,
          locallyMuted: p.locallyMuted,
          volume: p.volume,
          notHeard: this.notHeard.has(p.identity),
          ...(p.e2ee === 'decryption-failed' || p.e2ee === 'missing-key' || p.e2ee === 'needs-key' || this.undecryptable.has(p.identity) ? { cannotDecrypt: true } : {}),
        }))
        .sort(byLabel);
      this.lastRows = rows.map((r) => ({ ...r, levelDbfs: -Infinity, peakDbfs: -Infinity, speaking: false, notHeard: false, cannotDecrypt: false }));
    }
    const notice = this.notice;
    const shown = notice && this.now() - notice.atMs < (notice.warn ? WARNING_MS : NOTICE_MS) ? notice : undefined;
    return {
      ...emptyTuiState(this.room, this.identity),
      participants: rows,
      participantsStale: lost && rows.length > 0,
      mic: { levelDbfs: micLevel, peakDbfs: micLevel, muted: metrics.microphoneMuted },
      masterVolume: this.masterVolume,
      connection,
      transcript: this.transcript,
      spectrum: spectrum && { ...spectrum, source: spectrum.source === 'microphone' ? spectrum.source : this.label(spectrum.source) },
      status: shown ? `${clockTime(shown.atMs)} ${shown.text}` : '',
      statusWarn: shown?.warn ?? false,
      ...e2eeHeader(metrics.e2ee?.enabled === true, rows.filter((r) => r.cannotDecrypt === true).length),
    };
  }
}
