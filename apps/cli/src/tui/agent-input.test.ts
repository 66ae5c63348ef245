import { describe, expect, it } from 'vitest';
import { AgentInput, KITTY_POP, KITTY_PUSH, KITTY_QUERY } from './agent-input.js';

function harness(pushToTalk = true) {
  const log: string[] = [];
  const written: string[] = [];
  let talking = false;
  const input = new AgentInput(
    {
      sendChat: (text) => log.push(`chat:${text}`),
      startTurn: () => {
        talking = true;
        log.push('start');
      },
      endTurn: () => {
        talking = false;
        log.push('end');
      },
      talking: () => talking,
    },
    { pushToTalk, write: (t) => written.push(t) },
  );
  return { input, log, written };
}

describe('AgentInput', () => {
  it('opens a text line with t, keeps its letters from the key bindings, sends on Enter', () => {
    const { input, log } = harness(false);
    expect(input.handle('m')).toBe('m');
    expect(input.handle('t')).toBe('');
    expect(input.handle('hello mq')).toBe('');
    expect(input.entry).toBe('hello mq');
    input.handle('\x7f\x7f');
    expect(input.handle('!\r')).toBe('');
    expect(log).toEqual(['chat:hello !']);
    expect(input.entry).toBeUndefined();
    expect(input.handle('q')).toBe('q');
  });

  it('cancels the line with Esc (or Ctrl+C) without sending, and ignores arrows while typing', () => {
    const { input, log } = harness(false);
    input.handle('thi\x1b[A');
    expect(input.entry).toBe('hi');
    input.handle('\x1b');
    expect(input.entry).toBeUndefined();
    input.handle('tabc\x03');
    expect(input.entry).toBeUndefined();
    input.handle('t   \r');
    expect(log).toEqual([]);
  });

  it('toggles the turn with space where key releases are not reported', () => {
    const { input, log, written } = harness();
    input.start();
    expect(written).toEqual([KITTY_QUERY]);
    expect(input.hint()).toContain('space toggles talking');
    input.handle(' ');
    input.handle(' ');
    expect(log).toEqual(['start', 'end']);
    expect(input.holdToTalk).toBe(false);
  });

  it('holds to talk with the kitty keyboard protocol: press starts, repeats are ignored, release ends', () => {
    const { input, log, written } = harness();
    input.start();
    expect(input.handle('\x1b[?0u')).toBe('');
    expect(written).toEqual([KITTY_QUERY, KITTY_PUSH]);
    expect(input.holdToTalk).toBe(true);
    input.handle('\x1b[32;1:1u');
    input.handle('\x1b[32;1:2u\x1b[32;1:2u');
    input.handle('\x1b[32;1:3u');
    expect(log).toEqual(['start', 'end']);
    // Other keys keep working: Ctrl+C still quits, releases are dropped.
    expect(input.handle('\x1b[99;5u')).toBe('\x03');
    expect(input.handle('\x1b[109;1:3u')).toBe('');
    input.stop();
    expect(written.at(-1)).toBe(KITTY_POP);
  });

  it('leaves space alone without push-to-talk', () => {
    const { input, log } = harness(false);
    expect(input.handle(' ')).toBe(' ');
    expect(log).toEqual([]);
  });
});
