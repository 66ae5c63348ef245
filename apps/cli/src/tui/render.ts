import { CLEAR_EOL, CLEAR_EOS, HOME, sanitize, sgr } from './ansi.js';
import { KEY_HELP } from './keys.js';
import { formatDb, renderMeter } from './meter.js';
import type { ConnectionState, ConnectionView, ParticipantView, TranscriptLine, TuiState } from './state.js';
import { columnsOf, fitLine, padColumns, tailColumns } from './text-width.js';

/** Rows of the spectrum's bar chart. */
const SPECTRUM_ROWS = 6;
/** Display range of spectrum bars in dB (0 = a full-scale sine in the band). */
const SPECTRUM_MIN_DB = -80;
/** Columns the spectrum needs (16 bands of three cells plus the indent). */
const SPECTRUM_COLUMNS = 54;
const BLOCKS = ' ▁▂▃▄▅▆▇█';
const KEYS_LINE = '? help · m mute · ↑/↓ select · +/- volume · x off · q quit';

const STATE_STYLE: Record<ConnectionState, string> = {
  connecting: '33',
  connected: '32',
  reconnecting: '33',
  failed: '1;31',
  disconnected: '31',
};

type Paint = (code: string, text: string) => string;

/**
 * Renders one full frame of the terminal UI. The frame starts at the cursor home position and
 * overwrites every line, clearing each line's rest and the screen below, so no full clear (and
 * no flicker) is needed between frames. Every line is cut to `columns - 1` screen columns
 * (measured in columns, so CJK and emoji count double) and the frame has exactly `rows` lines,
 * so nothing wraps or scrolls and the header stays on the first line.
 * @param state what to show
 * @param columns terminal width
 * @param rows terminal height
 * @param color false for text without colours (tests)
 */
export function render(state: TuiState, columns: number, rows: number, color = true): string {
  const height = Math.max(1, rows);
  const lines = layout(state, Math.max(20, columns), height, color);
  const width = Math.max(1, columns - 1);
  return HOME + lines.map((l) => fitLine(l, width) + CLEAR_EOL).join('\r\n') + CLEAR_EOS;
}

