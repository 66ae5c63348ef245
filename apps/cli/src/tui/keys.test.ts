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
    expect(decodeKeys('xyz')).toEqual([]);
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

  it('q and Ctrl+C quit', () => {
    expect(reduceKey(two, 'quit').actions).toEqual([{ type: 'quit' }]);
  });
});
