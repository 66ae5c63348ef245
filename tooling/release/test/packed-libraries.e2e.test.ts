import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strongestTone } from '@alto/harness';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { npmInstall, runCommand } from '../src/index.js';

const { tarballs } = inject('packed');
const livekit = inject('livekit');
const root = mkdtempSync(join(tmpdir(), 'alto-consumer-'));

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A new npm project outside the workspace with one consumer script copied in as `script`. */
function consumerProject(name: string, fixture: string, script: string): string {
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `${name}-consumer`, private: true, type: 'module' }));
  copyFileSync(fileURLToPath(new URL(`consumers/${fixture}`, import.meta.url)), join(dir, script));
  return dir;
}

describe('published libraries, installed from their tarballs outside the workspace', () => {
  it('@alto/mixer-core alone: plain JavaScript mixes two streams at their volumes', async () => {
    const dir = consumerProject('mixer', 'mix-two-streams.mjs', 'mix.mjs');
    const install = await npmInstall([tarballs['@alto/mixer-core'] as string], dir);
    expect(install.code, install.output).toBe(0);

    const run = await runCommand(process.execPath, ['mix.mjs'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const { mix, streams } = JSON.parse(run.stdout) as { mix: number[]; streams: number };
    expect(streams).toBe(2);
    // Both voices are in the mix, Bob at half Alice's amplitude: a quarter of her power.
    expect(strongestTone(mix, [440, 1000, 700]).frequencyHz).toBe(440);
    const tones = strongestTone(mix, [1000, 700, 2000]);
    expect(tones.frequencyHz).toBe(1000);
    expect(tones.marginDb).toBeGreaterThan(20);
    const { marginDb } = strongestTone(mix, [440, 1000]);
    expect(marginDb).toBeGreaterThan(5);
    expect(marginDb).toBeLessThan(7);
  });

  it('@alto/livekit-net with the mixer-core tarball (the rest from the registry) joins the local server and hears a talker', async () => {
    const dir = consumerProject('net', 'two-sessions.mjs', 'call.mjs');
    const install = await npmInstall([tarballs['@alto/livekit-net'] as string, tarballs['@alto/mixer-core'] as string], dir);
    expect(install.code, install.output).toBe(0);

    const run = await runCommand(process.execPath, ['call.mjs'], {
      cwd: dir,
      timeoutMs: 60_000,
      env: { LIVEKIT_URL: livekit.url, LIVEKIT_API_KEY: livekit.apiKey, LIVEKIT_API_SECRET: livekit.apiSecret, ROOM: `packed-net-${Date.now()}` },
    });
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { joined: string[]; state: string; participants: number; received: number[] };
    expect(result.state).toBe('connected');
    expect(result.joined).toContain('talker');
    expect(result.participants).toBe(1);
    const tone = strongestTone(result.received, [440, 880, 1000, 300]);
    expect(tone.frequencyHz).toBe(440);
    expect(tone.marginDb).toBeGreaterThan(10);
  });
});
