// Run by alloc-guard.test.ts in a child process with --expose-gc (vitest workers lack it).
// Feeds 8 streams and mixes 100k blocks, then prints the heap growth as one JSON line.
import { PerformanceObserver } from 'node:perf_hooks';
import { AudioMixer } from '../src/audio-mixer.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const streams = Number(process.argv[2] ?? 8);
const blocks = Number(process.argv[3] ?? 100_000);
const channels = Number(process.argv[4] ?? 1);
const BLOCK = 480;
const mixer = new AudioMixer({ channels });
const ids: string[] = [];
const frames: Int16Array[] = [];
for (let s = 0; s < streams; s++) {
  ids.push(`s${s}`);
  mixer.addStream(`s${s}`, { volume: 0.5 + s / 16 });
  const f = new Int16Array(BLOCK * channels);
  for (let i = 0; i < f.length; i++) f[i] = Math.round(20000 * Math.sin((i * (s + 1)) / 30));
  frames.push(f);
}
const out = new Int16Array(BLOCK * channels);
const outF = new Float32Array(BLOCK * channels);

function run(n: number): void {
  for (let b = 0; b < n; b++) {
    for (let s = 0; s < streams; s++) {
      // Every 50th block stream 0 skips a frame and every 97th stream 1 sends two: the
      // underrun/fade/rebuffer and drain paths run too, not only the steady fast path.
      if (s === 0 && b % 50 === 0) continue;
      mixer.addAudioData(ids[s]!, frames[s]!);
      if (s === 1 && b % 97 === 0) mixer.addAudioData(ids[s]!, frames[s]!);
    }
    if (b % 2 === 0) mixer.readInto(out);
    else mixer.readFloatInto(outF);
    if (b % 1000 === 0) mixer.setStreamVolume(ids[0]!, (b / 1000) % 2);
  }
}

// Warm-up: JIT tiers compile (and allocate code and feedback on the heap) during the first
// tens of thousands of blocks; measuring earlier reports the compiler, not the mixer.
run(20_000);
gc();
gc();

// 1. Transient garbage: with no gc in between, heapUsed grows by whatever a block allocates.
// A scavenge inside a window hides that, so windows with a gc are discarded (and counted: a
// per-block allocation big enough to trigger scavenges in every window fails the guard too).
let gcEntries = 0;
const observer = new PerformanceObserver((list) => (gcEntries += list.getEntries().length));
observer.observe({ entryTypes: ['gc'] });
const windowBlocks = 10_000;
let allocatedBytesPerBlock = Number.POSITIVE_INFINITY;
let windowsWithGc = 0;
let cleanWindows = 0;
// On a loaded machine background JIT work can still be allocating; keep measuring until three
// windows ran without a gc (or give up after ten, which the test reports as a failure).
for (let w = 0; w < 10 && cleanWindows < 3; w++) {
  const gcBefore = gcEntries;
  const w0 = process.memoryUsage().heapUsed;
  run(windowBlocks);
  const w1 = process.memoryUsage().heapUsed;
  await new Promise((resolve) => setTimeout(resolve, 20)); // gc entries arrive asynchronously
  if (gcEntries !== gcBefore) windowsWithGc++;
  else {
    cleanWindows++;
    allocatedBytesPerBlock = Math.min(allocatedBytesPerBlock, (w1 - w0) / windowBlocks);
  }
}
observer.disconnect();

// 2. Retained growth over the full run.
gc();
gc();
const before = process.memoryUsage().heapUsed;
run(blocks);
gc();
gc();
const after = process.memoryUsage().heapUsed;
const m = mixer.getMetrics();
process.stdout.write(
  `${JSON.stringify({
    streams,
    blocks,
    heapGrowthBytes: after - before,
    allocatedBytesPerBlock,
    windowsWithGc,
    cleanWindows,
    underruns: m.streams[0]!.underruns,
    droppedFrames: m.streams[1]!.droppedFrames,
  })}\n`,
);
