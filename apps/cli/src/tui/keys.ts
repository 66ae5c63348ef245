import type { TuiState } from './state.js';

/** What the UI asks the session to do. The lead wires these to the orchestrator. */
export type TuiAction =
  | { readonly type: 'toggleMute' }
  | { readonly type: 'setVolume'; readonly id: string; readonly volume: number }
  | { readonly type: 'setMasterVolume'; readonly volume: number }
  | { readonly type: 'select'; readonly id: string }
  | { readonly type: 'quit' };

/** A key the UI understands. */
export type Key = 'mute' | 'up' | 'down' | 'louder' | 'quieter' | 'quit';

/** Volume change per key press. */
export const VOLUME_STEP = 0.1;
/** Highest volume (per participant and master). */
export const MAX_VOLUME = 2;

const SEQUENCES: readonly (readonly [string, Key])[] = [
  ['\x1b[A', 'up'],
  ['\x1bOA', 'up'],
  ['\x1b[B', 'down'],
  ['\x1bOB', 'down'],
  ['\x1b[C', 'louder'],
  ['\x1bOC', 'louder'],
  ['\x1b[D', 'quieter'],
  ['\x1bOD', 'quieter'],
];

const SINGLE: Readonly<Record<string, Key>> = {
  m: 'mute',
  M: 'mute',
  k: 'up',
  j: 'down',
  '+': 'louder',
  '=': 'louder',
  '-': 'quieter',
  _: 'quieter',
  q: 'quit',
  Q: 'quit',
  '\x03': 'quit', // Ctrl+C: in raw mode it arrives as a byte, not as SIGINT
  '\x04': 'quit', // Ctrl+D
};

/**
 * Splits one chunk of raw-mode stdin into keys. A chunk may hold several keys (fast typing,
 * key repeat, paste); unknown bytes and escape sequences are skipped.
 */
export function decodeKeys(chunk: string): Key[] {
  const keys: Key[] = [];
  let i = 0;
  outer: while (i < chunk.length) {
    if (chunk[i] === '\x1b') {
      for (const [seq, key] of SEQUENCES) {
        if (chunk.startsWith(seq, i)) {
          keys.push(key);
          i += seq.length;
          continue outer;
        }
      }
      // Skip an unknown CSI/SS3 sequence whole, so its letters are not read as keys.
      // eslint-disable-next-line no-control-regex
      const m = /^\x1b(?:\[[0-9;?]*[ -/]*[@-~]|O.)?/.exec(chunk.slice(i));
      i += m ? Math.max(1, m[0].length) : 1;
      continue;
    }
    const key = SINGLE[chunk[i] as string];
    if (key) keys.push(key);
    i++;
  }
  return keys;
}

const round1 = (v: number): number => Math.round(v * 10) / 10;
const clampVolume = (v: number): number => Math.min(MAX_VOLUME, Math.max(0, round1(v)));

/** Result of {@link reduceKey}: the next state to show and the actions to perform. */
export interface KeyResult {
  readonly state: TuiState;
  readonly actions: readonly TuiAction[];
}

/**
 * Applies one key to the UI state: pure, so every binding is unit-testable. The returned state
 * already shows the change (mute, volume, selection) so the UI reacts before the session
 * confirms it. Volume keys change the selected participant's volume, or the master volume when
 * nobody else is in the room.
 */
export function reduceKey(state: TuiState, key: Key): KeyResult {
  const count = state.participants.length;
  const selected = count === 0 ? 0 : Math.min(count - 1, Math.max(0, state.selected));
  switch (key) {
    case 'quit':
      return { state, actions: [{ type: 'quit' }] };
    case 'mute':
      return { state: { ...state, mic: { ...state.mic, muted: !state.mic.muted } }, actions: [{ type: 'toggleMute' }] };
    case 'up':
    case 'down': {
      if (count === 0) return { state, actions: [] };
      const next = key === 'up' ? Math.max(0, selected - 1) : Math.min(count - 1, selected + 1);
      const p = state.participants[next];
      if (next === state.selected || !p) return { state: { ...state, selected: next }, actions: [] };
      return { state: { ...state, selected: next }, actions: [{ type: 'select', id: p.id }] };
    }
    case 'louder':
    case 'quieter': {
      const delta = key === 'louder' ? VOLUME_STEP : -VOLUME_STEP;
      const p = state.participants[selected];
      if (!p) {
        const volume = clampVolume(state.masterVolume + delta);
        if (volume === state.masterVolume) return { state, actions: [] };
        return { state: { ...state, masterVolume: volume }, actions: [{ type: 'setMasterVolume', volume }] };
      }
      const volume = clampVolume(p.volume + delta);
      if (volume === p.volume) return { state, actions: [] };
      const participants = state.participants.map((q, i) => (i === selected ? { ...q, volume } : q));
      return { state: { ...state, participants }, actions: [{ type: 'setVolume', id: p.id, volume }] };
    }
  }
}
