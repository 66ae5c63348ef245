import { CLEAR_EOL, CLEAR_EOS, HOME, fitLine, sanitize, sgr } from './ansi.js';
import { formatDb, renderMeter } from './meter.js';
import type { ConnectionState, ParticipantView, TranscriptLine, TuiState } from './state.js';

/** Rows of the spectrum's bar chart. */
const SPECTRUM_ROWS = 6;
/** Display range of spectrum bars in dB (0 = a full-scale sine in the band). */
const SPECTRUM_MIN_DB = -80;
const BLOCKS = ' ▁▂▃▄▅▆▇█';
const KEYS_HELP = 'm mute · ↑/↓ select · ←/→ or +/- volume · q quit';

const STATE_STYLE: Record<ConnectionState, string> = {
  connecting: '33',
  connected: '32',
  reconnecting: '33',
  disconnected: '31',
};

/**
 * Renders one full frame of the terminal UI. The frame starts at the cursor home position and
 * overwrites every line, clearing each line's rest and the screen below, so no full clear (and
 * no flicker) is needed between frames. Lines are cut to `columns - 1` visible characters so
 * a line never reaches the wrap column.
 * @param state what to show
 * @param columns terminal width
 * @param rows terminal height
 * @param color false for text without colours (tests)
 */
export function render(state: TuiState, columns: number, rows: number, color = true): string {
  const lines = layout(state, Math.max(20, columns), Math.max(8, rows), color);
  const width = Math.max(1, columns - 1);
  return HOME + lines.map((l) => fitLine(l, width) + CLEAR_EOL).join('\r\n') + CLEAR_EOS;
}

/** The frame's lines without cursor control: exactly `rows` of them. */
export function layout(state: TuiState, columns: number, rows: number, color: boolean): string[] {
  const c = (code: string, text: string): string => (color ? sgr(code, text) : text);
  const { connection } = state;
  const header =
    `${c('1', 'alto')}  room ${c('1', sanitize(state.room) || '-')}  as ${sanitize(state.identity) || '-'}  ` +
    `${c(STATE_STYLE[connection.state], `● ${connection.state}`)}  quality ${connection.quality}  ` +
    `master ${state.masterVolume.toFixed(1)}`;
  const rule = (title: string): string => c('2', `── ${title} ${'─'.repeat(Math.max(0, columns - title.length - 5))}`);

  const names = state.participants.map((p) => sanitize(p.name || p.identity));
  const nameWidth = Math.min(24, Math.max(9, ...names.map((n) => [...n].length)));
  // Row: marker(2) speaking(2) name space [meter] space dB(9) space vol(7) space muted(5)
  const meterWidth = Math.max(8, Math.min(60, columns - 1 - (4 + nameWidth + 1 + 2 + 1 + 9 + 1 + 7 + 1 + 5)));

  const micLine =
    `    ${pad('you (mic)', nameWidth)} [${renderMeter(state.mic.muted ? -Infinity : state.mic.levelDbfs, state.mic.peakDbfs, meterWidth, color)}] ` +
    `${formatDb(state.mic.levelDbfs)} ${' '.repeat(7)} ${state.mic.muted ? c('1;31', 'MUTED') : c('32', 'live ')}`;

  const top = [header, rule('participants'), micLine];
  const footer = [state.status ? sanitize(state.status) : '', c('2', KEYS_HELP)];
  let budget = rows - top.length - footer.length;

  const selected = clampIndex(state.selected, state.participants.length);
  const participantRows = Math.max(1, Math.min(state.participants.length, budget - 2));
  const body: string[] = [];
  if (state.participants.length === 0) {
    body.push(c('2', '    (nobody else in the room yet)'));
  } else {
    const first = Math.min(Math.max(0, selected - participantRows + 1), state.participants.length - participantRows);
    for (let i = first; i < first + participantRows; i++) {
      body.push(participantLine(state.participants[i] as ParticipantView, names[i] as string, i === selected, nameWidth, meterWidth, c, color));
    }
  }
  budget -= body.length;

  if (state.spectrum && budget >= SPECTRUM_ROWS + 2) {
    body.push(rule(`spectrum: ${sanitize(state.spectrum.source)}`));
    body.push(...spectrumLines(state.spectrum.bandsDb, c));
    budget -= SPECTRUM_ROWS + 1;
  }
  if (budget >= 2) {
    body.push(rule('transcript'));
    budget -= 1;
    body.push(...transcriptLines(state.transcript, budget, columns, c));
  }
  const filler = Math.max(0, rows - top.length - body.length - footer.length);
  return [...top, ...body, ...Array<string>(filler).fill(''), ...footer].slice(0, rows);
}

function participantLine(
  p: ParticipantView,
  name: string,
  selected: boolean,
  nameWidth: number,
  meterWidth: number,
  c: (code: string, text: string) => string,
  color: boolean,
): string {
  const marker = selected ? c('1', '> ') : '  ';
  const speaking = p.speaking ? c('1;32', '● ') : c('2', '○ ');
  const label = selected ? c('1', pad(name, nameWidth)) : pad(name, nameWidth);
  const meter = renderMeter(p.muted ? -Infinity : p.levelDbfs, p.peakDbfs, meterWidth, color);
  const vol = `vol ${p.volume.toFixed(1)}`;
  return `${marker}${speaking}${label} [${meter}] ${formatDb(p.levelDbfs)} ${vol.padEnd(7)} ${p.muted ? c('31', 'muted') : '     '}`;
}

function spectrumLines(bandsDb: ArrayLike<number>, c: (code: string, text: string) => string): string[] {
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

function transcriptLines(
  transcript: readonly TranscriptLine[],
  maxLines: number,
  columns: number,
  c: (code: string, text: string) => string,
): string[] {
  if (maxLines <= 0) return [];
  if (transcript.length === 0) return [c('2', '    (no transcript yet)')];
  return transcript.slice(-maxLines).map((t) => {
    const who = sanitize(t.participant);
    const text = sanitize(t.text);
    const line = `${who}: ${text}${t.final ? '' : ' …'}`;
    // Show the end of long lines: the newest words matter most while someone is talking.
    const visible = [...line].length > columns - 2 ? `…${[...line].slice(-(columns - 3)).join('')}` : line;
    return t.final ? visible : c('2', visible);
  });
}

function pad(text: string, width: number): string {
  const chars = [...text];
  return chars.length > width ? `${chars.slice(0, width - 1).join('')}…` : text + ' '.repeat(width - chars.length);
}

function clampIndex(index: number, length: number): number {
  if (length === 0) return 0;
  return Math.min(length - 1, Math.max(0, Math.trunc(index)));
}
