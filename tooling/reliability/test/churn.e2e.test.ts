import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { AltoClient, createDefaultComponents, shutdownNetworkRuntime } from '@alto/orchestrator';
import { Tally } from '../src/tally.js';
import { streamCount, waitFor } from '../src/index.js';

const tally = new Tally('churn', inject('tallyDir'));
const CYCLES = 200;
const BATCH = 10;
/** Batches per bot process: rtc-node grows without bound over many rooms in one process (a bot
 * process once reached its 4 GB heap limit), so bots get a fresh process every few batches. */
const BATCHES_PER_PROCESS = 4;

/** Runs a bot process; resolves with the cycles whose batches it reported complete. */
function runBots(cycles: number, room: string, prefix: string, onLine: (line: string) => void): Promise<number> {
  const lk = inject('livekit');
  const job = { ...lk, room, cycles, batch: BATCH, holdMs: 400, prefix };
  const child = spawn(
    process.execPath,
    ['--conditions=@alto/source', '--import', 'tsx', join(import.meta.dirname, '..', 'src', 'churn-bots.ts'), JSON.stringify(job)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let done = 0;
  child.stdout.setEncoding('utf8').on('data', (d: string) =>
    d.split('\n').filter(Boolean).forEach((line) => {
      const m = /^batch \d+ (\d+)/.exec(line);
      if (m) done = Number(m[1]);
      onLine(line);
    }),
  );
  return new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      if (code !== 0) process.stdout.write(`churn: bot process exited with ${String(code ?? signal)} after reporting done=${done}\n`);
      resolve(done);
    }),
  );
}

function resourceCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) counts.set(r, (counts.get(r) ?? 0) + 1);
  return counts;
}

/**
 * One listener (a real AltoClient in this process: null output, no microphone) stays in the room
 * while bot processes join and leave 200 times in batches of ten. Afterwards its mixer holds no
 * stream, its RSS has not grown with the churn and it holds no extra handles or timers.
 */
describe('churn: 200 bot join/leave cycles around one listener', () => {
  let listener: AltoClient | undefined;

  afterAll(async () => {
    await listener?.disconnect();
    await shutdownNetworkRuntime();
    tally.flush((l) => process.stdout.write(l));
  });

  it('returns the mixer to zero streams with flat RSS and no leaked handles', async () => {
    const lk = inject('livekit');
    const room = `churn-${Date.now()}`;
    listener = new AltoClient(
      { ...lk, room, identity: 'listener', input: false, output: 'null' },
      createDefaultComponents(),
    );
    const joinedIds = new Set<string>();
    let joined = 0;
    let left = 0;
    let maxStreams = 0;
    listener.on('event', (e) => {
      if (e.type === 'participantJoined') {
        joined++;
        joinedIds.add(e.identity);
      }
      if (e.type === 'participantLeft') left++;
    });
    await listener.connect();
    const sampler = setInterval(() => (maxStreams = Math.max(maxStreams, streamCount(listener!))), 100);

    // Warm-up: the first batch allocates what the SDK and the mixer keep for good.
    let botFailures = 0;
    const count = (line: string): void => {
      const failed = /failed=(\d+)/.exec(line);
      if (failed) botFailures += Number(failed[1]);
    };
    expect(await runBots(BATCH, room, 'warmup', count)).toBe(BATCH);
    expect(await waitFor(() => streamCount(listener!) === 0 && listener!.participants().length === 0, 15_000)).toBe(true);
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const resourcesBefore = resourceCounts();

    const started = performance.now();
    let cyclesDone = BATCH;
    let botCrashes = 0;
    for (let p = 0; cyclesDone < CYCLES; p++) {
      const n = Math.min(BATCH * BATCHES_PER_PROCESS, CYCLES - cyclesDone);
      const got = await runBots(n, room, `churn${p}`, count);
      cyclesDone += got;
      // rtc-node 1.1.0 sometimes dies natively in a bot process (heap corruption, runaway heap)
      // after many rooms: the cycles it finished still count, a fresh process does the rest.
      if (got < n) botCrashes++;
      if (botCrashes > 5) break;
    }
    expect(cyclesDone).toBe(CYCLES);
    const churnMs = performance.now() - started;
    tally.add('churnCycles', CYCLES);

    const emptied = await waitFor(() => streamCount(listener!) === 0 && listener!.participants().length === 0, 15_000);
    clearInterval(sampler);
    global.gc?.();
    await new Promise((r) => setTimeout(r, 500));
    const rssAfter = process.memoryUsage().rss;
    const resourcesAfter = resourceCounts();
    const growthMb = (rssAfter - rssBefore) / 2 ** 20;
    process.stdout.write(
      `churn: ${CYCLES} cycles in ${Math.round(churnMs / 1000)} s, joined=${joined} left=${left} maxStreams=${maxStreams} ` +
        `distinctJoined=${joinedIds.size} botCrashes=${botCrashes} botFailures=${botFailures} rss ${(rssBefore / 2 ** 20).toFixed(0)} → ${(rssAfter / 2 ** 20).toFixed(0)} MB ` +
        `resources before=${JSON.stringify([...resourcesBefore])} after=${JSON.stringify([...resourcesAfter])}\n`,
    );

    expect(botFailures).toBe(0);
    expect(emptied).toBe(true);
    // Bots talk only once the listener subscribed, so it sees (almost) every one; every join it
    // reports has its leave.
    expect(left).toBe(joined);
    expect(joined).toBeGreaterThan(CYCLES / 2);
    // The listener really mixed the bots (up to a batch at a time, plus the batch of a crashed
    // bot process, whose bots stay in the room until the server times them out), then let every
    // stream go.
    expect(maxStreams).toBeGreaterThan(0);
    expect(maxStreams).toBeLessThanOrEqual(BATCH * (1 + botCrashes));
    expect(listener.state).toBe('connected');
    // 190 cycles worth of streams would be hundreds of MB if anything per-stream were kept.
    expect(growthMb).toBeLessThan(40);
    for (const [kind, n] of resourcesAfter) {
      expect({ kind, n }).toEqual({ kind, n: Math.min(n, resourcesBefore.get(kind) ?? 0) });
    }
  }, 360_000);
});
