// Producer side of the cross-thread SpscRing test. Loads the real SpscRing (TypeScript source)
// through tsx's programmatic API, since worker threads do not inherit vitest's transform.
import { parentPort, workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { SpscRing } = await tsImport('../src/spsc-ring.ts', import.meta.url);
const ring = new SpscRing(workerData.buffer);
const { totalFrames, chunkFrames } = workerData;
const chunk = new Int16Array(chunkFrames * ring.channels);
const sleeper = new Int32Array(new SharedArrayBuffer(4));
let next = 0;
let spins = 0;
while (next < totalFrames) {
  const frames = Math.min(chunkFrames, totalFrames - next, ring.availableWrite());
  if (frames === 0) {
    // Ring full: back off briefly instead of overrunning (the test checks nothing is lost).
    Atomics.wait(sleeper, 0, 0, 1);
    spins++;
    continue;
  }
  for (let f = 0; f < frames; f++) {
    const v = (next + f) % 32768;
    for (let c = 0; c < ring.channels; c++) chunk[f * ring.channels + c] = c === 0 ? v : -v;
  }
  const written = ring.write(chunk, frames);
  if (written !== frames) throw new Error(`wrote ${written} of ${frames}`);
  next += frames;
}
parentPort.postMessage({ done: true, spins });
