// Benchmark: nanoseconds per 10 ms block (one 480-frame frame added per stream + one block
// mixed) for mixer-core's AudioMixer, a seed-style baseline, and @livekit/rtc-node's AudioMixer.
// Run: pnpm --filter @alto/mixer-core bench   (node --expose-gc ... bench/mixer.bench.ts)
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AudioFrame, AudioMixer as LkMixer } from '@livekit/rtc-node';
import { AudioMixer } from '../src/audio-mixer.js';
import { SeedMixer } from './seed-mixer.js';

const SR = 48000;
const BLOCK = 480;
const SIZES = [1, 8, 32, 128];
const BUDGET_MS = 1200; // per implementation and size
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

function frames(n: number): Int16Array[] {
  const out: Int16Array[] = [];
  for (let s = 0; s < n; s++) {
    const f = new Int16Array(BLOCK);
    const freq = 200 + 37 * s;
    for (let i = 0; i < BLOCK; i++)
      f[i] = Math.round(3277 * Math.sin((2 * Math.PI * freq * i) / SR));
    out.push(f);
  }
  return out;
}

/**
 * Runs `block` in batches until the budget is spent; returns ns per block of the timed part.
 * `nsPerBlock` is process CPU time (user + system): on a shared, loaded machine wall time mostly
 * measures the scheduler. Wall time is kept alongside.
 */
function timeBlocks(block: () => void, budgetMs = BUDGET_MS): Timing {
  for (let i = 0; i < 2000; i++) block(); // warm-up
  let blocks = 0;
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const limit = BigInt(budgetMs) * 1_000_000n;
  let elapsed = 0n;
  while (elapsed < limit) {
    for (let i = 0; i < 200; i++) block();
    blocks += 200;
    elapsed = process.hrtime.bigint() - t0;
  }
  return { nsPerBlock: cpuNs(c0) / blocks, wallNsPerBlock: Number(elapsed) / blocks, blocks };
}

interface Timing {
  nsPerBlock: number;
  wallNsPerBlock: number;
  blocks: number;
}

function cpuNs(since: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(since);
  return (c.user + c.system) * 1000;
}

function benchCore(
  n: number,
): Timing & { bytesPerBlock: number; retainedBytesPerBlock: number; limitedFraction: number } {
  const input = frames(n);
  const m = new AudioMixer({ sampleRate: SR });
  const ids = input.map((_, i) => `p${i}`);
  for (const id of ids) m.addStream(id);
  const out = new Int16Array(BLOCK);
  const block = (): void => {
    for (let s = 0; s < n; s++) m.addAudioData(ids[s]!, input[s]!);
    m.readInto(out);
  };
  const t = timeBlocks(block);
  // Allocation: heap delta across 10k blocks without gc in between (transient garbage shows),
  // and with gc before and after (retained growth).
  gc();
  const a0 = process.memoryUsage().heapUsed;
  for (let i = 0; i < 10_000; i++) block();
  const a1 = process.memoryUsage().heapUsed;
  gc();
  const a2 = process.memoryUsage().heapUsed;
  return {
    ...t,
    bytesPerBlock: Math.max(0, (a1 - a0) / 10_000),
    retainedBytesPerBlock: (a2 - a0) / 10_000,
    limitedFraction: m.getMetrics().limitedSamples / m.getMetrics().framesOut,
  };
}

function benchSeed(n: number): Timing {
  const input = frames(n);
  const m = new SeedMixer();
  const ids = input.map((_, i) => `p${i}`);
  for (const id of ids) m.addStream(id);
  return timeBlocks(() => {
    for (let s = 0; s < n; s++) m.addAudioData(ids[s]!, input[s]!);
    m.getAudioData(BLOCK);
  });
}

/**
 * @livekit/rtc-node's AudioMixer pulls from async iterables and pushes mixed frames to an async
 * queue, so it cannot be timed per synchronous call. We give it `n` in-memory streams that each
 * yield a prebuilt 10 ms AudioFrame as fast as it asks, consume its output with `for await`, and
 * divide wall time by 10 ms frames produced: the sustained throughput of its whole pipeline
 * (iterator promises, per-block concat/subarray, Int32 mix, frame creation), with no real-time
 * pacing and no network.
 */
