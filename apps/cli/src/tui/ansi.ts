import { sanitizeText } from '@alto/orchestrator';

/** ANSI escape sequences the TUI uses: kept in one place so tests can strip or look for them. */
export const ESC = '\x1b[';
/** Moves the cursor to the top-left corner. */
export const HOME = `${ESC}H`;
/** Clears from the cursor to the end of the line. */
export const CLEAR_EOL = `${ESC}K`;
/** Clears from the cursor to the end of the screen. */
export const CLEAR_EOS = `${ESC}J`;
/** Switches to the alternate screen (the user's scrollback is left untouched). */
export const ALT_SCREEN_ON = `${ESC}?1049h`;
/** Returns to the normal screen. */
export const ALT_SCREEN_OFF = `${ESC}?1049l`;
/** Hides the cursor. */
export const CURSOR_HIDE = `${ESC}?25l`;
/** Shows the cursor. */
export const CURSOR_SHOW = `${ESC}?25h`;
/** Resets colours and attributes. */
export const RESET = `${ESC}0m`;

/** Wraps text in an SGR attribute (e.g. '1' bold, '2' dim, '31' red) and resets after it. */
export function sgr(code: string, text: string): string {
  return `${ESC}${code}m${text}${RESET}`;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** Removes ANSI escape sequences (for measuring and for tests). */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/**
 * Makes text from the network safe to print, through the one sanitiser for untrusted text: C0
 * and C1 controls (escape sequences a remote participant could put in a name or transcript)
 * become spaces; bidi controls and zero-width characters are removed.
 */
export function sanitize(text: string): string {
  return sanitizeText(text);
}
