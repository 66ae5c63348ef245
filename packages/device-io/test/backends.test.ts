import { concatInt16, sineInt16, strongestTone } from '@alto/harness';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { WavFormatError, encodeWav, openAudioInput, openAudioOutput, parseWav } from '../src/index.js';
import { feedTone, waitFor } from './helpers.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'device-io-backends-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
/** This process's audio hosts. */
const hostPids = (): number[] =>
  spawnSync('pgrep', ['-P', String(process.pid), '-f', 'host/main'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number);
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

async function capture(spec: string, ms: number, options: Parameters<typeof openAudioInput>[1] = {}): Promise<{ frames: Int16Array[]; elapsedMs: number }> {
  const frames: Int16Array[] = [];
  const input = openAudioInput(spec, { ...options, onFrame: (f) => frames.push(f) });
  await input.start();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const elapsedMs = performance.now() - t0;
  await input.stop();
  return { frames, elapsedMs };
}

describe('backends without a sound card', () => {
  it('tone:<hz> produces that tone in exact frames, no faster than real time', async () => {
    const { frames, elapsedMs } = await capture('tone:440', 1000);
    expect(frames.length).toBeGreaterThan(20);
    // Paced like a microphone: a bot must not flood the room.
    expect(frames.length).toBeLessThan(elapsedMs / 10 + 40);
    expect(frames.every((f) => f.length === 480 && f.byteOffset === 0)).toBe(true);
    expect(strongestTone(concatInt16(frames), [220, 440, 880]).frequencyHz).toBe(440);
  });

  it('silence produces zeros, stereo when asked', async () => {
    const { frames } = await capture('silence', 500, { channels: 2 });
    expect(frames.length).toBeGreaterThan(10);
    expect(frames.every((f) => f.length === 960 && f.every((s) => s === 0))).toBe(true);
  });

  it('wav: resamples a 44.1 kHz stereo file to 48 kHz mono and ends in silence unless looped', async () => {
    const frames441 = 44_100 / 5; // 200 ms
    const mono = sineInt16(440, frames441, 44_100);
    const stereo = new Int16Array(frames441 * 2);
    for (let i = 0; i < frames441; i++) stereo[2 * i] = stereo[2 * i + 1] = mono[i]!;
    const path = join(dir, 'voice.wav');
    writeFileSync(path, encodeWav({ sampleRate: 44_100, channels: 2, samples: stereo }));

    const once = await capture(`wav:${path}`, 800);
    expect(strongestTone(concatInt16(once.frames.slice(0, 15)), [220, 440, 880]).frequencyHz).toBe(440);
    expect(once.frames.slice(25).every((f) => f.every((s) => s === 0))).toBe(true);

    const looped = await capture(`wav:${path}?loop`, 800);
    expect(looped.frames.length).toBeGreaterThan(40);
    const late = concatInt16(looped.frames.slice(30, 40));
    expect(strongestTone(late, [220, 440, 880]).frequencyHz).toBe(440);
  });

  it('wav: rejects a file that is not WAV with a clear error', async () => {
    const path = join(dir, 'notes.wav');
    writeFileSync(path, 'this is text');
    const err = await openAudioInput(`wav:${path}`).start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WavFormatError);
    expect((err as Error).message).toMatch(/not a WAV file/);
  });

  it('null output keeps pulling blocks from the mixer at real-time pace', async () => {
    const output = openAudioOutput('null');
    await output.start();
    output.mixer.addStream('a');
    const stop = feedTone(output.mixer, 'a', 1000);
    await waitFor(() => output.metrics().frames > 30 && output.metrics().mixer.streams[0]?.framesOut !== 0, 10_000, 'null output frames');
    stop();
    expect(output.metrics().mixer.level.peakDbfs).toBeGreaterThan(-30);
    await output.stop();
  });

  it('wav output writes a valid WAV of the mix, finalised on stop', async () => {
    const path = join(dir, 'out.wav');
    const output = openAudioOutput(`wav:${path}`, { channels: 2 });
    await output.start();
    output.mixer.addStream('a');
    const frame = 480;
    let sent = 0;
    const t0 = performance.now();
    const timer = setInterval(() => {
      const due = Math.floor((performance.now() - t0) / 10) + 4;
      for (; sent < due; sent++) {
        const m = sineInt16(1000, frame, 48_000, 0.5, sent * frame);
        const st = new Int16Array(frame * 2);
        for (let i = 0; i < frame; i++) st[2 * i] = st[2 * i + 1] = m[i]!;
        output.mixer.addAudioData('a', st);
      }
    }, 5);
    await new Promise((r) => setTimeout(r, 1000));
    clearInterval(timer);
    await output.stop();
    const wav = parseWav(readFileSync(path), path);
    expect(wav.sampleRate).toBe(48_000);
    expect(wav.channels).toBe(2);
    expect(wav.samples.length).toBeGreaterThan(48_000 * 2 * 0.5);
    const left = wav.samples.filter((_, i) => i % 2 === 0);
    expect(strongestTone(left, [440, 1000]).frequencyHz).toBe(1000);
  });

  it('a wav recording keeps the length of the call when its audio host is frozen for a while', async () => {
    const path = join(dir, 'stalled.wav');
    const before = new Set(hostPids());
    const output = openAudioOutput(`wav:${path}`);
    await output.start();
    const t0 = performance.now();
    const host = hostPids().find((pid) => !before.has(pid));
    expect(host).toBeDefined();
    await new Promise((r) => setTimeout(r, 300));
    // What a loaded machine does to the host: no CPU for 1.5 s.
    process.kill(host!, 'SIGSTOP');
    await new Promise((r) => setTimeout(r, 1500));
    process.kill(host!, 'SIGCONT');
    await new Promise((r) => setTimeout(r, 500));
    const wallMs = performance.now() - t0;
    await output.stop();
    const recordedMs = parseWav(readFileSync(path), path).samples.length / 48;
    // Skipping the stalled blocks would leave ~1.5 s fewer than the wall clock.
    expect(recordedMs).toBeGreaterThan(wallMs - 400);
    expect(recordedMs).toBeLessThan(wallMs + 100);
  });

  it('raw:- output writes s16le of the mix on stdout and nothing else', async () => {
    const { stdout } = await run(process.execPath, ['--conditions=@alto/source', '--import', tsx, fixture('raw-out.ts')], {
      encoding: 'buffer',
      timeout: 30_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(stdout.length % 2).toBe(0);
    const pcm = new Int16Array(stdout.length / 2);
    Buffer.from(pcm.buffer).set(stdout);
    expect(pcm.length).toBeGreaterThan(48_000 * 0.5);
    expect(strongestTone(pcm.subarray(pcm.length / 4), [440, 1000]).frequencyHz).toBe(1000);
  });

  it('raw:- input reads s16le from stdin as paced frames', async () => {
    const child = spawn(process.execPath, ['--conditions=@alto/source', '--import', tsx, fixture('raw-in.ts')], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const tone = sineInt16(440, 48_000 * 3);
    child.stdin.end(Buffer.from(tone.buffer));
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise((resolve) => child.on('exit', resolve));
    expect(out).toBe('440 true\n');
  });
});
