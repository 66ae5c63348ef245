import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { SpscRing } from '../src/spsc-ring.js';

describe('SpscRing across threads', () => {
  it('delivers every frame in order from a worker producer to a main-thread consumer', async () => {
    const totalFrames = 200_000;
    const ring = SpscRing.create({ capacityFrames: 1024, channels: 2, format: 'int16' });
    const worker = new Worker(new URL('./ring-worker.mjs', import.meta.url), {
      workerData: { buffer: ring.buffer, totalFrames, chunkFrames: 100 },
    });
    let failure: unknown;
    worker.on('error', (err) => (failure = err));
    const done = new Promise<{ done: boolean }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });

    const dst = new Int16Array(256 * 2);
    let expected = 0;
    let mismatches = 0;
    const deadline = Date.now() + 60_000;
    while (expected < totalFrames && failure === undefined && Date.now() < deadline) {
      const avail = Math.min(ring.availableRead(), 256);
      if (avail === 0) {
        // Yield to the event loop so the worker's messages and errors are delivered.
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      const n = ring.read(dst, avail);
      for (let f = 0; f < n; f++) {
        const v = (expected + f) % 32768;
        if (dst[f * 2] !== v || dst[f * 2 + 1] !== -v) mismatches++;
      }
      expected += n;
    }
    expect(failure).toBeUndefined();
    expect(await done).toEqual(expect.objectContaining({ done: true }));
    await worker.terminate();
    expect(expected).toBe(totalFrames);
    expect(mismatches).toBe(0);
    expect(ring.overruns).toBe(0);
    expect(ring.underruns).toBe(0);
  });
});
