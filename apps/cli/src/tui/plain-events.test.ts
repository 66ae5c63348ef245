import { describe, expect, it } from 'vitest';
import { PlainEventLog, eventJson, formatEvent } from './plain-events.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('plain event lines', () => {
  it('formats one line per event, with the display name beside the identity', () => {
    expect(formatEvent({ type: 'joined', identity: 'alice' })).toBe('joined alice');
    expect(formatEvent({ type: 'joined', identity: 'alice', name: 'Alice Smith' })).toBe('joined alice (Alice Smith)');
    expect(formatEvent({ type: 'joined', identity: 'alice', name: 'alice' })).toBe('joined alice');
    expect(formatEvent({ type: 'speaking', identity: 'bob', speaking: true })).toBe('speaking bob');
    expect(formatEvent({ type: 'speaking', identity: 'bob', name: 'Bob', speaking: false })).toBe('stopped-speaking bob (Bob)');
    expect(formatEvent({ type: 'left', identity: 'bob' })).toBe('left bob');
    expect(formatEvent({ type: 'connection', state: 'connected' })).toBe('connected');
    expect(formatEvent({ type: 'connection', state: 'reconnecting', attempt: 3, reason: 'unreachable' })).toBe('reconnecting attempt 3: unreachable');
    expect(formatEvent({ type: 'connection', state: 'failed', reason: 'wrong key' })).toBe('failed: wrong key');
    expect(formatEvent({ type: 'transcript', identity: 'bob', text: 'hi there', final: true })).toBe('transcript bob: hi there');
    expect(formatEvent({ type: 'transcript', identity: 'bob', text: 'hi th', final: false })).toBeUndefined();
    expect(formatEvent({ type: 'warning', text: 'no audio from the input' })).toBe('warning: no audio from the input');
    expect(formatEvent({ type: 'device', device: 'output', change: 'restored' })).toBe('device output restored');
    expect(formatEvent({ type: 'notHeard', identity: 'bob', name: 'Bob', notHeard: true })).toBe('not-heard bob (Bob)');
    expect(formatEvent({ type: 'notHeard', identity: 'bob', notHeard: false })).toBe('heard-again bob');
  });

  it('strips control characters a remote participant could inject', () => {
    expect(formatEvent({ type: 'joined', identity: 'eve\x1b[2J\nroot' })).toBe('joined eve [2J root');
  });

  it('writes lines led by an ISO timestamp and skips states that did not change', () => {
    let out = '';
    const log = new PlainEventLog({ write: (t: string) => (out += t) }, 'text', () => new Date(Date.UTC(2026, 0, 2, 10, 42, 7, 123)));
    log.write({ type: 'connection', state: 'connected' });
    log.write({ type: 'quality', quality: 'excellent' });
    log.write({ type: 'quality', quality: 'excellent' });
    log.write({ type: 'joined', identity: 'a' });
    log.write({ type: 'transcript', identity: 'a', text: 'x', final: false });
    log.write({ type: 'muted', identity: 'a', muted: true });
    log.write({ type: 'connection', state: 'connected' });
    expect(out).toBe(
      '2026-01-02T10:42:07.123Z connected\n2026-01-02T10:42:07.123Z quality excellent\n' +
        '2026-01-02T10:42:07.123Z joined a\n2026-01-02T10:42:07.123Z muted a\n',
    );
  });

  it('writes one JSON object per line with --json', () => {
    let out = '';
    const log = new PlainEventLog({ write: (t: string) => (out += t) }, 'json');
    log.write({ type: 'connection', state: 'reconnecting', attempt: 2, reason: 'unreachable' });
    log.write({ type: 'joined', identity: 'a', name: 'Ann' });
    log.write({ type: 'speaking', identity: 'a', name: 'Ann', speaking: false });
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(l['time']).toMatch(ISO);
    expect(lines.map(({ time: _, ...rest }) => rest)).toEqual([
      { event: 'reconnecting', attempt: 2, reason: 'unreachable' },
      { event: 'joined', identity: 'a', name: 'Ann' },
      { event: 'stopped-speaking', identity: 'a', name: 'Ann' },
    ]);
    expect(eventJson({ type: 'transcript', identity: 'a', text: 'partial', final: false }, 't')).toBeUndefined();
  });
});
