import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidDeviceSpecError } from './errors.js';
import { resolveDevice } from './host/naudiodon.js';
import type { AudioDevice } from './protocol.js';
import { formatInputSource, formatOutputSink, inputSpecSchema, outputSpecSchema, parseInputSpec, parseOutputSpec } from './spec.js';

const dev = (index: number, name: string, inCh: number, outCh: number, def = false): AudioDevice => ({
  index,
  name,
  hostApi: 'ALSA',
  maxInputChannels: inCh,
  maxOutputChannels: outCh,
  defaultSampleRate: 44_100,
  isDefaultInput: def && inCh > 0,
  isDefaultOutput: def && outCh > 0,
});
const devices = [dev(0, 'USB Headset Mic', 1, 0), dev(1, 'HDMI Output', 0, 2), dev(2, 'default', 32, 32, true), dev(3, 'usb', 2, 2)];

describe('device specs', () => {
  it('parses backends, indexes and names', () => {
    expect(parseInputSpec('tone:440')).toEqual({ kind: 'tone', frequencyHz: 440 });
    expect(parseInputSpec('silence')).toEqual({ kind: 'silence' });
    expect(parseInputSpec('wav:a.wav?loop')).toEqual({ kind: 'wav', path: resolve('a.wav'), loop: true });
    expect(parseInputSpec('wav:a.wav', true)).toEqual({ kind: 'wav', path: resolve('a.wav'), loop: true });
    expect(parseInputSpec('raw:-')).toEqual({ kind: 'raw' });
    expect(parseInputSpec(3)).toEqual({ kind: 'device', device: 3 });
    expect(parseInputSpec('3')).toEqual({ kind: 'device', device: 3 });
    expect(parseInputSpec('Default')).toEqual({ kind: 'device', device: 'default' });
    expect(parseInputSpec('headset')).toEqual({ kind: 'device', device: 'headset' });
    expect(parseOutputSpec('null')).toEqual({ kind: 'null' });
    expect(parseOutputSpec('wav:out.wav')).toEqual({ kind: 'wav', path: resolve('out.wav'), exclusive: false, mode: 0o600 });
    expect(parseOutputSpec('wav:/r/a.wav?exclusive&mode=640')).toEqual({ kind: 'wav', path: '/r/a.wav', exclusive: true, mode: 0o640 });
    // Only known options are options: anything else after '?' is part of the name.
    expect(parseOutputSpec('wav:/r/a?b.wav')).toEqual({ kind: 'wav', path: '/r/a?b.wav', exclusive: false, mode: 0o600 });
    expect(parseOutputSpec('raw:-')).toEqual({ kind: 'raw' });
  });

  it('rejects specs that do not fit the direction or make no sense', () => {
    expect(() => parseInputSpec('null')).toThrow(InvalidDeviceSpecError);
    expect(() => parseOutputSpec('tone:440')).toThrow(/is an input/);
    expect(() => parseInputSpec('tone:abc')).toThrow(/tone frequency/);
    expect(() => parseOutputSpec('wav:/tmp/a\x1b[2J.wav')).toThrow(/control or invisible/);
    expect(() => parseInputSpec('wav:/tmp/a\u202eb.wav')).toThrow(/control or invisible/);
    // ALSA names such as 'sysdefault:CARD=PCH' contain colons: unknown prefixes are device names.
    expect(parseInputSpec('sysdefault:CARD=PCH')).toEqual({ kind: 'device', device: 'sysdefault:CARD=PCH' });
    expect(() => parseInputSpec(-1)).toThrow(InvalidDeviceSpecError);
  });

  it('reads relative paths from a given directory, bounds tones by the rate, and names the source in messages', () => {
    expect(parseInputSpec('wav:a.wav', false, { cwd: '/srv' })).toEqual({ kind: 'wav', path: '/srv/a.wav', loop: false });
    expect(() => parseInputSpec('tone:9000', false, { sampleRate: 16_000, label: '-i' })).toThrow(/^-i tone:9000 is not a frequency; give Hz between 1 and 7999/);
    expect(() => parseOutputSpec('raw:/tmp/x.pcm', { label: '-o' })).toThrow(/^-o raw:\/tmp\/x\.pcm is not supported; use -o raw:- for stdout/);
    expect(() => parseInputSpec('mp3:song.mp3')).toThrow(/unknown backend 'mp3'; use wav:, tone:, raw:, silence or null/);
    expect(() => parseInputSpec('null', false, { label: '-i' })).toThrow(/null is an output backend; for a silent microphone use -i silence/);
  });

  it('formats a parsed spec back to text the parser reads the same, and offers both as zod schemas', () => {
    for (const spec of ['tone:440', 'silence', 'raw:-', 'wav:/r/a.wav?loop', 'headset', 3]) {
      expect(parseInputSpec(formatInputSource(parseInputSpec(spec)))).toEqual(parseInputSpec(spec));
    }
    for (const spec of ['null', 'raw:-', 'wav:/r/a.wav?exclusive&mode=640', 'wav:/r/b.wav', 'default', 2]) {
      expect(parseOutputSpec(formatOutputSink(parseOutputSpec(spec)))).toEqual(parseOutputSpec(spec));
    }
    expect(inputSpecSchema().safeParse('tone:440').data).toEqual({ kind: 'tone', frequencyHz: 440 });
    expect(outputSpecSchema({ label: '-o' }).safeParse('tone:440').error?.issues[0]?.message).toMatch(/^tone: is an input backend/);
  });

  it('selects devices by index, exact name, then case-insensitive substring, per direction', () => {
    expect(resolveDevice(devices, 'usb', 'input')?.index).toBe(3);
    expect(resolveDevice(devices, 'HEADSET', 'input')?.index).toBe(0);
    expect(resolveDevice(devices, 'hdmi', 'input')).toBeUndefined();
    expect(resolveDevice(devices, 'hdmi', 'output')?.index).toBe(1);
    expect(resolveDevice(devices, 0, 'output')).toBeUndefined();
    expect(resolveDevice(devices, 7, 'input')).toBeUndefined();
    expect(resolveDevice(devices, 'default', 'input')?.index).toBe(2);
  });
});
