import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mintToken } from '@alto/livekit-net';
import { Tally } from '../src/tally.js';
import { writeBadAudioFiles } from '../src/bad-files.js';
import { runApp, type RunResult } from '../src/index.js';

const tally = new Tally('bad-input', inject('tallyDir'));
const HANG_BOUND_MS = 20_000;

interface Case {
  readonly name: string;
  readonly args: (ctx: Ctx) => string[];
  /** Files that must not exist afterwards (a half-written recording). */
  readonly noFiles?: (ctx: Ctx) => string[];
  /** What the error line must mention, so the user knows what to fix. */
  readonly mentions: RegExp;
}

interface Ctx {
  readonly dir: string;
  readonly files: Record<string, string>;
  readonly url: string;
  readonly base: string[];
  /** Files holding the tokens. */
  readonly expiredToken: string;
  readonly otherRoomToken: string;
  readonly foreignToken: string;
}

/** Everything needed to join, with a harmless input and output, bounded by --duration. */
function baseArgs(url: string, apiKey: string, apiSecretFile: string): string[] {
  return ['--url', url, '--api-key', apiKey, '--api-secret-file', apiSecretFile, '--no-tui', '-o', 'null', '--duration', '2'];
}

/** Secrets go in files: on the command line they would be visible in ps (and warned about). */
const secretsDir = mkdtempSync(join(tmpdir(), 'alto-bad-input-secrets-'));
function secretFile(name: string, value: string): string {
  const path = join(secretsDir, name);
  writeFileSync(path, `${value}\n`, { mode: 0o600 });
  return path;
}

/**
 * A token that expired two minutes ago. livekit-server accepts tokens up to a minute past their
 * expiry (go-jose's default leeway), so "mint with a 1 s TTL and wait" would need a 61 s wait:
 * this is the same token, signed directly with its expiry already in the past.
 */
