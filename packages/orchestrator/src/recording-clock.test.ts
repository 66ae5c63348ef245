import { afterEach, describe, expect, it, vi } from 'vitest';
import { RecordingClock } from './recording-clock.js';

describe('RecordingClock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps the earliest start estimate, so stale block counts do not shift the timeline', () => {
    vi.useFakeTimers();
    let now = 5000;
    let blocks = 0;
    const clock = new RecordingClock();
    clock.start(() => now, () => blocks, 20);
    expect(clock.startMs).toBe(5000);
    // The recorder really started at 4870: fresh counts say so; stale ones say later.
    for (const [t, b] of [[5100, 13], [5200, 20], [5300, 43], [5400, 45]] as const) {
      now = t;
      blocks = b;
      vi.advanceTimersByTime(20);
    }
    expect(clock.startMs).toBe(4870);
    clock.stop();
    now = 9000;
    vi.advanceTimersByTime(100);
    expect(clock.startMs).toBe(4870);
  });
});
