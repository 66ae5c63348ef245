import stringWidth from 'string-width';
import { RESET } from './ansi.js';

// eslint-disable-next-line no-control-regex
const ANSI_AT = /\x1b\[[0-9;?]*[A-Za-z]/y;
const PLAIN_ASCII = /^[\x20-\x7e]*$/;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Characters that may join the one before them into a single cluster (marks, joiners, variation
 * selectors, skin tones, flags, Hangul jamo, tags): only text holding one needs the (slow)
 * grapheme segmenter; anything else is one cluster per code point.
 */
// The class lists joining characters on purpose (variation selectors, skin-tone modifiers).
// eslint-disable-next-line no-misleading-character-class
const JOINS_CLUSTERS = /[\p{M}\p{Cf}\p{Regional_Indicator}\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff\ufe00-\ufe0f\u{1f3fb}-\u{1f3ff}\u{e0020}-\u{e007f}]/u;
// eslint-disable-next-line no-control-regex
const ANSI_ANYWHERE = /\x1b\[[0-9;?]*[A-Za-z]/g;
/** Widths of clusters seen before: frames repeat the same few hundred characters. */
const widths = new Map<string, number>();

function clusterWidth(cluster: string): number {
  let width = widths.get(cluster);
  if (width === undefined) {
    width = stringWidth(cluster);
    if (widths.size >= 4096) widths.clear();
    widths.set(cluster, width);
  }
  return width;
}

/** The grapheme clusters of `text` (what the eye sees as one character) with their widths. */
function* clusters(text: string): Generator<readonly [cluster: string, columns: number]> {
  if (PLAIN_ASCII.test(text)) {
    for (const ch of text) yield [ch, 1];
  } else if (!JOINS_CLUSTERS.test(text)) {
    for (const ch of text) yield [ch, clusterWidth(ch)];
  } else {
    for (const { segment } of graphemes.segment(text)) yield [segment, clusterWidth(segment)];
  }
}

/**
 * Screen columns `text` takes in a terminal: CJK and emoji take two, combining marks none,
 * ANSI colour sequences none (string-width's rules, which follow Unicode's East Asian Width and
 * emoji properties, as terminals do).
 */
export function columnsOf(text: string): number {
  if (PLAIN_ASCII.test(text)) return text.length;
  let width = 0;
  for (const [, w] of clusters(text.replace(ANSI_ANYWHERE, ''))) width += w;
  return width;
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
