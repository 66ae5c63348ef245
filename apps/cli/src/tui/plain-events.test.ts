import { describe, expect, it } from 'vitest';
import { PlainEventLog, formatEvent } from './plain-events.js';

describe('plain event lines', () => {
  it('formats one line per event', () => {
    expect(formatEvent({ type: 'joined', identity: 'alice' })).toBe('joined alice');
    expect(formatEvent({ type: 'speaking', identity: 'bob', speaking: true })).toBe('speaking bob');
    expect(formatEvent({ type: 'speaking', identity: 'bob', speaking: false })).toBe('stopped-speaking bob');
    expect(formatEvent({ type: 'left', identity: 'bob' })).toBe('left bob');
    expect(formatEvent({ type: 'connection', state: 'reconnecting' })).toBe('reconnecting');
    expect(formatEvent({ type: 'transcript', identity: 'bob', text: 'hi there', final: true })).toBe('transcript bob: hi there');
    expect(formatEvent({ type: 'transcript', identity: 'bob', text: 'hi th', final: false })).toBeUndefined();
  });

  it('strips control characters a remote participant could inject', () => {
    expect(formatEvent({ type: 'joined', identity: 'eve\x1b[2J\nroot' })).toBe('joined eve [2J root');
  });

  it('writes newline-terminated lines', () => {
    let out = '';
    const log = new PlainEventLog({ write: (t: string) => (out += t) });
    log.write({ type: 'joined', identity: 'a' });
    log.write({ type: 'transcript', identity: 'a', text: 'x', final: false });
    log.write({ type: 'muted', identity: 'a', muted: true });
    expect(out).toBe('joined a\nmuted a\n');
  });
});
