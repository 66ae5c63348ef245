import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { audioThreadIds, threadIds } from './priority.js';

describe('audioThreadIds', () => {
  it('takes the main thread and threads started later, not the ones the process started with', async () => {
    const before = threadIds();
    expect(before).toContain(process.pid);
    const startedBefore = audioThreadIds();
    // V8's workers were there when the module loaded: they are left at normal priority.
    expect(startedBefore.length).toBeLessThan(before.length);
    // A worker thread stands for a thread a device starts (PortAudio's callback, the sound server's client).
    const worker = new Worker('setInterval(() => {}, 1000)', { eval: true });
    await new Promise((resolve) => worker.once('online', resolve));
    try {
      const added = threadIds().filter((tid) => !before.includes(tid));
      expect(added.length).toBeGreaterThan(0);
      const audio = audioThreadIds();
      expect(audio[0]).toBe(process.pid);
      for (const tid of added) expect(audio).toContain(tid);
      // Every thread that was there before and not picked then is still left alone.
      for (const tid of before) if (!startedBefore.includes(tid)) expect(audio).not.toContain(tid);
    } finally {
      await worker.terminate();
    }
  });
});
