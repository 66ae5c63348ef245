import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openAudioOutput, type AudioOutput } from '@alto/device-io';
import { startPulseAudio, type PulseAudio } from '@alto/harness';
import { Tally } from '../src/tally.js';
import { waitFor } from '../src/index.js';

const tally = new Tally('device-faults', inject('tallyDir'));
const REOPEN_BOUND_MS = 3000;

/**
 * Real PortAudio outputs on a PulseAudio daemon this file owns: the daemon is killed and
 * restarted, and a sink is removed under a playing stream.
 */
describe('device faults', () => {
  let pulse: PulseAudio;
  const outputs: AudioOutput[] = [];

  beforeAll(async () => {
    pulse = await startPulseAudio();
  });

  afterAll(async () => {
    for (const o of outputs) await o.stop();
    await pulse?.stop();
    tally.flush((l) => process.stdout.write(l));
  });

  function open(device: string): AudioOutput {
    const out = openAudioOutput(device, { sampleRate: 48_000, channels: 1, env: pulse.env });
    outputs.push(out);
    return out;
  }

  function pactl(...args: string[]): string {
    const r = spawnSync('pactl', args, { env: { ...process.env, ...pulse.env }, encoding: 'utf8', timeout: 5000 });
    return r.stdout + r.stderr;
  }

  it('reopens the device within 3 s of PulseAudio coming back after a crash', async () => {
    const out = open('vnull');
    const errors: string[] = [];
    let reopenedAt = 0;
    out.on('error', (e: Error) => errors.push(e.message));
    out.on('reopened', () => (reopenedAt = performance.now()));
    await out.start();
    tally.add('faultsInjected');
    pulse.kill();
    expect(await waitFor(() => errors.length > 0, 10_000)).toBe(true);
    await pulse.restart();
    const backAt = performance.now();
    const reopened = await waitFor(() => reopenedAt > 0, 15_000, 20);
    const tookMs = reopenedAt - backAt;
    process.stdout.write(`device-faults: PulseAudio restart → reopened in ${Math.round(tookMs)} ms; error: ${errors[0]}\n`);
    if (reopened && tookMs <= REOPEN_BOUND_MS) tally.add('faultsRecovered');
    else tally.add('lost');
    expect(reopened).toBe(true);
    expect(tookMs).toBeLessThanOrEqual(REOPEN_BOUND_MS);
    // Audio moves again after the reopen.
    const framesAtReopen = out.metrics().frames;
    expect(await waitFor(() => out.metrics().frames > framesAtReopen + 20, 5000)).toBe(true);
    expect(out.metrics().reopens).toBe(1);
  });

  it('keeps playing when its sink vanishes (PulseAudio moves the stream: the fallback that exists)', async () => {
    const out = open('vnull');
    const errors: string[] = [];
    out.on('error', (e: Error) => errors.push(e.message));
    await out.start();
    tally.add('faultsInjected');
    // Remove the null sink 'spk' that vnull plays into, as unplugging a USB headset does.
    const modules = pactl('list', 'short', 'modules');
    const line = modules.split('\n').find((l) => l.includes('module-null-sink') && l.includes('sink_name=spk'));
    expect(line).toBeDefined();
    const framesAtRemoval = out.metrics().frames;
    pactl('unload-module', line!.split('\t')[0]!);
    // Metrics arrive ~10/s; 3 s of audio is 300 frames, so 100 means playback never stopped.
    const kept = await waitFor(() => out.metrics().frames > framesAtRemoval + 100, 6000);
    process.stdout.write(`device-faults: sink removed → frames +${out.metrics().frames - framesAtRemoval}, errors=${errors.length}\n`);
    pactl('load-module', 'module-null-sink', 'sink_name=spk', 'rate=48000', 'channels=1');
    if (kept) tally.add('faultsRecovered');
    else tally.add('lost');
    expect(kept).toBe(true);
    expect(out.metrics().running).toBe(true);
  });

  it('refuses a device that is not there with an error naming it and listing what exists', async () => {
    tally.add('badInputs');
    const out = open('usb-headset-unplugged');
    const error = await out.start().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.name).toBe('DeviceNotFoundError');
    expect(error?.message).toMatch(/usb-headset-unplugged/);
    expect(error?.message).toMatch(/vnull|vspeaker/);
    tally.add('badInputsHandled');
  });
});