/** Seconds for the header: `4 s`, `2 min 5 s`. */
function elapsed(ms: number | undefined): string {
  const s = Math.floor((ms ?? 0) / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** The state as the header says it, most important words first. */
function stateWords(connection: ConnectionView): string {
  const reason = connection.reason ? `: ${connection.reason}` : '';
  switch (connection.state) {
    case 'connecting':
      return `connecting ${elapsed(connection.elapsedMs)}`;
    case 'connected':
      return 'connected';
    case 'reconnecting':
      return `reconnecting, attempt ${connection.attempt ?? 1}, ${elapsed(connection.elapsedMs)}${reason}`;
    case 'failed':
      return `failed${reason}`;
    case 'disconnected':
      return 'disconnected';
  }
}

/** The line under the header while not connected: where, and what to expect. */
function detailLine(connection: ConnectionView): string | undefined {
  const url = sanitize(connection.url ?? '');
  switch (connection.state) {
    case 'connecting':
      return `  joining ${url} …`;
    case 'reconnecting':
      return `  lost the room on ${url}; rejoining${connection.reason ? ` (last attempt: ${connection.reason})` : ''}`;
    case 'failed':
      return `  gave up on ${url}${connection.reason ? `: ${connection.reason}` : ''}; press q to quit`;
    case 'connected':
    case 'disconnected':
      return undefined;
  }
}

/** The frame's lines without cursor control: exactly `rows` of them, the header first. */
export function layout(state: TuiState, columns: number, rows: number, color: boolean): string[] {
  const c: Paint = (code, text) => (color ? sgr(code, text) : text);
  const { connection } = state;
  // Most telling first: a narrow terminal cuts the end of the line.
  const lock = state.e2ee
    ? state.e2ee.undecryptable > 0
      ? `${c('1;31', `${state.e2ee.enabled ? '🔒 e2ee' : '🔓 no e2ee key'}: ${state.e2ee.undecryptable} can't decrypt`)}  `
      : `${c('32', '🔒 e2ee')}  `
    : '';
  const header =
    `${c('1', 'alto')} ${c(STATE_STYLE[connection.state], `● ${stateWords(connection)}`)}  ${lock}` +
    `master ${state.masterVolume.toFixed(1)}  ${connection.state === 'connected' ? `quality ${connection.quality}  ` : ''}` +
    `room ${c('1', sanitize(state.room) || '-')}  as ${sanitize(state.identity) || '-'}`;
  const footer = c('2', KEYS_LINE);
  if (rows <= 1) return [header];
  if (state.showHelp) return helpScreen(header, columns, rows, c);

  const stale = state.participantsStale === true;
  const detail = detailLine(connection);
  const count = state.participants.length;
  // Rows by priority: header, keys line, the selected participant, the mic, the connection
  // detail, the event line, the list's title, more participants, spectrum, transcript.
  let free = rows - 2;
  const take = (n: number): number => {
    const got = Math.max(0, Math.min(n, free));
    free -= got;
    return got;
  };
  const listRows = take(1);
  const micRows = take(1);
  const detailRows = detail ? take(1) : 0;
  const eventRows = state.status ? take(1) : 0;
  const ruleRows = take(1);
  const extraRows = take(Math.max(0, count - 1));
  const participantRows = count === 0 ? listRows : listRows + extraRows;
  const showSpectrum = state.spectrum !== undefined && columns >= SPECTRUM_COLUMNS && free >= SPECTRUM_ROWS + 1;
  if (showSpectrum) take(SPECTRUM_ROWS + 1);
  const transcriptRows = free >= 2 ? take(free) : 0;

  const names = state.participants.map((p) => sanitize(p.name || p.identity));
  const nameWidth = Math.min(24, Math.max(9, Math.floor(columns / 5)), Math.max(9, ...names.map(columnsOf)));
  const showDb = columns >= 70;
  // Row: marker(2) speaking(2) name ' [' meter '] ' [dB(9) ' '] vol(7) ' ' flag(5)
  const fixed = 4 + nameWidth + 2 + 2 + (showDb ? 10 : 0) + 7 + 1 + 5;
  const meterWidth = Math.max(4, Math.min(60, columns - 1 - fixed));
  const rowOf = { nameWidth, meterWidth, showDb, stale, c, color };

  const body: string[] = [];
  const selected = clampIndex(state.selected, count);
  const visible = Math.max(1, Math.min(count, participantRows));
  const first = Math.min(Math.max(0, selected - visible + 1), Math.max(0, count - visible));
  if (ruleRows) {
    const above = first;
    const below = Math.max(0, count - first - visible);
    const more = [above ? `+${above} more above` : '', below ? `+${below} more below` : ''].filter(Boolean).join(', ');
    const title = `participants (${count})${more ? ` · ${more}` : ''}${stale ? ' · from before the room was lost' : ''}`;
    body.push(rule(title, columns, c));
  }
  if (micRows) body.push(micLine(state, rowOf));
  if (participantRows) {
    if (count === 0) body.push(c('2', '    (nobody else in the room yet)'));
    for (let i = first; i < first + visible && i < count; i++) {
      body.push(participantLine(state.participants[i] as ParticipantView, names[i] as string, i === selected, rowOf));
    }
  }
  if (showSpectrum && state.spectrum) {
    body.push(rule(`spectrum: ${sanitize(state.spectrum.source)}`, columns, c));
    body.push(...spectrumLines(state.spectrum.bandsDb, c));
  }
  if (transcriptRows) {
    body.push(rule('transcript', columns, c));
    body.push(...transcriptLines(state.transcript, transcriptRows - 1, columns, c));
  }
  const top = detailRows && detail ? [header, c(STATE_STYLE[connection.state], detail)] : [header];
  const bottom = eventRows ? [state.statusWarn ? c('33', sanitize(state.status)) : sanitize(state.status), footer] : [footer];
  const filler = Math.max(0, rows - top.length - body.length - bottom.length);
  return [...top, ...body.slice(0, rows - top.length - bottom.length), ...Array<string>(filler).fill(''), ...bottom];
}

function rule(title: string, columns: number, c: Paint): string {
  return c('2', `── ${title} ${'─'.repeat(Math.max(0, columns - columnsOf(title) - 5))}`);
}

function helpScreen(header: string, columns: number, rows: number, c: Paint): string[] {
  const keyWidth = Math.max(...KEY_HELP.map(([k]) => columnsOf(k)));
  const lines = [header, rule('keys', columns, c), ...KEY_HELP.map(([k, what]) => `  ${c('1', padColumns(k, keyWidth))}  ${what}`)];
  const footer = c('2', '? or Esc closes this help');
  const body = lines.slice(0, rows - 1);
  return [...body, ...Array<string>(Math.max(0, rows - 1 - body.length)).fill(''), footer];
}

interface RowStyle {
  readonly nameWidth: number;
  readonly meterWidth: number;
  readonly showDb: boolean;
  readonly stale: boolean;
  readonly c: Paint;
  readonly color: boolean;
}

function micLine(state: TuiState, r: RowStyle): string {
  const { mic } = state;
  const meter = renderMeter(mic.muted ? -Infinity : mic.levelDbfs, mic.peakDbfs, r.meterWidth, r.color);
  const db = r.showDb ? `${formatDb(mic.levelDbfs)} ` : '';
  return `    ${padColumns('you (mic)', r.nameWidth)} [${meter}] ${db}${' '.repeat(7)} ${mic.muted ? r.c('1;31', 'MUTED') : r.c('32', 'live ')}`;
}

function participantLine(p: ParticipantView, name: string, selected: boolean, r: RowStyle): string {
  const { c } = r;
  const marker = selected ? (r.stale ? '> ' : c('1', '> ')) : '  ';
  const vol = `vol ${p.volume.toFixed(1)}`.padEnd(7);
  const silent = p.muted || p.locallyMuted === true || p.notHeard === true || p.cannotDecrypt === true;
  const flag = p.cannotDecrypt ? "can't decrypt" : p.notHeard ? 'not heard from' : p.muted ? 'muted' : p.locallyMuted ? 'off  ' : '     ';
  if (r.stale) {
    // Greyed: nothing from a lost room is live, so no colours and an empty meter.
    const meter = renderMeter(-Infinity, -Infinity, r.meterWidth, false);
    const db = r.showDb ? `${formatDb(-Infinity)} ` : '';
    return `${marker}${c('2', `○ ${padColumns(name, r.nameWidth)} [${meter}] ${db}${vol} ${flag}`)}`;
  }
  const speaking = p.speaking ? c('1;32', '● ') : c('2', '○ ');
  const label = selected ? c('1', padColumns(name, r.nameWidth)) : padColumns(name, r.nameWidth);
  const meter = renderMeter(silent ? -Infinity : p.levelDbfs, silent ? -Infinity : p.peakDbfs, r.meterWidth, r.color);
  const db = r.showDb ? `${formatDb(silent ? -Infinity : p.levelDbfs)} ` : '';
  return `${marker}${speaking}${label} [${meter}] ${db}${vol} ${p.muted || p.notHeard || p.cannotDecrypt ? c('31', flag) : c('33', flag)}`;
}

function spectrumLines(bandsDb: ArrayLike<number>, c: Paint): string[] {
  const heights: number[] = [];
  for (let b = 0; b < bandsDb.length; b++) {
    const db = bandsDb[b] as number;
    const f = Number.isFinite(db) ? Math.min(1, Math.max(0, (db - SPECTRUM_MIN_DB) / -SPECTRUM_MIN_DB)) : 0;
    heights.push(Math.round(f * SPECTRUM_ROWS * 8));
  }
  const lines: string[] = [];
  for (let row = SPECTRUM_ROWS - 1; row >= 0; row--) {
    let line = '    ';
    for (const h of heights) {
      const eighths = Math.min(8, Math.max(0, h - row * 8));
      const cell = BLOCKS[eighths] as string;
      line += c('36', cell + cell) + ' ';
    }
    lines.push(line);
  }
  return lines;
}

function transcriptLines(transcript: readonly TranscriptLine[], maxLines: number, columns: number, c: Paint): string[] {
  if (maxLines <= 0) return [];
  if (transcript.length === 0) return [c('2', '    (no transcript yet)')];
  return transcript.slice(-maxLines).map((t) => {
    const line = `${sanitize(t.participant)}: ${sanitize(t.text)}${t.final ? '' : ' …'}`;
    // Show the end of long lines: the newest words matter most while someone is talking.
    const visible = tailColumns(line, columns - 2);
    return t.final ? visible : c('2', visible);
  });
}

function clampIndex(index: number, length: number): number {
  if (length === 0) return 0;
  return Math.min(length - 1, Math.max(0, Math.trunc(index)));
}
