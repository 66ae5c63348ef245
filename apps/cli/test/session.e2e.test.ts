import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sineInt16 } from '@alto/harness';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { eventLines, monoWav, readWavSamples, startAlto, toneWindows } from './alto-process.js';
import { TEXT_LINE, checkJsonEvent } from './plain-format.js';

const livekit = inject('livekit');
const pulse = inject('pulse');
const dir = mkdtempSync(join(tmpdir(), 'alto-cli-e2e-'));
const env = { LIVEKIT_URL: livekit.url, LIVEKIT_API_KEY: livekit.apiKey, LIVEKIT_API_SECRET: livekit.apiSecret };

afterAll(() => rmSync(dir, { recursive: true, force: true }));


describe('alto through the real server', () => {
  it('B records what A sends from a WAV: A\'s tone, for as long as the file lasts', async () => {
    const room = `cli-wav-${Date.now()}`;
    const source = join(dir, 'a.wav');
    const recording = join(dir, 'b.wav');
    writeFileSync(source, monoWav(sineInt16(523, 48_000 * 3, 48_000, 0.5)));
    const b = startAlto(['--room-name', room, '--identity', 'b', '--listen-only', '-o', 'null', '--record', recording, '--no-tui', '--duration', '12'], env);
    await b.waitForLine(/^connected$/);
    const a = startAlto(['--room-name', room, '--identity', 'a', '-i', `wav:${source}`, '--no-playback', '--no-tui', '--duration', '6'], env);
    expect(await a.exited).toBe(0);
    b.child.kill('SIGINT');
    expect(await b.exited).toBe(0);
    expect(eventLines(b.stdout)).toContain('speaking a');
    for (const line of `${a.stdout}${b.stdout}`.trimEnd().split('\n')) expect(line).toMatch(TEXT_LINE);
    const windows = toneWindows(readWavSamples(recording), 523, [261, 1046, 440]);
    const withTone = windows.filter((level) => level > 0.05).length / 10;
    expect(withTone).toBeGreaterThan(2.5);
    expect(withTone).toBeLessThan(3.6);
  }, 90_000);

  it('Ctrl+C (SIGINT to the whole process group) leaves cleanly and the recording is finished by alto itself', async () => {
    const room = `cli-ctrlc-${Date.now()}`;
    const recording = join(dir, 'ctrl-c.wav');
    const a = startAlto(['--room-name', room, '--identity', 'a', '-i', 'tone:440', '--no-playback', '--no-tui'], env);
    await a.waitForLine(/^connected$/);
    const b = startAlto(['--room-name', room, '--identity', 'b', '--listen-only', '-o', 'null', '--record', recording, '--no-tui'], env, true);
    await b.waitForLine(/^connected$/);
    // A joined first and talks steadily, so the server never updates its active speakers for B:
    // B's own mixer says who is speaking.
    await b.waitForLine(/^speaking a$/);
    await new Promise((r) => setTimeout(r, 1000));
    // What a terminal does on Ctrl+C: every process of the foreground job gets SIGINT, the audio
    // hosts too.
    process.kill(-b.child.pid!, 'SIGINT');
    expect(await b.exited).toBe(0);
    a.child.kill('SIGINT');
    await a.exited;
    for (const line of b.stdout.trimEnd().split('\n')) expect(line).toMatch(TEXT_LINE);
    expect(b.stderr).not.toMatch(/audio host exited unexpectedly/);
    expect(b.stderr).not.toMatch(/left unfinished/);
    const heard = toneWindows(readWavSamples(recording), 440, [220, 880, 660]);
    expect(heard.filter((level) => level > 0.05).length).toBeGreaterThan(3);
  }, 90_000);

  it('a late joiner prints `connected` first, then `joined` for everyone present; text and --json lines follow their documented formats', async () => {
    const room = `cli-late-${Date.now()}`;
    const a = startAlto(['--room-name', room, '--identity', 'a', '--name', 'Ann Example', '-i', 'tone:440', '--no-playback', '--no-tui'], env);
    const c = startAlto(['--room-name', room, '--identity', 'c', '--listen-only', '-o', 'null', '--json'], env);
    await a.waitForLine(/^connected$/);
    await c.waitForLine(/"event":"connected"/);
    await c.waitForLine(/"event":"joined","identity":"a","name":"Ann Example"/);
    const b = startAlto(['--room-name', room, '--identity', 'b', '--listen-only', '-o', 'null', '--no-tui', '--duration', '4'], env);
    expect(await b.exited).toBe(0);
    // (A loaded machine can miss the leave deadline; the server then drops B after its timeout.)
    await c.waitForLine(/"event":"left","identity":"b"/, 45_000);
    a.child.kill('SIGINT');
    expect(await a.exited).toBe(0);
    await c.waitForLine(/"event":"left","identity":"a"/);
    c.child.kill('SIGINT');
    expect(await c.exited).toBe(0);

    // B joined last: `connected`, then one `joined` for each person already there, names beside.
    const lines = eventLines(b.stdout);
    expect(lines[0]).toBe('connected');
    expect(lines.slice(1, 3).sort()).toEqual(['joined a (Ann Example)', 'joined c']);
    expect(lines).toContain('speaking a (Ann Example)');
    for (const line of b.stdout.trimEnd().split('\n')) expect(line).toMatch(TEXT_LINE);
    for (const line of a.stdout.trimEnd().split('\n')) expect(line).toMatch(TEXT_LINE);

    // C (--json): one object per line, every field as documented; a `left` follows its `joined`.
    const objects = c.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const o of objects) checkJsonEvent(o);
    const events = objects.map((o) => `${String(o['event'])} ${typeof o['identity'] === 'string' ? o['identity'] : ''}`.trim());
    expect(events[0]).toBe('connected');
    for (const who of ['a', 'b']) {
      expect(events.indexOf(`joined ${who}`), who).toBeGreaterThan(0);
      expect(events.indexOf(`left ${who}`), `${who} in ${events.join(', ')}`).toBeGreaterThan(events.indexOf(`joined ${who}`));
    }
  }, 120_000);

  it('lists the PulseAudio virtual devices with --list-devices', async () => {
    const run = startAlto(['--list-devices'], { ...pulse.env });
    expect(await run.exited).toBe(0);
    expect(run.stdout).toMatch(/\bvmic\b/);
    expect(run.stdout).toMatch(/\bvspeaker\b/);
    expect(run.stdout.split('\n')[0]).toMatch(/^index\s+in\s+out/);
  }, 60_000);
});