function expiredJwt(apiKey: string, apiSecret: string, room: string, identity: string): string {
  const now = Math.floor(Date.now() / 1000);
  const b64 = (v: object): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({
    iss: apiKey,
    sub: identity,
    nbf: now - 300,
    exp: now - 120,
    video: { room, roomJoin: true, canPublish: true, canSubscribe: true },
  })}`;
  return `${body}.${createHmac('sha256', apiSecret).update(body).digest('base64url')}`;
}

const ROOM = ['--room-name', 'bad-input', '--identity', 'tester'];
const wav = (ctx: Ctx, name: string): string[] => [...ctx.base, ...ROOM, '-i', `wav:${ctx.files[name]}`];
const SILENT = ['-i', 'silence'];

const CASES: Case[] = [
  ...['garbage.wav', 'empty.wav', 'truncated-header.wav', 'riff-only.wav', 'song.mp3.wav'].map((f) => ({
    name: `malformed WAV ${f}`,
    args: (ctx: Ctx) => wav(ctx, f),
    mentions: /wav|riff|header|format/i,
  })),
  ...['8bit.wav', 'float32.wav', '6ch.wav', 'zero-rate.wav'].map((f) => ({
    name: `unsupported WAV ${f}`,
    args: (ctx: Ctx) => wav(ctx, f),
    mentions: /wav|pcm|bit|format|channel|rate/i,
  })),
  { name: 'missing WAV file', args: (ctx) => [...ctx.base, ...ROOM, '-i', `wav:${join(ctx.dir, 'nope.wav')}`], mentions: /nope\.wav|not found|no such|exist/i },
  { name: '--sample-rate 1e12', args: (ctx) => [...ctx.base, ...SILENT, ...ROOM, '--sample-rate', '1e12'], mentions: /sample-rate/i },
  { name: '--sample-rate -48000', args: (ctx) => [...ctx.base, ...SILENT, ...ROOM, '--sample-rate', '-48000'], mentions: /sample-rate/i },
  { name: '--sample-rate NaN', args: (ctx) => [...ctx.base, ...SILENT, ...ROOM, '--sample-rate', 'NaN'], mentions: /sample-rate/i },
  { name: '--volume 1e308', args: (ctx) => [...ctx.base, ...SILENT, ...ROOM, '--volume', '1e308'], mentions: /volume/i },
  { name: '--volume Infinity', args: (ctx) => [...ctx.base, ...SILENT, ...ROOM, '--volume', 'Infinity'], mentions: /volume/i },
  { name: '--duration 1e20', args: (ctx) => [...ctx.base, ...SILENT, ...ROOM, '--duration', '1e20'], mentions: /duration/i },
  { name: '--duration -1', args: (ctx) => [...ctx.base, ...SILENT, ...ROOM, '--duration', '-1'], mentions: /duration/i },
  { name: '--channels 3', args: (ctx) => [...ctx.base, ...SILENT, ...ROOM, '--channels', '3'], mentions: /channels/i },
  { name: 'control characters in identity', args: (ctx) => [...ctx.base, ...SILENT, '--room-name', 'r', '--identity', 'evil\u0007\u001b[2Jname'], mentions: /identity/i },
  { name: 'newline in room name', args: (ctx) => [...ctx.base, ...SILENT, '--room-name', 'room\nINJECTED', '--identity', 'x'], mentions: /room/i },
  { name: 'escape sequence in display name', args: (ctx) => [...ctx.base, ...SILENT, ...ROOM, '--name', '\u001b]0;pwned\u0007'], mentions: /name/i },
  { name: 'empty identity', args: (ctx) => [...ctx.base, ...SILENT, '--room-name', 'r', '--identity', ''], mentions: /identity/i },
  { name: 'identity of 10 000 characters', args: (ctx) => [...ctx.base, ...SILENT, '--room-name', 'r', '--identity', 'x'.repeat(10_000)], mentions: /identity/i },
  { name: 'expired token', args: (ctx) => ['--url', ctx.url, '--token-file', ctx.expiredToken, '--no-tui', '-i', 'silence', '-o', 'null', '--duration', '2'], mentions: /token|expired|denied|refused|unauthori/i },
  { name: 'token signed by another secret', args: (ctx) => ['--url', ctx.url, '--token-file', ctx.foreignToken, '--no-tui', '-i', 'silence', '-o', 'null', '--duration', '2'], mentions: /token|secret|denied|refused|unauthori/i },
  { name: 'token for another room than --room-name', args: (ctx) => ['--url', ctx.url, '--token-file', ctx.otherRoomToken, '--room-name', 'this-room', '--no-tui', '-i', 'silence', '-o', 'null', '--duration', '2'], mentions: /room|token/i },
  { name: 'malformed token', args: (ctx) => ['--url', ctx.url, '--token-file', secretFile('malformed', 'not.a.jwt'), '--no-tui', '-i', 'silence', '-o', 'null', '--duration', '2'], mentions: /token/i },
  { name: 'broken .env', args: (ctx) => ['--dotenv', join(ctx.dir, 'broken.env'), '--room-name', 'r', '--identity', 'x', '--no-tui', '-i', 'silence', '-o', 'null'], mentions: /\.env|broken\.env/i },
  { name: 'missing .env', args: (ctx) => ['--dotenv', join(ctx.dir, 'absent.env'), '--room-name', 'r', '--identity', 'x', '--no-tui'], mentions: /env/i },
  { name: 'URL that is not a URL', args: (ctx) => [...ctx.base.map((a) => (a === ctx.url ? 'not a url' : a)), ...ROOM], mentions: /url/i },
  { name: 'unknown flag', args: (ctx) => [...ctx.base, ...SILENT, ...ROOM, '--frobnicate'], mentions: /frobnicate/i },
  {
    name: '--record into a server that is down',
    args: (ctx) => [...ctx.base.map((a) => (a === ctx.url ? 'ws://127.0.0.1:9' : a)), ...ROOM, '--record', join(ctx.dir, 'down.wav')],
    noFiles: (ctx) => [join(ctx.dir, 'down.wav'), join(ctx.dir, 'down.wav.partial')],
    mentions: /127\.0\.0\.1:9|reach|connect/i,
  },
  {
    name: '--record with an expired token',
    args: (ctx) => ['--url', ctx.url, '--token-file', ctx.expiredToken, '--no-tui', '-i', 'silence', '-o', 'null', '--duration', '2', '--record', join(ctx.dir, 'expired.wav')],
    noFiles: (ctx) => [join(ctx.dir, 'expired.wav'), join(ctx.dir, 'expired.wav.partial')],
    mentions: /token|expired|denied|refused|unauthori/i,
  },
  {
    name: '--record into a directory that does not exist',
    args: (ctx) => [...ctx.base, ...SILENT, ...ROOM, '--record', join(ctx.dir, 'no', 'such', 'dir', 'x.wav')],
    mentions: /record|director|x\.wav/i,
  },
];

describe('bad input to the real alto CLI', () => {
  let ctx: Ctx;

  beforeAll(async () => {
    const lk = inject('livekit');
    const dir = mkdtempSync(join(tmpdir(), 'alto-bad-input-'));
    writeFileSync(join(dir, 'broken.env'), 'LIVEKIT_URL=ws://x\nthis line is not an assignment\n');
    const expiredToken = expiredJwt(lk.apiKey, lk.apiSecret, 'bad-input', 'late');
    const otherRoomToken = await mintToken({ apiKey: lk.apiKey, apiSecret: lk.apiSecret, room: 'other-room', identity: 'elsewhere' });
    const foreignToken = await mintToken({ apiKey: lk.apiKey, apiSecret: 'another-secret-of-32-characters-or-more', room: 'bad-input', identity: 'x' });
    ctx = {
      dir,
      files: writeBadAudioFiles(dir),
      url: lk.url,
      base: baseArgs(lk.url, lk.apiKey, secretFile('api-secret', lk.apiSecret)),
      expiredToken: secretFile('expired', expiredToken),
      otherRoomToken: secretFile('other-room', otherRoomToken),
      foreignToken: secretFile('foreign', foreignToken),
    };
  });

  afterAll(() => {
    if (ctx) rmSync(ctx.dir, { recursive: true, force: true });
    rmSync(secretsDir, { recursive: true, force: true });
    tally.flush((l) => process.stdout.write(l));
  });

  it.each(CASES)('$name: one error line, no hang, no half-written file', async (c) => {
    tally.add('badInputs');
    const before = new Set(readdirSync(ctx.dir));
    const r: RunResult = await runApp('cli', c.args(ctx), { timeoutMs: HANG_BOUND_MS });
    const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
    const report = `exit=${String(r.code ?? r.signal)} ${Math.round(r.durationMs)} ms stderr=${JSON.stringify(r.stderr.slice(0, 400))} stdout=${JSON.stringify(r.stdout.slice(0, 200))}`;
    expect(r.timedOut, report).toBe(false);
    expect([1, 2], report).toContain(r.code);
    expect(lines, report).toHaveLength(1);
    expect(lines[0], report).toMatch(/^alto: /);
    expect(lines[0], report).toMatch(c.mentions);
    // The error names what was wrong without echoing raw control characters to the terminal.
    // eslint-disable-next-line no-control-regex
    expect(lines[0], report).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    // stdout carries only plain event lines (e.g. `connecting`), never the error.
    expect(r.stdout).not.toMatch(/alto:|error/i);
    for (const f of c.noFiles?.(ctx) ?? []) expect(existsSync(f), `${f} left behind`).toBe(false);
    const created = readdirSync(ctx.dir).filter((f) => !before.has(f));
    expect(created, 'files created by a failed run').toEqual([]);
    tally.add('badInputsHandled');
  });
});
