import { MAX_VOLUME, MIN_VOLUME } from '@alto/orchestrator';
import type { TuiState } from './state.js';

/** What the UI asks the session to do; the session wires these to the orchestrator. */
export type TuiAction =
  | { readonly type: 'toggleMute' }
  | { readonly type: 'setVolume'; readonly id: string; readonly volume: number }
  | { readonly type: 'setParticipantMuted'; readonly id: string; readonly muted: boolean }
  | { readonly type: 'setMasterVolume'; readonly volume: number }
  | { readonly type: 'select'; readonly id: string }
  | { readonly type: 'quit' };

/** A key the UI understands. `suspend` (Ctrl+Z) and `help` are handled by the controller. */
export type Key =
  | 'mute'
  | 'up'
  | 'down'
  | 'louder'
  | 'quieter'
  | 'masterUp'
  | 'masterDown'
  | 'muteParticipant'
  | 'help'
  | 'close'
  | 'suspend'
  | 'quit';

/** Every key binding, as the `?` screen lists it. */
export const KEY_HELP: readonly (readonly [keys: string, what: string])[] = [
  ['m', 'mute or unmute your microphone'],
  ['↑ ↓  k j', 'select a participant'],
  ['→ ←  + -', "the selected participant's volume (master volume when nobody is there)"],
  ['] [', 'master volume up / down'],
  ['x', 'stop or start playing the selected participant (shows "off")'],
  ['?', 'this help (Esc or ? closes it)'],
  ['Ctrl+Z', 'suspend alto (fg resumes it)'],
  ['q  Ctrl+C', 'leave the room and quit'],
];

/** Volume change per key press. */
export const VOLUME_STEP = 0.1;

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
  ']': 'masterUp',
  '[': 'masterDown',
  x: 'muteParticipant',
  X: 'muteParticipant',
  '?': 'help',
  '\x1a': 'suspend', // Ctrl+Z: in raw mode it arrives as a byte, not as SIGTSTP
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
      // Skip an unknown CSI/SS3 sequence whole, so its letters are not read as keys; a lone Esc
      // (nothing after it in the chunk, or another Esc) closes the help screen.
      // eslint-disable-next-line no-control-regex
      const m = /^\x1b(?:\[[0-9;?]*[ -/]*[@-~]|O.)?/.exec(chunk.slice(i));
      if (m?.[0] === '\x1b') keys.push('close');
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
const clampVolume = (v: number): number => Math.min(MAX_VOLUME, Math.max(MIN_VOLUME, round1(v)));

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
    case 'help':
      return { state: { ...state, showHelp: !state.showHelp }, actions: [] };
    case 'close':
      return { state: { ...state, showHelp: false }, actions: [] };
    case 'suspend':
      return { state, actions: [] };
    case 'masterUp':
    case 'masterDown': {
      const volume = clampVolume(state.masterVolume + (key === 'masterUp' ? VOLUME_STEP : -VOLUME_STEP));
      if (volume === state.masterVolume) return { state, actions: [] };
      return { state: { ...state, masterVolume: volume }, actions: [{ type: 'setMasterVolume', volume }] };
    }
    case 'muteParticipant': {
      const p = state.participants[selected];
      if (!p) return { state, actions: [] };
      const muted = !p.locallyMuted;
      const participants = state.participants.map((q, i) => (i === selected ? { ...q, locallyMuted: muted } : q));
      return { state: { ...state, participants }, actions: [{ type: 'setParticipantMuted', id: p.id, muted }] };
    }
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
