import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./resampler-alloc-guard.script.ts', import.meta.url));
const pkgDir = fileURLToPath(new URL('..', import.meta.url));

interface GuardResult {
  blocks: number;
  blocksRun: number;
  frames: number;
  heapGrowthBytes: number;
  allocatedBytesPerBlock: number;
  cleanWindows: number;
}

async function guard(
  inputRate: number,
  outputRate: number,
  channels: number,
  blocks: number,
): Promise<GuardResult> {
  const { stdout } = await run(
    process.execPath,
    [
      '--expose-gc',
      '--conditions=@alto/source',
      '--import',
      'tsx',
      script,
      String(inputRate),
      String(outputRate),
      String(channels),
      String(blocks),
    ],
    { cwd: pkgDir, timeout: 90_000 },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!) as GuardResult;
}

describe('resampler allocation guard', () => {
  it.each([
    [48_000, 44_100, 1],
    [44_100, 48_000, 2],
  ])(
    'resamples 10 ms blocks %i → %i Hz (%i ch) with no per-block garbage',
    async (from, to, channels) => {
      const blocks = 30_000;
      const r = await guard(from, to, channels, blocks);
      // It really resampled: about `to / 100` frames per block.
      expect(Math.abs(r.frames / r.blocksRun - to / 100)).toBeLessThan(1);
      // One heap number or typed-array view per block would read >= 12 bytes per block (or
      // scavenge in every window, leaving no clean one).
      expect(r.cleanWindows).toBeGreaterThan(0);
      expect(r.allocatedBytesPerBlock).toBeLessThan(1);
      expect(r.heapGrowthBytes).toBeLessThan(64 * 1024);
    },
    120_000,
  );
});
