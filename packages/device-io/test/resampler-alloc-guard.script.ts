// Run by resampler-alloc-guard.test.ts in a child process with --expose-gc (vitest workers lack it).
// Resamples 10 ms blocks through SincResampler.processInto, then prints heap figures as one JSON line.
import { PerformanceObserver } from 'node:perf_hooks';
import { SincResampler } from '../src/sinc-resampler.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const inputRate = Number(process.argv[2] ?? 48_000);
const outputRate = Number(process.argv[3] ?? 44_100);
const channels = Number(process.argv[4] ?? 1);
const blocks = Number(process.argv[5] ?? 50_000);
const resampler = new SincResampler(inputRate, outputRate, channels);
const blockFrames = inputRate / 100;
const input = new Int16Array(blockFrames * channels);
for (let i = 0; i < input.length; i++) input[i] = Math.round(20_000 * Math.sin(i / 9));
const output = new Int16Array(resampler.maxOutputFrames(blockFrames) * channels);
let frames = 0;
let blocksRun = 0;

function run(n: number): void {
  for (let b = 0; b < n; b++) frames += resampler.processInto(input, output);
  blocksRun += n;
}

// Warm-up: let the JIT tiers compile before measuring (they allocate code and feedback).
run(10_000);
gc();
gc();

// 1. Transient garbage: with no gc in between, heapUsed grows by whatever a block allocates.
// Windows with a scavenge are discarded (and counted: per-block garbage scavenges in every one).
let gcEntries = 0;
const observer = new PerformanceObserver((list) => (gcEntries += list.getEntries().length));
observer.observe({ entryTypes: ['gc'] });
const windowBlocks = 5000;
let allocatedBytesPerBlock = Number.POSITIVE_INFINITY;
let windowsWithGc = 0;
let cleanWindows = 0;
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
process.stdout.write(
  `${JSON.stringify({ blocks, blocksRun, frames, heapGrowthBytes: after - before, allocatedBytesPerBlock, windowsWithGc, cleanWindows })}\n`,
);
