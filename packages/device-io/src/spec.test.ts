import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidDeviceSpecError } from './errors.js';
import { resolveDevice } from './host/naudiodon.js';
import type { AudioDevice } from './protocol.js';
import { parseInputSpec, parseOutputSpec } from './spec.js';

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
