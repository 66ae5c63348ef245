import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildPaCallbackPassthrough, lastProbeStats, statsSince } from '../src/callback-layers.js';
import { CaptureFifo } from '../src/children/capture-fifo.js';

describe('probe stats', () => {
  it('reads the last stats line among PortAudio chatter and diffs two of them', () => {
    const out =
      'PortAudio V19.7.0\nOutput device name is vspeaker\nstats 0 1 2 0 100\nAudioIO: portAudio status - output underflow stats 9\nstats 1 4 2 0 200\n';
    const now = lastProbeStats(out);
    expect(now).toEqual({ underflows: 1, starved: 4, dropped: 2, overflows: 0, callbacks: 200 });
    expect(statsSince(lastProbeStats('stats 0 1 2 0 100\n'), now)).toEqual({
      underflows: 1,
      starved: 3,
      dropped: 0,
      overflows: 0,
      callbacks: 100,
    });
    expect(lastProbeStats('no stats yet\n')).toEqual({
      underflows: 0,
      starved: 0,
      dropped: 0,
      overflows: 0,
      callbacks: 0,
    });
  });
});

describe('CaptureFifo', () => {
  it('plays the oldest block, drops the oldest beyond its cap and counts silence', () => {
    const fifo = new CaptureFifo(4, 2);
    const block = (v: number): Buffer => Buffer.alloc(4, v);
    expect([...fifo.take()]).toEqual([0, 0, 0, 0]);
    expect(fifo.starved).toBe(1);
    fifo.push(block(1));
    fifo.push(block(2));
    fifo.push(block(3));
    expect(fifo.dropped).toBe(1);
    expect(fifo.take()[0]).toBe(2);
    expect(fifo.take()[0]).toBe(3);
    expect(fifo.take()[0]).toBe(0);
    expect(fifo.starved).toBe(2);
  });
});

describe('buildPaCallbackPassthrough', () => {
  it('builds the C probe against naudiodon2 PortAudio once and reuses the cached build', () => {
    const exe = buildPaCallbackPassthrough();
    const built = statSync(exe).mtimeMs;
    expect(buildPaCallbackPassthrough()).toBe(exe);
    expect(statSync(exe).mtimeMs).toBe(built);
    const usage = spawnSync(exe, [], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(
      /^usage: pa-callback-passthrough <input device> <output device> <ring depth 1\.\.8>/,
    );
  });
});
