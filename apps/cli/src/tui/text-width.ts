import stringWidth from 'string-width';
import { RESET } from './ansi.js';

// eslint-disable-next-line no-control-regex
const ANSI_AT = /\x1b\[[0-9;?]*[A-Za-z]/y;
const PLAIN_ASCII = /^[\x20-\x7e]*$/;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Screen columns `text` takes in a terminal: CJK and emoji take two, combining marks none,
 * ANSI colour sequences none (string-width's rules, which follow Unicode's East Asian Width and
 * emoji properties, as terminals do).
 */
export function columnsOf(text: string): number {
  return PLAIN_ASCII.test(text) ? text.length : stringWidth(text);
}

/** The grapheme clusters of `text` (what the eye sees as one character) with their widths. */
function* clusters(text: string): Generator<readonly [cluster: string, columns: number]> {
  if (PLAIN_ASCII.test(text)) {
    for (const ch of text) yield [ch, 1];
    return;
  }
  for (const { segment } of graphemes.segment(text)) yield [segment, stringWidth(segment)];
}

/**
 * Cuts a line that may hold ANSI sequences to at most `columns` screen columns: whole clusters
 * only (a wide character that would straddle the edge is left out), escape sequences kept, and a
 * reset appended when anything was cut so colour does not leak.
 */
export function fitLine(line: string, columns: number): string {
  let used = 0;
  let out = '';
  let i = 0;
  while (i < line.length) {
    if (line.charCodeAt(i) === 0x1b) {
      ANSI_AT.lastIndex = i;
      const m = ANSI_AT.exec(line);
      if (m) {
        out += m[0];
        i += m[0].length;
        continue;
      }
    }
    let next = line.indexOf('\x1b', i + 1);
    if (next < 0) next = line.length;
    for (const [cluster, width] of clusters(line.slice(i, next))) {
      if (used + width > columns) return out + RESET;
      out += cluster;
      used += width;
    }
    i = next;
  }
  return out;
}

/** The start of `text` (no escape sequences) that fits in `columns`, whole clusters only. */
function headColumns(text: string, columns: number): string {
  let used = 0;
  let out = '';
  for (const [cluster, width] of clusters(text)) {
    if (used + width > columns) break;
    out += cluster;
    used += width;
  }
  return out;
}

/**
 * `text` (no escape sequences) made exactly `columns` wide: cut with an ellipsis when longer,
 * padded with spaces when shorter.
 */
export function padColumns(text: string, columns: number): string {
  const width = columnsOf(text);
  if (width <= columns) return text + ' '.repeat(columns - width);
  if (columns <= 0) return '';
  const cut = headColumns(text, columns - 1);
  return `${cut}…${' '.repeat(columns - 1 - columnsOf(cut))}`;
}

/** The end of `text` that fits in `columns`, led by an ellipsis when the start was dropped. */
export function tailColumns(text: string, columns: number): string {
  if (columnsOf(text) <= columns) return text;
  const parts = [...clusters(text)];
  let used = 1;
  let start = parts.length;
  while (start > 0 && used + (parts[start - 1]?.[1] ?? 0) <= columns) {
    start--;
    used += parts[start]?.[1] ?? 0;
  }
  return `…${parts.slice(start).map(([c]) => c).join('')}`;
}
