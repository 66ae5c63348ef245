import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { ALT_SCREEN_OFF, ALT_SCREEN_ON, CURSOR_HIDE, CURSOR_SHOW, HOME } from './ansi.js';
import { TuiController } from './controller.js';
import type { TuiAction } from './keys.js';
import { emptyTuiState, type ParticipantView, type TuiState } from './state.js';

class FakeInput extends EventEmitter {
  isTTY = true;
  raw: boolean[] = [];
  paused = true;
  setRawMode(mode: boolean): void {
    this.raw.push(mode);
  }
  setEncoding(): void {}
  resume(): void {
    this.paused = false;
  }
  pause(): void {
    this.paused = true;
  }
  type(text: string): void {
    this.emit('data', text);
  }
}

class FakeOutput extends EventEmitter {
  isTTY = true;
  columns = 100;
  rows = 30;
  written = '';
  write(text: string): void {
    this.written += text;
  }
}

function participant(id: string, volume = 1): ParticipantView {
  return { id, identity: id, name: '', levelDbfs: -30, peakDbfs: -20, speaking: false, muted: false, volume };
}

let controller: TuiController | undefined;
afterEach(() => controller?.stop());

function setup(initial: TuiState): { input: FakeInput; output: FakeOutput; actions: TuiAction[]; state: { current: TuiState } } {
  const input = new FakeInput();
  const output = new FakeOutput();
  const actions: TuiAction[] = [];
  const state = { current: initial };
  controller = new TuiController({ getState: () => state.current, onAction: (a) => actions.push(a), stdin: input, stdout: output, fps: 20 });
  return { input, output, actions, state };
}

describe('TuiController', () => {
  it('enters the alternate screen in raw mode, draws, and restores everything on stop', () => {
    const { input, output } = setup(emptyTuiState('demo', 'me'));
    controller!.start();
    expect(output.written.startsWith(ALT_SCREEN_ON + CURSOR_HIDE + HOME)).toBe(true);
    expect(input.raw.at(-1)).toBe(true);
    expect(input.paused).toBe(false);
    controller!.stop();
    controller!.stop();
    expect(input.raw.slice(-2)).toEqual([true, false]);
    expect(input.paused).toBe(true);
    expect(output.written.endsWith(CURSOR_SHOW + ALT_SCREEN_OFF)).toBe(true);
    expect(output.written.split(ALT_SCREEN_OFF)).toHaveLength(2);
  });

  it('refuses to start without a terminal', () => {
    const { output } = setup(emptyTuiState());
    output.isTTY = false;
    expect(() => controller!.start()).toThrow(/--no-tui/);
  });

  it('turns keys into actions and tracks the selection by participant id', () => {
    const { input, actions, state } = setup({ ...emptyTuiState('r', 'me'), participants: [participant('bob'), participant('carol')] });
    controller!.start();
    input.type('\x1b[B');
    expect(controller!.selected).toBe('carol');
    // Someone joins at the top: the selection stays on carol.
    state.current = { ...state.current, participants: [participant('amy'), ...state.current.participants] };
    input.type('+m');
    input.type('q');
    expect(actions).toEqual([
      { type: 'select', id: 'carol' },
      { type: 'setVolume', id: 'carol', volume: 1.1 },
      { type: 'toggleMute' },
      { type: 'quit' },
    ]);
  });

  it('moves the selection to the neighbouring row when the selected person leaves', () => {
    const { input, state } = setup({ ...emptyTuiState('r', 'me'), participants: [participant('amy'), participant('bob'), participant('carol')] });
    controller!.start();
    input.type('\x1b[B');
    expect(controller!.selected).toBe('bob');
    state.current = { ...state.current, participants: [participant('amy'), participant('carol')] };
    controller!.redraw();
    expect(controller!.selected).toBe('carol');
    state.current = { ...state.current, participants: [participant('amy')] };
    controller!.redraw();
    expect(controller!.selected).toBe('amy');
  });

  it('applies a burst of keys in order on the state each one left, even when the session reports late', () => {
    // The session's master volume lags (the mixer reports it from another process): a burst of
    // twenty '+' must still be twenty steps.
    const { input, actions } = setup({ ...emptyTuiState('r', 'me'), masterVolume: 0 });
    controller!.start();
    input.type('+'.repeat(20));
    expect(actions).toHaveLength(20);
    expect(actions.at(-1)).toEqual({ type: 'setMasterVolume', volume: 2 });
  });

  it('opens the help screen on ? and closes it on Esc', () => {
    const { input, output } = setup(emptyTuiState('r', 'me'));
    controller!.start();
    input.type('?');
    expect(output.written).toContain('Ctrl+Z');
    output.written = '';
    input.type('\x1b');
    expect(output.written).toContain('nobody else in the room');
  });

  it('redraws at least 10 times a second while the state changes', async () => {
    let level = -60;
    const output = new FakeOutput();
    controller = new TuiController({
      getState: () => ({ ...emptyTuiState('r', 'me'), mic: { levelDbfs: (level = level >= -1 ? -60 : level + 1), peakDbfs: -Infinity, muted: false } }),
      onAction: () => {},
      stdin: new FakeInput(),
      stdout: output,
      fps: 20,
    });
    controller.start();
    await new Promise((r) => setTimeout(r, 1000));
    controller.stop();
    // 20 fps nominal; a loaded machine may delay timers, so require only the 10 Hz floor.
    expect(output.written.split(HOME).length - 1).toBeGreaterThanOrEqual(10);
  });

  it('skips writing identical frames', async () => {
    const { output } = setup(emptyTuiState('r', 'me'));
    controller!.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(output.written.split(HOME).length - 1).toBe(1);
  });
});
