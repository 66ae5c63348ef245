import { MicFeeder, concatInt16, sineInt16, startPulseAudio, strongestTone, type PulseAudio } from '@alto/harness';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DeviceIoError, openAudioInput, openAudioOutput } from '../src/index.js';
import { once, waitFor } from './helpers.js';

const run = promisify(execFile);
const CANDIDATES = [220, 440, 880, 1000];

describe('device lifecycle with a PulseAudio of our own', () => {
  let pa: PulseAudio;
  let feeder: MicFeeder | undefined;
  beforeAll(async () => {
    pa = await startPulseAudio();
  });
  afterAll(async () => {
    feeder?.close();
    await pa.stop();
  });

  it('reports an error when PulseAudio dies, stops in time, and reopens after it restarts', async () => {
    feeder = new MicFeeder(pa.micFifo);
    feeder.play(sineInt16(440, 48_000 * 30));
    const frames: Int16Array[] = [];
    const input = openAudioInput('vmic', { env: pa.env, onFrame: (f) => frames.push(f) });
    const errors: unknown[] = [];
    input.on('error', (e) => errors.push(e));
    await input.start();
    await waitFor(() => frames.length > 50, 10_000, 'first frames');

    pa.kill();
    feeder.close();
    await waitFor(() => errors.length > 0, 15_000, 'the error event');
    expect(errors[0]).toBeInstanceOf(DeviceIoError);

    // While the sound server is dead the handler keeps trying; stop must still be quick.
    const t0 = performance.now();
    await input.stop();
    const stopMs = performance.now() - t0;
    expect(stopMs).toBeLessThan(3000);

    await pa.restart();
    feeder = new MicFeeder(pa.micFifo);
    feeder.play(sineInt16(880, 48_000 * 60));
    frames.length = 0;
    await input.start();
    await waitFor(() => frames.length > 100, 15_000, 'frames after restart');
    expect(strongestTone(concatInt16(frames.slice(-60)), CANDIDATES).frequencyHz).toBe(880);

    // And the automatic path: kill, restart, and the handler reopens by itself.
    const reopened = once(input, 'reopened', 30_000);
    pa.kill();
    feeder.close();
    await waitFor(() => errors.length > 1, 15_000, 'the second error event');
    await pa.restart();
    feeder = new MicFeeder(pa.micFifo);
    feeder.play(sineInt16(440, 48_000 * 60));
    await reopened;
    frames.length = 0;
    await waitFor(() => frames.length > 100, 15_000, 'frames after the automatic reopen');
    expect(strongestTone(concatInt16(frames.slice(-60)), CANDIDATES).frequencyHz).toBe(440);
    expect(input.metrics().reopens).toBe(1);
    await input.stop();
  });

  it('reopens the output after PulseAudio restarts and keeps its mixer streams', async () => {
    const output = openAudioOutput('vnull', { env: pa.env });
    const errors: unknown[] = [];
    output.on('error', (e) => errors.push(e));
    await output.start();
    output.mixer.addStream('bob', { volume: 0.5 });
    await waitFor(() => output.metrics().frames > 20, 10_000, 'output frames');
    const reopened = once(output, 'reopened', 30_000);
    pa.kill();
    await waitFor(() => errors.length > 0, 15_000, 'the output error event');
    await pa.restart();
    await reopened;
    await waitFor(() => output.metrics().mixer.streams.some((s) => s.id === 'bob' && s.volume === 0.5), 5000, 'replayed stream');
    const t0 = performance.now();
    await output.stop();
    expect(performance.now() - t0).toBeLessThan(3000);
  });
});

describe('stdout of the parent', () => {
  it('carries only what the app printed, never PortAudio chatter', async () => {
    const { env } = inject('pulse');
    const script = fileURLToPath(new URL('./fixtures/print-only.ts', import.meta.url));
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const { stdout } = await run(process.execPath, ['--conditions=@alto/source', '--import', tsx, script], {
      env: { ...process.env, ...env },
      timeout: 30_000,
    });
    expect(stdout).toBe('devices true\nframes true\n');
  });
});
