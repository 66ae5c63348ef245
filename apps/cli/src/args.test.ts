import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCommand, parseTtl, type CliConfig, type Command, type ParseContext } from './args.js';
import { formatInputSource, formatOutputSink } from '@alto/orchestrator';
import { UsageError } from './errors.js';

let cwd = '';
const help = { session: () => 'SESSION HELP', token: () => 'TOKEN HELP' };
const KEYS = ['--url', 'ws://localhost:7880', '--api-key', 'k', '--api-secret', 's', '--room-name', 'demo', '--identity', 'alice'];

function wavHeader(): Buffer {
  const b = Buffer.alloc(44);
  b.write('RIFF', 0, 'latin1');
  b.writeUInt32LE(36, 4);
  b.write('WAVE', 8, 'latin1');
  return b;
}

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'alto-args-'));
  writeFileSync(join(cwd, 'in.wav'), wavHeader());
});

function parse(argv: string[], ctx: Partial<ParseContext> = {}): Command {
  return parseCommand(argv, { env: {}, cwd, stdoutIsTTY: false, ...ctx }, help);
}

function session(argv: string[], ctx: Partial<ParseContext> = {}): CliConfig {
  const command = parse(argv, ctx);
  if (command.kind !== 'session') throw new Error(`expected a session, got ${command.kind}`);
  return command.config;
}

