import { describe, expect, it } from 'vitest';
import { decodeKeys, reduceKey } from './keys.js';
import { emptyTuiState, type ParticipantView, type TuiState } from './state.js';

function participant(id: string, volume = 1): ParticipantView {
  return { id, identity: id, name: '', levelDbfs: -30, peakDbfs: -20, speaking: false, muted: false, volume };
}

const two: TuiState = { ...emptyTuiState('r', 'me'), participants: [participant('bob'), participant('carol', 2)] };

describe('decodeKeys', () => {
  it('reads letters, arrows (CSI and SS3), +/- and Ctrl+C, several per chunk', () => {
    expect(decodeKeys('m\x1b[A\x1b[B\x1bOC\x1b[D+-=q\x03')).toEqual([
      'mute', 'up', 'down', 'louder', 'quieter', 'louder', 'quieter', 'louder', 'quit', 'quit',
    ]);
  });

  it('skips unknown escape sequences whole', () => {
    expect(decodeKeys('\x1b[15~m\x1b[1;5Cq')).toEqual(['mute', 'quit']);
    expect(decodeKeys('yz')).toEqual([]);
  });

  it('reads the help, master volume, participant mute, Esc and Ctrl+Z keys', () => {
    expect(decodeKeys('?][x\x1b\x1a')).toEqual(['help', 'masterUp', 'masterDown', 'muteParticipant', 'close', 'suspend']);
  });
});

describe('reduceKey', () => {
  it('m toggles mute and shows it at once', () => {
    const r = reduceKey(two, 'mute');
    expect(r.actions).toEqual([{ type: 'toggleMute' }]);
    expect(r.state.mic.muted).toBe(true);
    expect(reduceKey(r.state, 'mute').state.mic.muted).toBe(false);
  });

  it('up/down move the selection within the list and announce it', () => {
    const down = reduceKey(two, 'down');
    expect(down.state.selected).toBe(1);
    expect(down.actions).toEqual([{ type: 'select', id: 'carol' }]);
    expect(reduceKey(down.state, 'down')).toMatchObject({ state: { selected: 1 }, actions: [] });
    expect(reduceKey(down.state, 'up').state.selected).toBe(0);
    expect(reduceKey(two, 'up')).toMatchObject({ state: { selected: 0 }, actions: [] });
  });

  it('volume keys step the selected participant by 0.1 within 0..2', () => {
    const louder = reduceKey(two, 'louder');
    expect(louder.actions).toEqual([{ type: 'setVolume', id: 'bob', volume: 1.1 }]);
    expect(louder.state.participants[0]?.volume).toBe(1.1);
    const carol = { ...two, selected: 1 };
    expect(reduceKey(carol, 'louder').actions).toEqual([]);
    expect(reduceKey(carol, 'quieter').actions).toEqual([{ type: 'setVolume', id: 'carol', volume: 1.9 }]);
    let s: TuiState = two;
    for (let i = 0; i < 15; i++) s = reduceKey(s, 'quieter').state;
    expect(s.participants[0]?.volume).toBe(0);
    expect(reduceKey(s, 'quieter').actions).toEqual([]);
  });

  it('volume keys change the master volume when nobody else is there', () => {
    const alone = emptyTuiState('r', 'me');
    expect(reduceKey(alone, 'quieter')).toMatchObject({ state: { masterVolume: 0.9 }, actions: [{ type: 'setMasterVolume', volume: 0.9 }] });
    expect(reduceKey({ ...alone, masterVolume: 2 }, 'louder').actions).toEqual([]);
  });

  it('twenty louder keys in one burst are twenty steps, none lost', () => {
    let s: TuiState = { ...emptyTuiState('r', 'me'), masterVolume: 0 };
    const actions: unknown[] = [];
    for (const key of decodeKeys('+'.repeat(20))) {
      const r = reduceKey(s, key);
      s = r.state;
      actions.push(...r.actions);
    }
    expect(s.masterVolume).toBe(2);
    expect(actions).toHaveLength(20);
    expect(actions.at(-1)).toEqual({ type: 'setMasterVolume', volume: 2 });
  });

  it('] and [ step the master volume even with people in the room', () => {
    expect(reduceKey(two, 'masterUp')).toMatchObject({ state: { masterVolume: 1.1 }, actions: [{ type: 'setMasterVolume', volume: 1.1 }] });
    expect(reduceKey(two, 'masterDown').actions).toEqual([{ type: 'setMasterVolume', volume: 0.9 }]);
  });

  it('x stops and restarts playing the selected participant; ? opens and closes the help', () => {
    const off = reduceKey({ ...two, selected: 1 }, 'muteParticipant');
    expect(off.actions).toEqual([{ type: 'setParticipantMuted', id: 'carol', muted: true }]);
    expect(off.state.participants[1]?.locallyMuted).toBe(true);
    expect(reduceKey(off.state, 'muteParticipant').actions).toEqual([{ type: 'setParticipantMuted', id: 'carol', muted: false }]);
    const help = reduceKey(two, 'help').state;
    expect(help.showHelp).toBe(true);
    expect(reduceKey(help, 'help').state.showHelp).toBe(false);
    expect(reduceKey(help, 'close').state.showHelp).toBe(false);
  });

  it('q and Ctrl+C quit', () => {
    expect(reduceKey(two, 'quit').actions).toEqual([{ type: 'quit' }]);
  });
});
