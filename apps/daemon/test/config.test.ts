import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../src/cli-args.js';
import { loadConfig, parseListen, type ConfigSources } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

const BASE_ENV = { LIVEKIT_URL: 'ws://env-host:7880', LIVEKIT_API_KEY: 'key', LIVEKIT_API_SECRET: 'secret' };

function load(argv: string[], env: Record<string, string> = BASE_ENV, file?: Record<string, unknown> | string): ReturnType<typeof loadConfig> {
  const cl = parseCommandLine(argv);
  const sources: ConfigSources = {
    flags: cl.flags,
    configPath: file === undefined ? cl.configPath : (cl.configPath ?? '/etc/altod.json'),
    env,
    homedir: '/home/op',
    hostname: 'box',
    readFile: (path) => {
      if (file === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
      if (path !== '/etc/altod.json') throw Object.assign(new Error('missing'), { code: 'ENOENT' });
      return typeof file === 'string' ? file : JSON.stringify(file);
    },
  };
  return loadConfig(sources);
}

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('applies defaults: loopback 7690, token file in ~/.config/altod, identity from the host name', () => {
    const c = load(['--room-name', 'lobby']);
    expect(c.listen).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 7690 });
    expect(c.tokenFile).toBe('/home/op/.config/altod/token');
    expect(c.identity).toBe('altod-box');
    expect(c.join).toBe(true);
    expect(c.masterVolume).toBe(1);
    expect(c.input).toBe('default');
  });

  it('gives flags precedence over env, and env over the file', () => {
    const file = { url: 'ws://file-host', room: 'file-room', identity: 'file-id', masterVolume: 0.5, input: 'tone:440', output: 'null' };
    const fromFile = load(['--config', '/etc/altod.json'], { LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: 's' }, file);
    expect(fromFile).toMatchObject({ url: 'ws://file-host', room: 'file-room', identity: 'file-id', masterVolume: 0.5, input: 'tone:440' });
    const envOverFile = load(['--config', '/etc/altod.json'], { ...BASE_ENV, ALTOD_ROOM: 'env-room', ALTOD_MASTER_VOLUME: '0.7' }, file);
    expect(envOverFile).toMatchObject({ url: 'ws://env-host:7880', room: 'env-room', identity: 'file-id', masterVolume: 0.7 });
    const flagsOverEnv = load(
      ['--config', '/etc/altod.json', '--url', 'wss://flag-host', '--room-name', 'flag-room', '--input-device', '3', '--master-volume', '2'],
      { ...BASE_ENV, ALTOD_ROOM: 'env-room' },
      file,
    );
    expect(flagsOverEnv).toMatchObject({ url: 'wss://flag-host', room: 'flag-room', input: 3, masterVolume: 2, output: 'null' });
  });

  it('lets a socket in a higher layer replace a TCP address from a lower one', () => {
    const c = load(['--socket', '/run/altod.sock', '--room-name', 'r'], { ...BASE_ENV, ALTOD_LISTEN: '127.0.0.1:9000' });
    expect(c.listen).toEqual({ kind: 'socket', path: '/run/altod.sock' });
    const d = load(['--listen', '[::1]:9001', '--room-name', 'r'], { ...BASE_ENV, ALTOD_SOCKET: '/run/x.sock' });
    expect(d.listen).toEqual({ kind: 'tcp', host: '::1', port: 9001 });
  });

  it('reads ALTOD_NO_JOIN and --no-join, which make a room optional', () => {
    expect(load(['--no-join']).join).toBe(false);
    expect(load([], { ...BASE_ENV, ALTOD_NO_JOIN: '1' }).join).toBe(false);
  });

  it('accepts a token instead of an API key and secret', () => {
    const c = load([], { LIVEKIT_URL: 'wss://x', LIVEKIT_TOKEN: 'eyJhbGciOi.x.y' });
    expect(c.token).toBe('eyJhbGciOi.x.y');
    expect(c.apiKey).toBeUndefined();
  });

  it('takes a comma-separated URL as the nodes of one cluster, in order', () => {
    const c = load(['--url', 'wss://node-a, wss://node-b:7880', '--room-name', 'r']);
    expect(c.url).toBe('wss://node-a');
    expect(c.fallbackUrls).toEqual(['wss://node-b:7880']);
    expect(load(['--room-name', 'r']).fallbackUrls).toBeUndefined();
    expect(failure(() => load(['--url', 'wss://node-a,,wss://node-b', '--room-name', 'r']))).toMatch(/separate cluster nodes with commas/);
  });

  it('takes the playback buffer and device fallback from the file, env and flags, like alto', () => {
    const file = { room: 'lobby', jitterBufferMs: 80, deviceFallback: false };
    const fromFile = load([], BASE_ENV, file);
    expect(fromFile.jitterBufferMs).toBe(80);
    expect(fromFile.deviceFallback).toBe(false);
    const fromEnv = load([], { ...BASE_ENV, ALTOD_JITTER_BUFFER_MS: '60', ALTOD_DEVICE_FALLBACK: '1' }, file);
    expect(fromEnv.jitterBufferMs).toBe(60);
    expect(fromEnv.deviceFallback).toBe(true);
    const fromFlags = load(['--jitter-buffer', '20', '--no-device-fallback'], { ...BASE_ENV, ALTOD_DEVICE_FALLBACK: '1' }, file);
    expect(fromFlags.jitterBufferMs).toBe(20);
    expect(fromFlags.deviceFallback).toBe(false);
    // Unset: the client's own defaults (40 ms, fall back).
    const unset = load(['--room-name', 'lobby']);
    expect(unset.jitterBufferMs).toBeUndefined();
    expect(unset.deviceFallback).toBeUndefined();
  });

  it('rejects a playback buffer outside 10..500 ms or not a number, in one line', () => {
    expect(failure(() => load(['--room-name', 'r', '--jitter-buffer', '5']))).toMatch(/--jitter-buffer 5 is out of range; give a value from 10 to 500/);
    expect(failure(() => load(['--room-name', 'r', '--jitter-buffer', '12.5']))).toMatch(/whole number/);
    expect(failure(() => load(['--room-name', 'r', '--jitter-buffer', 'lots']))).toMatch(/--jitter-buffer/);
    expect(failure(() => load(['--room-name', 'r'], { ...BASE_ENV, ALTOD_JITTER_BUFFER_MS: '9000' }))).toMatch(/ALTOD_JITTER_BUFFER_MS '9000' is out of range/);
    expect(failure(() => load(['--room-name', 'r'], { ...BASE_ENV, ALTOD_DEVICE_FALLBACK: 'maybe' }))).toMatch(/ALTOD_DEVICE_FALLBACK/);
    expect(failure(() => load([], BASE_ENV, { room: 'r', jitterBufferMs: '40' }))).toMatch(/jitterBufferMs/);
  });

  it('maps none to no device and digits to a device index', () => {
    const c = load(['--input-device', 'none', '--output-device', '12', '--room-name', 'r']);
    expect(c.input).toBe(false);
    expect(c.output).toBe(12);
  });

  it('rejects bad settings with one line saying what to do', () => {
    expect(failure(() => load(['--room-name', 'r'], { LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: 's' }))).toMatch(/--url or set LIVEKIT_URL/);
    expect(failure(() => load(['--url', 'ftp://x', '--room-name', 'r']))).toMatch(/ws:\/\/, wss:\/\//);
    expect(failure(() => load(['--room-name', 'r'], { LIVEKIT_URL: 'ws://x', LIVEKIT_API_KEY: 'k' }))).toMatch(/go together/);
    expect(failure(() => load(['--room-name', 'r'], { LIVEKIT_URL: 'ws://x' }))).toMatch(/no LiveKit credentials/);
    expect(failure(() => load([]))).toMatch(/--room-name .*--no-join/);
    expect(failure(() => load(['--room-name', 'r', '--master-volume', '3']))).toMatch(/--master-volume 3 is out of range; give a value from 0 to 2/);
    expect(failure(() => load(['--room-name', 'r', '--master-volume', 'loud']))).toMatch(/--master-volume 'loud' is not a number/);
    expect(failure(() => load(['--room-name', 'r', '--log-level', 'chatty']))).toMatch(/log level/);
    expect(failure(() => load(['--room-name', 'r', '--listen', 'nonsense']))).toMatch(/host:port/);
    expect(failure(() => load(['--room-name', 'r', '--listen', '127.0.0.1:70000']))).toMatch(/host:port/);
    expect(failure(() => load(['--room-name', 'r', '--listen', '1.2.3.4:1', '--socket', '/s']))).toMatch(/choose one/);
    expect(failure(() => load(['--frobnicate']))).toMatch(/--help/);
    expect(failure(() => load([], { ...BASE_ENV, ALTOD_ALLOW_REMOTE: 'maybe' }))).toMatch(/ALTOD_ALLOW_REMOTE/);
    expect(failure(() => load(['--room-name', '']))).toMatch(/empty/);
  });

  it('refuses a non-loopback address unless --allow-remote is given', () => {
    expect(failure(() => load(['--room-name', 'r', '--listen', '0.0.0.0:7690']))).toMatch(/--allow-remote/);
    expect(load(['--room-name', 'r', '--listen', '0.0.0.0:7690', '--allow-remote']).listen).toEqual({ kind: 'tcp', host: '0.0.0.0', port: 7690 });
    expect(load(['--room-name', 'r', '--listen', 'localhost:1']).listen).toMatchObject({ host: 'localhost' });
    expect(load(['--room-name', 'r', '--listen', '127.0.0.2:1']).listen).toMatchObject({ host: '127.0.0.2' });
  });

  it('validates the config file strictly', () => {
    expect(failure(() => load(['--config', '/etc/altod.json'], BASE_ENV, '{ not json'))).toMatch(/not valid JSON/);
    expect(failure(() => load(['--config', '/etc/altod.json'], BASE_ENV, '[1]'))).toMatch(/JSON object/);
    expect(failure(() => load(['--config', '/etc/altod.json'], BASE_ENV, { rooom: 'x' }))).toMatch(/unknown key "rooom"/);
    expect(failure(() => load(['--config', '/etc/altod.json'], BASE_ENV, { masterVolume: '1' }))).toMatch(/"masterVolume" must be a number/);
    expect(failure(() => load(['--config', '/elsewhere.json'], BASE_ENV, {}))).toMatch(/cannot read config file \/elsewhere.json \(ENOENT\)/);
  });

  it('parses IPv6 listen addresses', () => {
    expect(parseListen('[::1]:80')).toEqual({ host: '::1', port: 80 });
    expect(parseListen('127.0.0.1:0')).toEqual({ host: '127.0.0.1', port: 0 });
  });
});
