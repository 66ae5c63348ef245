import { MicFeeder, SpeakerTap, VIRTUAL_DEVICES, concatInt16, sineInt16, strongestTone } from '@alto/harness';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { DeviceNotFoundError, listDevices, openAudioInput, openAudioOutput, type AudioInput, type AudioOutput } from '../src/index.js';
import { feedTone } from './helpers.js';

const CANDIDATES = [220, 330, 440, 550, 880, 1000, 1500];

describe('PortAudio on PulseAudio virtual devices', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    // Handlers first, the mic feeder last: a starved input must never be what we stop.
    for (const c of cleanups.reverse()) await c();
    cleanups.length = 0;
  });

  it('lists the virtual devices with their directions and a default', async () => {
    const { env } = inject('pulse');
    const devices = await listDevices({ env });
    const mic = devices.find((d) => d.name === VIRTUAL_DEVICES.microphone);
    const speaker = devices.find((d) => d.name === VIRTUAL_DEVICES.speaker);
    expect(mic?.maxInputChannels).toBeGreaterThan(0);
    expect(speaker?.maxOutputChannels).toBeGreaterThan(0);
    expect(mic?.hostApi).toMatch(/ALSA/);
    expect(devices.some((d) => d.isDefaultInput)).toBe(true);
    expect(devices.some((d) => d.isDefaultOutput)).toBe(true);
  });

  it('captures a 440 Hz tone written into the virtual mic as exact 10 ms int16 frames', async () => {
    const { env, micFifo } = inject('pulse');
    const feeder = new MicFeeder(micFifo);
    cleanups.push(() => feeder.close());
    feeder.play(sineInt16(440, 48_000 * 10));
    const frames: Int16Array[] = [];
    const input: AudioInput = openAudioInput('VMIC', { env, onFrame: (f) => frames.push(f) });
    cleanups.push(() => input.stop());
    await input.start();
    await input.start(); // idempotent
    const deadline = Date.now() + 15_000;
    while (frames.length < 150 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(frames.length).toBeGreaterThanOrEqual(150);
    for (const f of frames) {
      expect(f.length).toBe(480);
      expect(f.byteOffset).toBe(0);
      expect(f.buffer.byteLength).toBe(960);
    }
    // Skip the first frames: the pipe may still hold silence from before the tone.
    const tone = strongestTone(concatInt16(frames.slice(-100)), CANDIDATES);
    expect(tone.frequencyHz).toBe(440);
    expect(tone.marginDb).toBeGreaterThan(20);
    expect(input.metrics()).toMatchObject({ running: true, backend: 'portaudio', deviceName: 'vmic', deviceSampleRate: 48_000 });
    await input.stop();
    await input.stop(); // idempotent
    expect(input.metrics().running).toBe(false);
  });

  it('captures stereo with the tone on both channels, interleaved', async () => {
    const { env, micFifo } = inject('pulse');
    const feeder = new MicFeeder(micFifo);
    cleanups.push(() => feeder.close());
    feeder.play(sineInt16(440, 48_000 * 10));
    const frames: Int16Array[] = [];
    const input = openAudioInput(VIRTUAL_DEVICES.microphone, { env, channels: 2, onFrame: (f) => frames.push(f) });
    cleanups.push(() => input.stop());
    await input.start();
    const deadline = Date.now() + 15_000;
    while (frames.length < 120 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(frames.every((f) => f.length === 960)).toBe(true);
    const all = concatInt16(frames.slice(-100));
    const left = all.filter((_, i) => i % 2 === 0);
    const right = all.filter((_, i) => i % 2 === 1);
    expect(strongestTone(left, CANDIDATES).frequencyHz).toBe(440);
    expect(strongestTone(right, CANDIDATES).frequencyHz).toBe(440);
  });

  it('captures float32 from PortAudio and delivers int16 frames', async () => {
    const { env, micFifo } = inject('pulse');
    const feeder = new MicFeeder(micFifo);
    cleanups.push(() => feeder.close());
    feeder.play(sineInt16(440, 48_000 * 10));
    const frames: Int16Array[] = [];
    const input = openAudioInput(VIRTUAL_DEVICES.microphone, { env, sampleFormat: 'float32', onFrame: (f) => frames.push(f) });
    cleanups.push(() => input.stop());
    await input.start();
    const deadline = Date.now() + 15_000;
    while (frames.length < 120 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(frames.every((f) => f instanceof Int16Array && f.length === 480)).toBe(true);
    const last = concatInt16(frames.slice(-100));
    expect(strongestTone(last, CANDIDATES).frequencyHz).toBe(440);
    // Half-scale tone in, half-scale int16 out (no double scaling, no wrap).
    const peak = last.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(peak).toBeGreaterThan(15_000);
    expect(peak).toBeLessThan(17_500);
  });

  it('plays a 1 kHz tone fed to the output mixer on the virtual speaker', async () => {
    const { env, speakerFifo } = inject('pulse');
    const tap = await SpeakerTap.open(speakerFifo);
    cleanups.push(() => tap.close());
    const output: AudioOutput = openAudioOutput(VIRTUAL_DEVICES.speaker, { env });
    cleanups.push(() => output.stop());
    await output.start();
    output.mixer.addStream('alice', { label: 'Alice' });
    const stopFeeding = feedTone(output.mixer, 'alice', 1000);
    cleanups.push(stopFeeding);
    await new Promise((r) => setTimeout(r, 1000));
    const played = await tap.record(1000);
    const tone = strongestTone(played, CANDIDATES);
    expect(tone.frequencyHz).toBe(1000);
    expect(tone.marginDb).toBeGreaterThan(20);
    const metrics = output.metrics();
    expect(metrics.backend).toBe('portaudio');
    expect(metrics.frames).toBeGreaterThan(50);
    expect(metrics.mixer.streams.map((s) => s.label)).toEqual(['Alice']);
    expect(metrics.mixer.level.rmsDbfs).toBeGreaterThan(-20);
  });

  it('keeps the speaker fed with silence when nobody talks', async () => {
    const { env, speakerFifo } = inject('pulse');
    const tap = await SpeakerTap.open(speakerFifo);
    cleanups.push(() => tap.close());
    const output = openAudioOutput(VIRTUAL_DEVICES.speaker, { env });
    cleanups.push(() => output.stop());
    await output.start();
    const before = output.metrics().frames;
    const played = await tap.record(500);
    expect(played.length).toBe(24_000);
    expect(played.every((s) => s === 0)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(output.metrics().frames).toBeGreaterThan(before);
  });

  it('rejects an unknown device with the list of devices that exist', async () => {
    const { env } = inject('pulse');
    const input = openAudioInput('no-such-microphone', { env });
    const err = await input.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeviceNotFoundError);
    expect((err as DeviceNotFoundError).code).toBe('DEVICE_NOT_FOUND');
    expect((err as Error).message).toMatch(/no-such-microphone/);
    expect((err as Error).message).toMatch(/vmic/);
    const output = openAudioOutput(99, { env });
    const err2 = await output.start().catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(DeviceNotFoundError);
    expect((err2 as Error).message).toMatch(/vspeaker/);
  });
});
