import { describe, expect, it } from 'vitest';
import { ConnectionStatusTracker, type ConnectionStatus } from './connection-status.js';

describe('ConnectionStatusTracker', () => {
  it('counts rejoin attempts, keeps the last reason, and starts the clock at each phase', () => {
    let t = 1000;
    const seen: ConnectionStatus[] = [];
    const tracker = new ConnectionStatusTracker('ws://server', (s) => seen.push(s), () => t);
    tracker.connecting();
    t = 2000;
    tracker.connected();
    t = 5000;
    tracker.reconnecting();
    tracker.attemptStarted();
    expect(tracker.status).toMatchObject({ phase: 'reconnecting', attempt: 1, sinceMs: 5000, url: 'ws://server' });
    tracker.attemptFailed({ reason: 'unreachable', message: 'refused' });
    tracker.attemptStarted();
    tracker.attemptFailed({ reason: 'unreachable', message: 'refused' });
    tracker.attemptStarted();
    expect(tracker.status).toMatchObject({ phase: 'reconnecting', attempt: 3, sinceMs: 5000, failure: { reason: 'unreachable' } });
    tracker.attemptFailed({ reason: 'wrong key', message: 'bad' });
    t = 9000;
    tracker.failed(undefined);
    expect(tracker.status).toMatchObject({ phase: 'failed', sinceMs: 9000, failure: { reason: 'wrong key' } });
    expect(seen[0]?.phase).toBe('connecting');
    expect(seen.at(-1)?.phase).toBe('failed');
  });

  it('starts a fresh count after coming back', () => {
    const tracker = new ConnectionStatusTracker('ws://s', () => {});
    tracker.connected();
    tracker.attemptStarted();
    tracker.attemptStarted();
    tracker.connected();
    tracker.attemptStarted();
    expect(tracker.status).toMatchObject({ phase: 'reconnecting', attempt: 1 });
    expect(tracker.status.failure).toBeUndefined();
  });
});