describe('parseCommand', () => {
  it('builds a config with the documented defaults', () => {
    expect(session(KEYS)).toEqual({
      url: 'ws://localhost:7880',
      fallbackUrls: [],
      credentials: { kind: 'keys', apiKey: 'k', apiSecret: 's' },
      roomName: 'demo',
      identity: 'alice',
      name: undefined,
      input: { kind: 'device', device: 'default' },
      output: { kind: 'device', device: 'default' },
      sampleRate: 48000,
      channels: 1,
      playback: true,
      listenOnly: false,
      volume: 1,
      jitterBufferMs: undefined,
      deviceFallback: true,
      tui: false,
      json: false,
      eventsTo: 'stdout',
      record: undefined,
      durationSec: undefined,
      // The default devices are a real microphone and real speakers: echo cancellation on.
      voice: { echoCancellation: true, noiseSuppression: false, highPassFilter: false, autoGainControl: false },
      outputFilter: undefined,
      plugins: [],
      agents: { agent: undefined, say: undefined, transcript: undefined, pushToTalk: false, agentWaitSec: 15 },
      verbose: false,
    });
  });

  it('turns echo cancellation on by default only for a real microphone with real speakers', () => {
    const aec = (...argv: string[]): boolean => session([...KEYS, ...argv]).voice.echoCancellation;
    expect(aec('-i', '3', '-o', 'USB Headset')).toBe(true);
    expect(aec('--no-aec')).toBe(false);
    expect(aec('-i', 'tone:440')).toBe(false);
    expect(aec('-o', 'null')).toBe(false);
    expect(aec('-i', 'silence')).toBe(false);
    expect(aec('-o', 'wav:out.wav')).toBe(false);
    expect(aec('--no-playback')).toBe(false);
    expect(aec('-i', 'tone:440', '--enable-aec')).toBe(true);
  });

  it('reads the voice, output filter and plugin flags', () => {
    writeFileSync(join(cwd, 'fx.mjs'), 'export default () => ({ name: "fx", process() {} });\n');
    const config = session([
      ...KEYS, '--noise-suppression', '--high-pass-filter', '--auto-gain-control', '--use-audio-out-filter', '--plugin', './fx.mjs',
    ]);
    expect(config).toMatchObject({
      voice: { echoCancellation: true, noiseSuppression: true, highPassFilter: true, autoGainControl: true },
      outputFilter: 'radio',
      plugins: [join(cwd, 'fx.mjs')],
    });
    expect(session([...KEYS, '--plugin', '@acme/alto-denoise']).plugins).toEqual(['@acme/alto-denoise']);
  });

  it('rejects contradictory or pointless voice flags in one line', () => {
    expect(() => parse([...KEYS, '--enable-aec', '--no-aec'])).toThrow(/--enable-aec and --no-aec contradict/);
    expect(() => parse([...KEYS, '--listen-only', '--noise-suppression'])).toThrow(/--noise-suppression processes the microphone, but --listen-only/);
    expect(() => parse([...KEYS, '--plugin', './missing.mjs'])).toThrow(/--plugin \.\/missing\.mjs: no such file/);
  });

  it('reads every option, short forms and --flag=value', () => {
    const config = session([
      ...KEYS,
      '-i', 'wav:in.wav', '-o', 'null', '-s44100', '--channels=2', '--volume', '1.5', '--no-playback',
      '--record', 'out.wav', '--duration', '2.5', '--name', 'Alice A', '-v', '--no-tui',
      '--jitter-buffer', '20', '--no-device-fallback',
    ]);
    expect(config).toMatchObject({
      jitterBufferMs: 20,
      deviceFallback: false,
      input: { kind: 'wav', path: join(cwd, 'in.wav'), loop: false },
      output: { kind: 'null' },
      sampleRate: 44100,
      channels: 2,
      volume: 1.5,
      playback: false,
      record: join(cwd, 'out.wav'),
      durationSec: 2.5,
      name: 'Alice A',
      verbose: true,
      tui: false,
      json: false,
    });
  });

  it('takes a comma-separated --url as a server and its fallbacks, in order', () => {
    expect(session([...KEYS.slice(2), '--url', 'ws://node-a:7880, wss://node-b,ws://node-c:7880'])).toMatchObject({
      url: 'ws://node-a:7880',
      fallbackUrls: ['wss://node-b', 'ws://node-c:7880'],
    });
  });

  it('parses every device form', () => {
    const input = (spec: string): unknown => session([...KEYS, '-i', spec]).input;
    expect(input('3')).toEqual({ kind: 'device', device: 3 });
    expect(input('USB Mic')).toEqual({ kind: 'device', device: 'USB Mic' });
    expect(input('hw:0,0')).toEqual({ kind: 'device', device: 'hw:0,0' });
    expect(input('tone:440')).toEqual({ kind: 'tone', frequencyHz: 440 });
    expect(input('silence')).toEqual({ kind: 'silence' });
    expect(input('raw:-')).toEqual({ kind: 'raw' });
    expect(input('wav:in.wav?loop')).toEqual({ kind: 'wav', path: join(cwd, 'in.wav'), loop: true });
    const output = (spec: string): unknown => session([...KEYS, '-o', spec]).output;
    expect(output('null')).toEqual({ kind: 'null' });
    expect(output('wav:rec.wav')).toEqual({ kind: 'wav', path: join(cwd, 'rec.wav'), exclusive: false, mode: 0o600 });
    expect(output('2')).toEqual({ kind: 'device', device: 2 });
  });

  it('gives device-io and the orchestrator the string forms they parse', () => {
    const spec = (flag: string, value: string): string | number => {
      const c = session([...KEYS, flag, value]);
      return flag === '-i' ? formatInputSource(c.input) : formatOutputSink(c.output);
    };
    expect(formatInputSource({ kind: 'device', device: 'default' })).toBe('default');
    expect(spec('-i', '3')).toBe(3);
    expect(spec('-i', 'USB')).toBe('USB');
    expect(spec('-i', 'tone:440')).toBe('tone:440');
    expect(spec('-i', 'silence')).toBe('silence');
    expect(spec('-i', 'wav:in.wav?loop')).toBe(`wav:${join(cwd, 'in.wav')}?loop`);
    expect(spec('-i', 'raw:-')).toBe('raw:-');
    expect(spec('-o', 'null')).toBe('null');
    expect(spec('-o', 'wav:o.wav')).toBe(`wav:${join(cwd, 'o.wav')}`);
  });

  it('defaults the TUI to whether stdout is a terminal, and keeps it off stdout-bound raw audio', () => {
    expect(session(KEYS, { stdoutIsTTY: true }).tui).toBe(true);
    expect(session([...KEYS, '--no-tui'], { stdoutIsTTY: true }).tui).toBe(false);
    expect(session([...KEYS, '--tui'], { stdoutIsTTY: true }).tui).toBe(true);
    expect(() => session([...KEYS, '--tui'], { stdoutIsTTY: false })).toThrow(/--tui needs a terminal/);
    expect(() => session([...KEYS, '--tui'], { stdoutIsTTY: true, stdinIsTTY: false })).toThrow(UsageError);
    expect(session(KEYS, { stdoutIsTTY: true, stdinIsTTY: false }).tui).toBe(false);
    expect(session([...KEYS, '--json'], { stdoutIsTTY: true })).toMatchObject({ tui: false, json: true });
    expect(() => session([...KEYS, '--json', '--tui'], { stdoutIsTTY: true })).toThrow(/contradict/);
    const raw = session([...KEYS, '-o', 'raw:-'], { stdoutIsTTY: true });
    expect(raw.tui).toBe(false);
    expect(raw.eventsTo).toBe('stderr');
  });

  it('takes credentials with precedence flags > environment > .env', () => {
    const dir = mkdtempSync(join(tmpdir(), 'alto-env-'));
    writeFileSync(join(dir, '.env'), 'LIVEKIT_URL=ws://from-dotenv:1\nLIVEKIT_API_KEY=dotkey\nLIVEKIT_API_SECRET=dotsecret\n');
    const base = ['--room-name', 'r', '--identity', 'i'];
    expect(session(base, { cwd: dir })).toMatchObject({ url: 'ws://from-dotenv:1', credentials: { apiKey: 'dotkey', apiSecret: 'dotsecret' } });
    const env = { LIVEKIT_URL: 'wss://from-env', LIVEKIT_API_KEY: 'envkey' };
    expect(session(base, { cwd: dir, env })).toMatchObject({ url: 'wss://from-env', credentials: { apiKey: 'envkey', apiSecret: 'dotsecret' } });
    expect(session([...base, '--url', 'https://flag', '--api-secret', 'flagsecret'], { cwd: dir, env })).toMatchObject({
      url: 'https://flag',
      credentials: { apiKey: 'envkey', apiSecret: 'flagsecret' },
    });
  });

  it('reads an explicit --dotenv file instead of ./.env', () => {
    const file = join(cwd, 'alt.env');
    writeFileSync(file, 'LIVEKIT_URL="ws://alt:7880"\nLIVEKIT_TOKEN=tok\n');
    expect(session(['--dotenv', file])).toMatchObject({ url: 'ws://alt:7880', credentials: { kind: 'token', token: 'tok' } });
  });

  it('prefers a token unless keys come from a stronger source', () => {
    const env = { LIVEKIT_URL: 'ws://x', LIVEKIT_TOKEN: 'envtoken', LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: 's' };
    expect(session([], { env }).credentials).toEqual({ kind: 'token', token: 'envtoken' });
    expect(session(['--api-key', 'fk', '--api-secret', 'fs', '--room-name', 'r', '--identity', 'i'], { env }).credentials).toEqual({
      kind: 'keys',
      apiKey: 'fk',
      apiSecret: 'fs',
    });
  });

  it('does not need room or identity with a token', () => {
    expect(session(['--url', 'ws://x', '--token', 'jwt'])).toMatchObject({ roomName: undefined, identity: undefined });
  });

  it("refuses a --room-name or --identity that contradicts the token's claims", () => {
    const claims = Buffer.from(JSON.stringify({ sub: 'alice', video: { room: 'lobby', roomJoin: true } })).toString('base64url');
    const jwt = `e30.${claims}.sig`;
    expect(session(['--url', 'ws://x', '--token', jwt, '--room-name', 'lobby', '--identity', 'alice'])).toMatchObject({ roomName: 'lobby' });
    expect(() => session(['--url', 'ws://x', '--token', jwt, '--room-name', 'other'])).toThrow(/differs from the token's room 'lobby'/);
    expect(() => session(['--url', 'ws://x', '--token', jwt, '--identity', 'bob'])).toThrow(/differs from the token's identity 'alice'/);
  });

  it('answers --help, --version, --list-devices and token', () => {
    expect(parse(['--help'])).toEqual({ kind: 'help', text: 'SESSION HELP' });
    expect(parse(['token', '-h'])).toEqual({ kind: 'help', text: 'TOKEN HELP' });
    expect(parse(['--version'])).toEqual({ kind: 'version' });
    expect(parse(['-lv'])).toEqual({ kind: 'listDevices', verbose: true });
    expect(parse(['token', '--room', 'r', '--identity', 'i', '--ttl', '30m'], { env: { LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: 's' } })).toEqual({
      kind: 'token',
      verbose: false,
      request: { apiKey: 'k', apiSecret: 's', room: 'r', identity: 'i', name: undefined, ttlSec: 1800 },
    });
  });

  it('accepts names up to 128 characters, including non-ASCII', () => {
    expect(session([...KEYS.slice(0, 6), '--room-name', 'ä'.repeat(128), '--identity', 'zoë 🎧']).identity).toBe('zoë 🎧');
  });

  it('throws UsageError (never another type) on bad input', () => {
    expect(() => parse([...KEYS, '--volume', 'loud'])).toThrow(UsageError);
    expect(() => parse([...KEYS.slice(2), '--url', 'ws://a:7880,,ws://b:7880'])).toThrow(/has an empty entry/);
    expect(() => parse([...KEYS.slice(2), '--url', 'ws://a:7880,ftp://b'])).toThrow(/'ftp:\/\/b' has scheme ftp:/);
    expect(() => parse([...KEYS, '--jitter-buffer', '5'])).toThrow(/--jitter-buffer 5 is out of range; give a value from 10 to 500/);
    expect(() => parse([...KEYS, '--jitter-buffer', '25.5'])).toThrow(/not a whole number/);
    expect(() => parse([...KEYS, '--jitter-buffer', 'low'])).toThrow(/--jitter-buffer 'low' is not a number/);
    expect(() => parse([...KEYS, '-o', 'silence'])).toThrow(/silence is an input backend/);
    expect(() => parse([...KEYS, '--tui', '-o', 'raw:-'])).toThrow(/--tui cannot share stdout/);
  });
});

describe('secrets from files', () => {
  it('reads --token-file and --api-secret-file (first line, trimmed) relative to the cwd', () => {
    writeFileSync(join(cwd, 'secret'), '  s3cr3t  \nignored\n');
    const withSecret = session(['--url', 'ws://localhost:7880', '--api-key', 'k', '--api-secret-file', 'secret', '--room-name', 'demo', '--identity', 'alice']);
    expect(withSecret.credentials).toEqual({ kind: 'keys', apiKey: 'k', apiSecret: 's3cr3t' });
    writeFileSync(join(cwd, 'token'), 'a.b.c\n');
    expect(session(['--url', 'ws://localhost:7880', '--token-file', join(cwd, 'token')]).credentials).toEqual({ kind: 'token', token: 'a.b.c' });
  });

  it('refuses a missing or empty secret file, and a secret given both ways, in one line', () => {
    expect(() => parse(['--url', 'ws://x', '--token-file', 'nope'])).toThrow(/--token-file nope: cannot read it \(ENOENT\)/);
    writeFileSync(join(cwd, 'empty'), '\n');
    expect(() => parse([...KEYS.slice(0, 4), '--api-secret-file', 'empty', '--room-name', 'd', '--identity', 'a'])).toThrow(/is empty/);
    expect(() => parse([...KEYS, '--api-secret-file', 'secret'])).toThrow(/--api-secret and --api-secret-file are both given/);
  });

  it('refuses a --record name with control characters', () => {
    expect(() => parse([...KEYS, '--record', 'a\x1b[2J.wav'])).toThrow(/control or invisible/);
  });
});

describe('parseTtl', () => {
  it.each([
    ['90', 90],
    ['45s', 45],
    ['30m', 1800],
    ['6h', 21600],
    ['1.5h', 5400],
    ['2d', 172800],
  ])('%s → %d s', (text, sec) => expect(parseTtl(text)).toBe(sec));

  it.each(['0', '-5', '31d', 'soon', '5w', ''])('rejects %s', (text) => expect(() => parseTtl(text)).toThrow(UsageError));
});

describe('--e2ee-key-file', () => {
  it('takes the key file from the flag (relative to the working directory), else ALTO_E2EE_KEY_FILE, else none', () => {
    expect(session(KEYS).e2eeKeyFile).toBeUndefined();
    expect(session([...KEYS, '--e2ee-key-file', 'call.key']).e2eeKeyFile).toBe(join(cwd, 'call.key'));
    expect(session(KEYS, { env: { ALTO_E2EE_KEY_FILE: '/keys/env.key' } }).e2eeKeyFile).toBe('/keys/env.key');
    expect(session([...KEYS, '--e2ee-key-file=/keys/flag.key'], { env: { ALTO_E2EE_KEY_FILE: '/keys/env.key' } }).e2eeKeyFile).toBe('/keys/flag.key');
  });

  it('has no flag that takes the key itself (other users can read the command line)', () => {
    expect(() => parse([...KEYS, '--e2ee-key', 'secret'])).toThrow(/unknown option --e2ee-key;/);
  });
});
