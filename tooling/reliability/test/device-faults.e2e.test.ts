import { spawnSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { openAudioInput, openAudioOutput, type AudioInput, type AudioOutput, type AudioOutputOptions } from '@alto/device-io';
import { MicFeeder, concatInt16, sineInt16, startPulseAudio, strongestTone, type PulseAudio } from '@alto/harness';
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
  const inputs: AudioInput[] = [];
  const feeders: MicFeeder[] = [];

  beforeAll(async () => {
    pulse = await startPulseAudio();
  });

  afterEach(async () => {
    for (const o of outputs.splice(0)) await o.stop();
    for (const i of inputs.splice(0)) await i.stop();
    for (const f of feeders.splice(0)) f.close();
  });

  afterAll(async () => {
    await pulse?.stop();
    tally.flush((l) => process.stdout.write(l));
  });

  function open(device: string, options: AudioOutputOptions = {}): AudioOutput {
    const out = openAudioOutput(device, { sampleRate: 48_000, channels: 1, env: pulse.env, ...options });
    outputs.push(out);
    return out;
  }

  function pactl(...args: string[]): string {
    const r = spawnSync('pactl', args, { env: { ...process.env, ...pulse.env }, encoding: 'utf8', timeout: 5000 });
    return r.stdout + r.stderr;
  }

  /** Records a handler's error/fallback/restored events in order. */
  function fallbackEvents(handler: AudioInput | AudioOutput): string[] {
    const events: string[] = [];
    handler.on('error', () => events.push('error'));
    handler.on('fallback', () => events.push('fallback'));
    handler.on('restored', () => events.push('restored'));
    return events;
  }

  /** Tallies a fallback round trip, then asserts each of its steps (named when one fails). */
  function expectRoundTrip(events: string[], steps: Record<string, boolean>): void {
    const ok = Object.values(steps).every(Boolean) && events.includes('fallback') && events.at(-1) === 'restored';
    tally.add(ok ? 'faultsRecovered' : 'lost');
    for (const [step, passed] of Object.entries(steps)) expect(passed, step).toBe(true);
    expect(events).toContain('fallback');
    expect(events.at(-1)).toBe('restored');
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

  /** The audio host processes this test process forked. */
  function audioHostPids(): number[] {
    const r = spawnSync('pgrep', ['-P', String(process.pid), '-f', 'host/main'], { encoding: 'utf8' });
    return r.stdout.split('\n').filter(Boolean).map(Number);
  }

  function sinkModule(name: string): string {
    const modules = pactl('list', 'short', 'modules');
    const line = modules.split('\n').find((l) => l.includes('module-null-sink') && l.includes(`sink_name=${name} `));
    expect(line, `a null sink named ${name}`).toBeDefined();
    return line!.split('\t')[0]!;
  }

  it('keeps playing when its sink vanishes (PulseAudio moves the stream, or alto falls back to the default)', async () => {
    const out = open('vnull', { fallbackDevice: 'default' });
    const errors: string[] = [];
    out.on('error', (e: Error) => errors.push(e.message));
    await out.start();
    tally.add('faultsInjected');
    // Remove the null sink 'spk' that vnull plays into, as unplugging a USB headset does.
    const framesAtRemoval = out.metrics().frames;
    pactl('unload-module', sinkModule('spk'));
    // Metrics arrive ~10/s: 100 more frames is seconds of audio after the sink went away.
    const kept = await waitFor(() => out.metrics().running && out.metrics().frames > framesAtRemoval + 100, 9000);
    const m = out.metrics();
    process.stdout.write(
      `device-faults: sink removed → frames +${m.frames - framesAtRemoval}, errors=${errors.length}, onFallback=${m.onFallback}\n`,
    );
    pactl('load-module', 'module-null-sink', 'sink_name=spk', 'rate=48000', 'channels=1');
    if (kept) tally.add('faultsRecovered');
    else tally.add('lost');
    expect(kept).toBe(true);
  });

  it('plays through the default device while its own is gone, and goes back when it returns', async () => {
    const out = open('vnull', { fallbackDevice: 'default', fallbackProbeMs: 500 });
    const events = fallbackEvents(out);
    await out.start();
    tally.add('faultsInjected');
    pactl('unload-module', sinkModule('spk'));
    // The audio host dies too, so the reopen meets a device that is gone and only alto's own
    // fallback can keep the audio going.
    const hosts = audioHostPids();
    expect(hosts).toHaveLength(1);
    process.kill(hosts[0]!, 'SIGKILL');
    const fellBack = await waitFor(() => out.metrics().onFallback && out.metrics().running, 10_000);
    const framesOnFallback = out.metrics().frames;
    const playsOnFallback = await waitFor(() => out.metrics().frames > framesOnFallback + 20, 5000);
    pactl('load-module', 'module-null-sink', 'sink_name=spk', 'rate=48000', 'channels=1');
    const back = await waitFor(() => !out.metrics().onFallback, 6000);
    const framesBack = out.metrics().frames;
    const playsBack = await waitFor(() => out.metrics().frames > framesBack + 20, 5000);
    const onSpk = pactl('list', 'sink-inputs').includes('Sink: ' + pactl('list', 'short', 'sinks').split('\n').find((l) => /\tspk\t/.test(l))?.split('\t')[0]);
    process.stdout.write(`device-faults: stream killed → ${events.join(', ')}; back on spk=${onSpk}\n`);
    expectRoundTrip(events, { fellBack, playsOnFallback, back, playsBack });
    expect(onSpk).toBe(true);
  });

  it('captures from the default source while its microphone is gone, and goes back to it when it returns', async () => {
    const feed = (hz: number): void => {
      const feeder = new MicFeeder(pulse.micFifo);
      feeder.play(sineInt16(hz, 48_000 * 60));
      feeders.push(feeder);
    };
    feed(440);
    const frames: Int16Array[] = [];
    const input = openAudioInput('vmic', {
      sampleRate: 48_000,
      channels: 1,
      env: pulse.env,
      fallbackDevice: 'default',
      fallbackProbeMs: 500,
      onFrame: (f) => frames.push(f),
    });
    inputs.push(input);
    const events = fallbackEvents(input);
    await input.start();
    expect(await waitFor(() => frames.length > 50, 10_000)).toBe(true);
    expect(strongestTone(concatInt16(frames.slice(-30)), [440, 880]).frequencyHz).toBe(440);
    tally.add('faultsInjected');
    // Unplug the microphone: the pipe source 'mic' that vmic records from goes away, and the
    // capture host dies with it, so only alto's fallback keeps frames coming.
    const moduleLine = pactl('list', 'short', 'modules').split('\n').find((l) => l.includes('module-pipe-source') && l.includes('source_name=mic '));
    expect(moduleLine, 'the pipe source of vmic').toBeDefined();
    const [moduleId, , moduleArgs] = moduleLine!.split('\t');
    for (const f of feeders.splice(0)) f.close();
    pactl('unload-module', moduleId!);
    const hosts = audioHostPids();
    expect(hosts).toHaveLength(1);
    process.kill(hosts[0]!, 'SIGKILL');
    const fellBack = await waitFor(() => input.metrics().onFallback && input.metrics().running, 10_000);
    const framesOnFallback = frames.length;
    const capturesOnFallback = await waitFor(() => frames.length > framesOnFallback + 20, 5000);
    // Plug it back in (same module, same FIFO) and talk into it at another pitch.
    pactl('load-module', 'module-pipe-source', ...moduleArgs!.trim().split(/\s+/));
    feed(880);
    const back = await waitFor(() => !input.metrics().onFallback && input.metrics().running, 8000);
    const framesBack = frames.length;
    const capturesBack = await waitFor(() => frames.length > framesBack + 60, 5000);
    const heardBack = capturesBack ? strongestTone(concatInt16(frames.slice(-40)), [440, 880]).frequencyHz : 0;
    process.stdout.write(`device-faults: microphone unplugged → ${events.join(', ')}; back on vmic hearing ${heardBack} Hz\n`);
    expectRoundTrip(events, { fellBack, capturesOnFallback, back, heardTheMicAgain: heardBack === 880 });
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
