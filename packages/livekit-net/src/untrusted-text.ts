/**
 * One sanitiser for text that other people control: participant names and identities,
 * transcripts, chat, attribute values. Every output that shows such text (a terminal, Prometheus
 * labels, JSON answers and events, file names) goes through one of these functions, so an escape
 * sequence, a bidi override or an invisible character planted by a room peer reaches nobody.
 */

// C0 controls, DEL and C1 controls (U+0080..U+009F, where U+009B is a one-byte CSI on many terminals).
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
// Bidi embeddings, overrides and isolates, the implicit direction marks, the Arabic letter mark.
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// Zero-width and invisible characters that hide or disguise text (and the line separators,
// which some renderers honour as newlines).
const INVISIBLE = /[\u00ad\u180e\u200b-\u200d\u2028\u2029\u2060-\u2064\ufeff\ufff9-\ufffb]/g;
// A base character may carry this many combining marks; more is a "Zalgo" tower that paints
// over the lines above and below it.
const MAX_COMBINING = 2;
const COMBINING_RUN = /\p{M}{3,}/gu;

/**
 * Makes untrusted text safe to print on a terminal: C0 and C1 controls (escape sequences, CR, LF,
 * BEL, CSI) become spaces; bidi controls and zero-width or invisible characters are removed;
 * runs of combining marks are cut to two per character. Printable text, including wide (CJK,
 * emoji) characters, is kept as it is.
 */
export function sanitizeText(text: string): string {
  return text
    .replace(CONTROLS, ' ')
    .replace(BIDI, '')
    .replace(INVISIBLE, '')
    .replace(COMBINING_RUN, (run) => [...run].slice(0, MAX_COMBINING).join(''));
}

/**
 * Makes untrusted text safe as a Prometheus label value: {@link sanitizeText}, then at most
 * `maxLength` characters. The exposition format's own escaping (`\\`, `\"`, `\n`) is the
 * registry's job; this removes what that escaping leaves through (ESC, BEL, C1, bidi).
 */
export function sanitizeLabelValue(text: string, maxLength = 128): string {
  const clean = sanitizeText(text);
  const chars = [...clean];
  return chars.length > maxLength ? chars.slice(0, maxLength).join('') : clean;
}

// Characters JSON.stringify leaves raw that terminals or browsers treat specially.
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/**
 * Serialises a value as JSON with every C1 control, DEL, bidi control, zero-width character and
 * line separator written as a `\uXXXX` escape. The data is unchanged (any JSON parser reads the
 * same strings back), but `curl` on a terminal prints no raw CSI or bidi override.
 */
export function stringifyJsonSafe(value: unknown): string {
  const text = JSON.stringify(value) as string | undefined;
  if (text === undefined) return 'null';
  return text.replace(JSON_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** True when {@link sanitizeText} would change `text` (controls, bidi, invisible characters). */
export function hasUnsafeCharacters(text: string): boolean {
  return sanitizeText(text) !== text;
}
