import type { Logger } from '@alto/mixer-core';
import type { AltoClientOptions, AltoEvent, AltoMetrics, ParticipantView as ClientParticipant } from '@alto/orchestrator';
import type { CliConfig } from './args.js';
import { deviceSpecString } from './device-spec.js';
import type { SessionEvent } from './tui/plain-events.js';
import { applyTranscript, emptyTuiState, type ConnectionQuality, type ConnectionState, type TranscriptLine, type TuiState } from './tui/state.js';

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
    input: config.listenOnly ? false : deviceSpecString(config.input),
    output: config.playback ? deviceSpecString(config.output) : false,
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

function toConnectionState(state: string): ConnectionState {
  return state === 'connected' || state === 'reconnecting' || state === 'disconnected' ? state : 'connecting';
}

/**
 * Follows the orchestrator's event stream and keeps what the UI needs between redraws:
 * connection state and quality, the transcript (partials replaced by finals), who is speaking,
 * and a status line. Also turns each event into plain lines for the non-TTY mode.
 */
export class SessionView {
  private connection: TuiState['connection'] = { state: 'connecting', quality: 'unknown' };
  private transcript: readonly TranscriptLine[] = [];
  /** Who the server says is speaking (active speakers). */
  private speakers = new Set<string>();
  /** Who our own mixer hears speaking (level with hysteresis), from the last poll. */
  private heardSpeaking = new Set<string>();
  /** The union of the two, as last reported in plain lines. */
  private reportedSpeaking = new Set<string>();
  /** Free text for the UI's bottom line (e.g. a device fallback notice). */
  status = '';

  constructor(
    private readonly room: string,
    private readonly identity: string,
    private readonly transcriptLines = 50,
  ) {}

  /** Records an event and returns its plain lines (speaking changes are diffed from the set). */
  apply(event: AltoEvent): SessionEvent[] {
    switch (event.type) {
      case 'state':
        this.connection = { ...this.connection, state: toConnectionState(event.state) };
        return event.state === 'idle' ? [] : [{ type: 'connection', state: this.connection.state }];
      case 'connectionQuality':
        this.connection = { ...this.connection, quality: toQuality(event.quality) };
        return [{ type: 'quality', quality: this.connection.quality }];
      case 'participantJoined':
        return [{ type: 'joined', identity: event.identity }];
      case 'participantLeft':
        this.speakers.delete(event.identity);
        this.heardSpeaking.delete(event.identity);
        this.reportedSpeaking.delete(event.identity);
        return [{ type: 'left', identity: event.identity }];
      case 'trackMuted':
        return [{ type: 'muted', identity: event.identity, muted: event.muted }];
      case 'activeSpeakers':
        this.speakers = new Set(event.identities);
        return this.speakingChanges();
      case 'transcription':
        this.transcript = applyTranscript(
          this.transcript,
          { segmentId: event.segmentId, participant: event.identity, text: event.text, final: event.final },
          this.transcriptLines,
        );
        return [{ type: 'transcript', identity: event.identity, text: event.text, final: event.final }];
      // Agents, turns and latency have their own lines (tui/conversation.ts).
      case 'data':
      case 'agentState':
      case 'turnLatency':
      case 'turn':
        return [];
      case 'error':
        this.status = event.message;
        return [{ type: 'status', text: `error ${event.code}: ${event.message}` }];
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
    for (const id of now) if (!this.reportedSpeaking.has(id)) out.push({ type: 'speaking', identity: id, speaking: true });
    for (const id of this.reportedSpeaking) if (!now.has(id)) out.push({ type: 'speaking', identity: id, speaking: false });
    this.reportedSpeaking = now;
    return out;
  }

  /**
   * Builds the TUI state for one frame from the client's current participants and metrics.
   * @param spectrum band levels to show, if the caller runs a SpectrumAnalyzer
   */
  snapshot(
    participants: readonly ClientParticipant[],
    metrics: Pick<AltoMetrics, 'microphoneMuted' | 'input'> & { readonly mixer: { readonly masterVolume?: number } | null },
    spectrum?: TuiState['spectrum'],
  ): TuiState {
    const micLevel = metrics.input?.levelDbfs ?? -Infinity;
    return {
      ...emptyTuiState(this.room, this.identity),
      participants: participants.map((p) => ({
        id: p.identity,
        identity: p.identity,
        name: p.name,
        levelDbfs: p.levelDbfs,
        peakDbfs: p.peakDbfs,
        speaking: p.speaking || this.speakers.has(p.identity),
        muted: p.remoteMuted || p.locallyMuted,
        volume: p.volume,
      })),
      mic: { levelDbfs: micLevel, peakDbfs: micLevel, muted: metrics.microphoneMuted },
      masterVolume: metrics.mixer?.masterVolume ?? 1,
      connection: this.connection,
      transcript: this.transcript,
      spectrum,
      status: this.status,
    };
  }
}