async function benchLivekit(n: number): Promise<Timing> {
  const input = frames(n).map((f) => new AudioFrame(f, SR, 1, BLOCK));
  const run = async (target: number): Promise<{ ns: number; cpu: number; produced: number }> => {
    const mixer = new LkMixer(SR, 1, { blocksize: BLOCK, streamTimeoutMs: 1000, capacity: 100 });
    for (let s = 0; s < n; s++) {
      const frame = input[s]!;
      let left = target + 200; // outlive the consumer; the mixer is closed before they end
      mixer.addStream({
        [Symbol.asyncIterator]: () => ({
          next: () =>
            Promise.resolve(
              left-- > 0
                ? { done: false as const, value: frame }
                : { done: true as const, value: undefined },
            ),
        }),
      });
    }
    let produced = 0;
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for await (const _frame of mixer) {
      if (++produced >= target) break;
    }
    const ns = Number(process.hrtime.bigint() - t0);
    const cpu = cpuNs(c0);
    await mixer.aclose();
    return { ns, cpu, produced };
  };
  await run(200); // warm-up
  // Size the timed run from a probe so every stream count takes about the budget.
  const probe = await run(200);
  const target = Math.max(200, Math.round((BUDGET_MS * 1e6) / (probe.ns / probe.produced)));
  const r = await run(target);
  return { nsPerBlock: r.cpu / r.produced, wallNsPerBlock: r.ns / r.produced, blocks: r.produced };
}

function workspaceRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('pnpm-workspace.yaml not found above the bench');
    dir = up;
  }
  return dir;
}

interface Row {
  streams: number;
  coreNs: number;
  coreBytesPerBlock: number;
  coreRetainedBytesPerBlock: number;
  coreLimitedFraction: number;
  seedNs: number;
  livekitNs: number;
  wallNs: { core: number; seed: number; livekit: number };
  seedOverCore: number;
  livekitOverCore: number;
}

const rows: Row[] = [];
for (const n of SIZES) {
  const core = benchCore(n);
  gc();
  const seed = benchSeed(n);
  gc();
  const lk = await benchLivekit(n);
  gc();
  rows.push({
    streams: n,
    coreNs: core.nsPerBlock,
    coreBytesPerBlock: core.bytesPerBlock,
    coreRetainedBytesPerBlock: core.retainedBytesPerBlock,
    coreLimitedFraction: core.limitedFraction,
    seedNs: seed.nsPerBlock,
    livekitNs: lk.nsPerBlock,
    wallNs: { core: core.wallNsPerBlock, seed: seed.wallNsPerBlock, livekit: lk.wallNsPerBlock },
    seedOverCore: seed.nsPerBlock / core.nsPerBlock,
    livekitOverCore: lk.nsPerBlock / core.nsPerBlock,
  });
}

const us = (ns: number): string => (ns / 1000).toFixed(2).padStart(9);
const lines = [
  'CPU µs per 10 ms block (add one 480-frame frame per stream + mix one block), mono 48 kHz, -20 dBFS sines',
  'streams | mixer-core µs | B/block | seed-style µs | rtc-node µs | seed/core | rtc-node/core',
  ...rows.map(
    (r) =>
      `${String(r.streams).padStart(7)} | ${us(r.coreNs)}     | ${r.coreBytesPerBlock.toFixed(2).padStart(7)} | ${us(r.seedNs)}     | ${us(r.livekitNs)}   | ${r.seedOverCore.toFixed(1).padStart(8)}x | ${r.livekitOverCore.toFixed(1).padStart(12)}x`,
  ),
];
process.stdout.write(`${lines.join('\n')}\n`);

const outDir = join(workspaceRoot(), 'bench', 'results');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, 'mixer.json');
writeFileSync(
  file,
  `${JSON.stringify(
    {
      bench: 'mixer-core',
      date: new Date().toISOString(),
      node: process.version,
      blockFrames: BLOCK,
      sampleRate: SR,
      unit: 'CPU ns (user+system) per 10 ms block; wallNs alongside',
      implementations: {
        core: '@alto/mixer-core AudioMixer: addAudioData per stream + readInto',
        seed: 'seed-style: concatenate on add, average what all streams have on read',
        livekit:
          '@livekit/rtc-node AudioMixer: async-iterator pipeline throughput, wall time / 10 ms frames produced',
      },
      rows,
    },
    null,
    2,
  )}\n`,
);
process.stdout.write(`wrote ${file}\n`);
// @livekit/rtc-node keeps the process alive once loaded (DESIGN.md §5).
process.exit(0);
