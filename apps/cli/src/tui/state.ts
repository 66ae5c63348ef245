/** One remote participant as the UI shows it. */
export interface ParticipantView {
  /** Stable key (participant SID or identity). */
  readonly id: string;
  readonly identity: string;
  /** Display name; empty means show the identity. */
  readonly name: string;
  /** Current level in dBFS (RMS over the last frames), -Infinity for silence. */
  readonly levelDbfs: number;
  /** Recent peak in dBFS, drawn as a marker on the meter. */
  readonly peakDbfs: number;
  readonly speaking: boolean;
  /** Whether their track is muted (at their side). */
  readonly muted: boolean;
  /** Whether we muted them locally (we do not play them; the `x` key). */
  readonly locallyMuted?: boolean;
  /** Our playback volume for them, 0..2. */
  readonly volume: number;
  /** The server reports their media stopped arriving (gone without leaving, or a dead link). */
  readonly notHeard?: boolean;
  /** End-to-end encryption is on and their audio does not decrypt with our key. */
  readonly cannotDecrypt?: boolean;
}

/** Connection state of the room: `failed` means joining or rejoining gave up. */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'disconnected';

/** The connection as the header shows it: state, link quality, and while not connected, why. */
export interface ConnectionView {
  readonly state: ConnectionState;
  readonly quality: ConnectionQuality;
  /** The server being joined or used. */
  readonly url?: string;
  /** Time spent in this state, ms. */
  readonly elapsedMs?: number;
  /** While reconnecting: the attempt under way (1-based). */
  readonly attempt?: number;
  /** Why the last attempt failed, in words (unreachable, wrong key, token expired, server full…). */
  readonly reason?: string;
}

/** LiveKit's connection quality, as reported for the local participant. */
export type ConnectionQuality = 'excellent' | 'good' | 'poor' | 'lost' | 'unknown';

/** One transcript segment; a partial one is replaced by later versions with the same id. */
export interface TranscriptLine {
  readonly segmentId: string;
  /** Who spoke (identity or display name). */
  readonly participant: string;
  readonly text: string;
  readonly final: boolean;
}

/** Everything one frame of the terminal UI shows. */
export interface TuiState {
  readonly room: string;
  /** Our own identity. */
  readonly identity: string;
  readonly participants: readonly ParticipantView[];
  /** Index into `participants` of the selected row; clamped when rendering. */
  readonly selected: number;
  /** Our microphone: level, peak and whether we are muted. */
  readonly mic: { readonly levelDbfs: number; readonly peakDbfs: number; readonly muted: boolean };
  /** Master playback volume, 0..2. */
  readonly masterVolume: number;
  readonly connection: ConnectionView;
  /** True while the list is the one from before the room was lost (drawn greyed). */
  readonly participantsStale?: boolean;
  /** Whether the key help screen is open. */
  readonly showHelp?: boolean;
  /** Most recent transcript lines, oldest first. */
  readonly transcript: readonly TranscriptLine[];
  /** Band levels in dB (about 16) and whose audio they show, or undefined to hide the view. */
  readonly spectrum: { readonly source: string; readonly bandsDb: ArrayLike<number> } | undefined;
  /**
   * The event line at the bottom: the latest join, leave, mute change or device warning with its
   * time (e.g. `10:42:07 bob joined`); empty once it has been shown long enough.
   */
  readonly status: string;
  /** Whether the event line is a warning (drawn in yellow). */
  readonly statusWarn?: boolean;
  /**
   * End-to-end encryption, shown when on or when someone's audio cannot be decrypted: whether we
   * encrypt, and how many participants' audio does not decrypt (a different key, or we have none).
   */
  readonly e2ee?: { readonly enabled: boolean; readonly undecryptable: number };
}

/** A state with nothing in it yet, for start-up and tests. */
export function emptyTuiState(room = '', identity = ''): TuiState {
  return {
    room,
    identity,
    participants: [],
    selected: 0,
    mic: { levelDbfs: -Infinity, peakDbfs: -Infinity, muted: false },
    masterVolume: 1,
    connection: { state: 'connecting', quality: 'unknown' },
    transcript: [],
    spectrum: undefined,
    status: '',
  };
}

/**
 * Adds a transcript segment: a new version of a known segment (partial → later partial → final)
 * replaces it in place; a new segment is appended; only the last `maxLines` are kept.
 * @returns a new array (the input is not modified)
 */
export function applyTranscript(
  lines: readonly TranscriptLine[],
  segment: TranscriptLine,
  maxLines = 50,
): readonly TranscriptLine[] {
  const at = lines.findIndex((l) => l.segmentId === segment.segmentId);
  const next = at >= 0 ? lines.map((l, i) => (i === at ? segment : l)) : [...lines, segment];
  return next.length > maxLines ? next.slice(next.length - maxLines) : next;
}
