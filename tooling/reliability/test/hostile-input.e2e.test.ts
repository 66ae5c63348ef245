import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freeTcpPort, repoRoot } from '@alto/harness';
import { parseWav } from '@alto/device-io';
import { Tally } from '../src/tally.js';
import {
  asNobody,
  checksumTree,
  descendantsOf,
  joinHostilePeer,
  killTree,
  randomText,
  rssMb,
  runApp,
  spawnApp,
  spawnAsNobody,
  startToneClient,
  waitFor,
  type Captured,
  type HostilePeer,
} from '../src/index.js';
import type { Ear } from '../src/tone-clients.js';
import type { AltoClient } from '@alto/orchestrator';

const tally = new Tally('hostile-input', inject('tallyDir'));
const lk = inject('livekit');
const API_TOKEN = 'hostile-suite-api-token-0123456789abcdefghij';
const SECRET_MARK = lk.apiSecret;
/** A participant identity and name as an attacker would choose them: OSC title, clear screen, C1 CSI, bidi override. */
const HOSTILE_IDENTITY = 'mallory\x1b]0;pwned\x07\x1b[2J\u009b31m\u202eevil';
const HOSTILE_NAME = '\x1b]0;pwned\x07\x1b[2J evil';
/** Raw bytes that must never reach a terminal: C0 but LF, DEL, C1, bidi overrides and isolates. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const FLOOD_BYTES = 16 * 1024 * 1024;

let base = '';
let victimDir = '';
let recDir = '';
let victimSums: Record<string, string> = {};
let daemon: Captured;
let cli: Captured;
let api = '';
let peer: HostilePeer;
let witness: { client: AltoClient; ear: Ear };
const room = `hostile-${process.pid}-${Date.now()}`;

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string; json: unknown }> {
  const res = await fetch(api + path, {
    method,
    headers: { authorization: `Bearer ${API_TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(5000),
  });
  const text = await res.text();
  return { status: res.status, text, json: safeJson(text) };
}

/** GET /v1/status with a chosen Host header (fetch does not let a caller set Host). */
function withHost(host: string): Promise<{ status: number; code: string | undefined; text: string }> {
  const url = new URL(api);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: '/v1/status', headers: { host, authorization: `Bearer ${API_TOKEN}` } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, code: codeOf({ json: safeJson(text) }), text }));
    });
    req.on('error', reject);
    req.end();
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const codeOf = (r: { json: unknown }): string | undefined => (r.json as { error?: { code?: string } } | undefined)?.error?.code;

function expectVictimUnchanged(): void {
  expect(checksumTree(victimDir)).toEqual(victimSums);
}

/** One attack: counted as a bad input, and as handled once its assertions passed. */
async function attack(run: () => Promise<void>): Promise<void> {
  tally.add('badInputs');
  await run();
  expectVictimUnchanged();
  tally.add('badInputsHandled');
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'alto-hostile-'));
  chmodSync(base, 0o755);
  victimDir = join(base, 'victim');
  mkdirSync(victimDir);
  writeFileSync(join(victimDir, 'passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  writeFileSync(join(victimDir, 'important.wav'), 'not to be overwritten\n');
  writeFileSync(join(victimDir, 'settings.json'), '{"keep": true}\n');
  // A shared world-writable directory (like /tmp) as the recordings directory: the hardest case.
  recDir = join(base, 'shared');
  mkdirSync(recDir);
  chmodSync(recDir, 0o1777);
  victimSums = checksumTree(victimDir);
  const secretFile = join(base, 'api-secret');
  writeFileSync(secretFile, `${lk.apiSecret}\n`, { mode: 0o600 });

  const port = await freeTcpPort();
  api = `http://127.0.0.1:${port}`;
  daemon = spawnApp(
    'daemon',
    ['--url', lk.url, '--room-name', room, '--identity', 'altod-victim', '--input-device', 'tone:660', '--output-device', 'null', '--listen', `127.0.0.1:${port}`, '--recordings-dir', recDir, '--token-file', join(base, 'api-token')],
    { env: { ...process.env, LIVEKIT_API_KEY: lk.apiKey, LIVEKIT_API_SECRET: lk.apiSecret, ALTOD_API_TOKEN: API_TOKEN } },
  );
  cli = spawnApp('cli', ['--url', lk.url, '--api-key', lk.apiKey, '--api-secret-file', secretFile, '--room-name', room, '--identity', 'alto-victim', '-i', 'tone:880', '-o', 'null', '--no-tui', '--duration', '600']);
  const connected = await waitFor(async () => (await call('GET', '/v1/status').catch(() => ({ text: '' }))).text.includes('"connected"'), 30_000, 250);
  expect(connected, daemon.stderr.slice(-2000)).toBe(true);
  witness = await startToneClient(lk, room, 'witness', 440);
  peer = await joinHostilePeer(lk, room, HOSTILE_IDENTITY, HOSTILE_NAME);
  expect(await waitFor(() => cli.stdout.includes('joined mallory'), 20_000), cli.stdout + cli.stderr).toBe(true);
  expect(await waitFor(() => witness.ear.hears('altod-victim', 660), 20_000), 'witness hears altod').toBe(true);
});

afterAll(async () => {
  await peer?.leave();
  await witness?.client.disconnect().catch(() => {});
  for (const p of [daemon, cli]) {
    if (!p) continue;
    p.child.kill('SIGTERM');
    await Promise.race([p.exited, new Promise((r) => setTimeout(r, 3000))]);
    killTree(p.pid);
  }
  rmSync(base, { recursive: true, force: true });
  tally.flush((l) => process.stdout.write(l));
});

describe('hostile input: API clients, local users and room peers', () => {
  it('API: wav: outputs, recordings, wav: inputs and raw:- outside the policy are refused without revealing what exists', () =>
    attack(async () => {
      for (const output of [`wav:${victimDir}/passwd`, 'wav:../victim/passwd', 'wav:/any/file']) {
        const r = await call('PUT', '/v1/devices', { output });
        expect([r.status, codeOf(r)], r.text).toEqual([400, 'invalid_path']);
      }
      for (const path of [`${victimDir}/important.wav`, '../victim/important.wav']) {
        const r = await call('POST', '/v1/recording', { path });
        expect([r.status, codeOf(r)], r.text).toEqual([400, 'invalid_path']);
      }
      // The same answer whether the file exists or not: no oracle for the attacker.
      const existing = await call('PUT', '/v1/devices', { input: 'wav:/etc/passwd' });
      const missing = await call('PUT', '/v1/devices', { input: 'wav:/etc/no-such-file.wav' });
      expect(existing.status).toBe(403);
      expect(missing.text).toBe(existing.text);
      for (const body of [{ input: 'raw:-' }, { output: 'raw:-' }]) expect((await call('PUT', '/v1/devices', body)).status).toBe(403);
      // No PCM on the daemon's stdout (a second of it would be 96 KB of binary).
      expect(daemon.stdout.length).toBeLessThan(16 * 1024);
      expect(daemon.stdout).not.toContain('\u0000');
      expect((await call('GET', '/v1/status')).json).toMatchObject({ state: 'connected', input: 'tone:660', output: 'null' });
      // Inside the directory: created new and private; replaced only when asked.
      expect((await call('POST', '/v1/recording', { path: 'ok.wav' })).status).toBe(200);
      expect((await call('DELETE', '/v1/recording')).status).toBe(200);
      const ok = join(recDir, 'ok.wav');
      expect(statSync(ok).mode & 0o777).toBe(0o600);
      expect(parseWav(readFileSync(ok)).sampleRate).toBe(48_000);
      const again = await call('POST', '/v1/recording', { path: 'ok.wav' });
      expect([again.status, codeOf(again)]).toEqual([409, 'file_exists']);
      expect((await call('POST', '/v1/recording', { path: 'ok.wav', overwrite: true })).status).toBe(200);
      expect((await call('DELETE', '/v1/recording')).status).toBe(200);
    }));

  it('local user: symlinks planted in a shared recordings directory are never followed; recordings are 0600', () =>
    attack(async () => {
      expect(asNobody(['ln', '-s', join(victimDir, 'passwd'), join(recDir, 'meeting.wav.partial')]).code).toBe(0);
      expect(asNobody(['ln', '-s', join(victimDir, 'important.wav'), join(recDir, 'planted.wav')]).code).toBe(0);
      expect(asNobody(['mkdir', join(recDir, 'folder.wav')]).code).toBe(0);
      expect((await call('POST', '/v1/recording', { path: 'meeting.wav' })).status).toBe(200);
      expect((await call('DELETE', '/v1/recording')).status).toBe(200);
      const meeting = lstatSync(join(recDir, 'meeting.wav'));
      expect([meeting.isFile(), meeting.uid, meeting.mode & 0o777]).toEqual([true, 0, 0o600]);
      expect(asNobody(['cat', join(recDir, 'meeting.wav')]).code).not.toBe(0);
      for (const body of [{ path: 'planted.wav' }, { path: 'planted.wav', overwrite: true }, { path: 'folder.wav' }]) {
        const r = await call('POST', '/v1/recording', body);
        expect([r.status, codeOf(r)], r.text).toEqual([400, 'invalid_path']);
      }
      expect((await call('DELETE', '/v1/recording')).status).toBe(200);
      // A second user re-planting the temporary name in a loop while recordings start and stop.
      const planter = spawnAsNobody(['sh', '-c', `while :; do ln -s ${join(victimDir, 'settings.json')} ${join(recDir, 'race.wav.partial')} 2>/dev/null; done`]);
      try {
        for (let i = 0; i < 5; i++) {
          const start = await call('POST', '/v1/recording', { path: 'race.wav', overwrite: true });
          expect([200, 400], start.text).toContain(start.status);
          expect((await call('DELETE', '/v1/recording')).status).toBe(200);
        }
      } finally {
        planter.kill('SIGKILL');
      }
      // The CLI, run by a user for themselves, never follows the planted temporary name either.
      expect(asNobody(['ln', '-s', join(victimDir, 'passwd'), join(recDir, 'mine.wav.partial')]).code).toBe(0);
      const run = await runApp('cli', ['--url', lk.url, '--room-name', room, '--identity', 'recorder', '-i', 'silence', '-o', 'null', '--no-tui', '--duration', '1', '--record', join(recDir, 'mine.wav')], {
        env: { ...process.env, LIVEKIT_API_KEY: lk.apiKey, LIVEKIT_API_SECRET: lk.apiSecret },
        timeoutMs: 30_000,
      });
      expect(run.code, run.stderr).toBe(0);
      expect(lstatSync(join(recDir, 'mine.wav')).isFile()).toBe(true);
    }));

  it('room peer: 16 MiB text streams (declared and undeclared size) cost no responsiveness, audio keeps flowing, memory returns', () =>
    attack(async () => {
      const baseline = { daemon: rssMb(daemon.pid), cli: rssMb(cli.pid) };
      const counters = async (): Promise<{ sent: number; received: number }> => {
        const text = (await call('GET', '/metrics')).text;
        const read = (name: string): number => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
        return { sent: read('altod_network_frames_sent_total'), received: read('altod_network_frames_received_total') };
      };
      let healthFailures = 0;
      let stalledIntervals = 0;
      let intervals = 0;
      let flooding = true;
      const startedAt = performance.now();
      const flood = Promise.all([peer.sendText(randomText(FLOOD_BYTES)), peer.streamText(FLOOD_BYTES)]).finally(() => {
        flooding = false;
      });
      const first = await counters();
      let last = first;
      // /healthz answers within 2 s and the daemon's microphone keeps reaching the room, every
      // half second while the flood lasts and for ten seconds after it.
      const probe = async (): Promise<void> => {
        const health = await fetch(`${api}/healthz`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
        if (health?.status !== 200) healthFailures++;
        const now = await counters();
        intervals++;
        if (now.sent <= last.sent) stalledIntervals++;
        last = now;
      };
      while (flooding) {
        await new Promise((r) => setTimeout(r, 500));
        await probe();
      }
      await flood;
      const floodMs = Math.round(performance.now() - startedAt);
      const duringFlood = last;
      const settleUntil = Date.now() + 10_000;
      while (Date.now() < settleUntil) {
        await new Promise((r) => setTimeout(r, 500));
        await probe();
      }
      // V8 hands freed pages back to the OS in its own time: memory has returned once both
      // processes are back within 50 MB of where they started, which a leak never is.
      const returned = (rss: { daemon: number; cli: number }): boolean => rss.daemon < baseline.daemon + 50 && rss.cli < baseline.cli + 50;
      let after = { daemon: rssMb(daemon.pid), cli: rssMb(cli.pid) };
      const returnUntil = Date.now() + 20_000;
      while (!returned(after) && Date.now() < returnUntil) {
        await new Promise((r) => setTimeout(r, 500));
        after = { daemon: rssMb(daemon.pid), cli: rssMb(cli.pid) };
      }
      const report = `flood ${floodMs} ms; RSS MB baseline ${JSON.stringify(baseline)} 10-30 s after ${JSON.stringify(after)}; ${intervals} probes, ${stalledIntervals} without new frames, ${healthFailures} health failures`;
      process.stdout.write(`hostile flood: ${report}\n`);
      expect(healthFailures, report).toBe(0);
      expect(stalledIntervals, report).toBe(0);
      expect(duringFlood.received, report).toBeGreaterThan(first.received);
      expect(last.received, report).toBeGreaterThan(duringFlood.received);
      expect(witness.ear.hears('altod-victim', 660), 'the witness still hears the daemon').toBe(true);
      expect(after.daemon, report).toBeLessThan(baseline.daemon + 50);
      expect(after.cli, report).toBeLessThan(baseline.cli + 50);
      const drops = daemon.stderr.split('\n').filter((l) => l.includes('dropped a text stream from a participant'));
      expect(drops.some((l) => l.includes('too_large')), daemon.stderr.slice(-1500)).toBe(true);
      const dropped = Number(/^altod_text_streams_dropped_total (\d+)/m.exec((await call('GET', '/metrics')).text)?.[1] ?? 0);
      expect(dropped).toBeGreaterThanOrEqual(2);
      // A normal transcript after the flood still gets through.
      await peer.sendText('hello after the flood');
      expect(await waitFor(() => cli.stdout.includes('hello after the flood'), 10_000), cli.stdout.slice(-500)).toBe(true);
    }));

  it('room peer: control characters in an identity, name and transcript reach no terminal, metric or JSON raw', () =>
    attack(async () => {
      const events = fetch(`${api}/v1/events`, { headers: { authorization: `Bearer ${API_TOKEN}` }, signal: AbortSignal.timeout(3000) })
        .then(async (res) => {
          let text = '';
          try {
            for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) text += Buffer.from(chunk).toString('utf8');
          } catch {
            // the timeout ends the stream
          }
          return text;
        })
        .catch(() => '');
      await new Promise((r) => setTimeout(r, 500));
      await peer.sendText('\x1b]0;pwned\x07\x1b[2J\u009b31m\u202eowned transcript');
      const sse = await events;
      expect(sse).toContain('transcription');
      const metrics = (await call('GET', '/metrics')).text;
      expect(metrics).toContain('mallory');
      const participants = await call('GET', '/v1/participants');
      const identities = (participants.json as { participants: { identity: string }[] }).participants.map((p) => p.identity);
      expect(identities).toContain(HOSTILE_IDENTITY); // the data itself is kept, only its encoding is safe
      expect(await waitFor(() => cli.stdout.includes('owned transcript'), 10_000)).toBe(true);
      for (const [what, text] of [['metrics', metrics], ['participants JSON', participants.text], ['event stream', sse], ['alto plain output', cli.stdout]] as const) {
        expect(UNSAFE.exec(text)?.[0], what).toBeUndefined();
      }
    }));

  it('local user: secrets are not on the command line, and the unsafe flags say so', () =>
    attack(async () => {
      const pids = [daemon.pid, cli.pid, ...descendantsOf(daemon.pid), ...descendantsOf(cli.pid)].join(',');
      const ps = asNobody(['ps', '-o', 'args=', '-p', pids]);
      expect(ps.stdout).toContain('--api-secret-file');
      expect(ps.stdout).not.toContain(SECRET_MARK);
      const warned = await runApp('cli', ['token', '--room', 'r', '--identity', 'x', '--api-key', lk.apiKey, '--api-secret', lk.apiSecret], { timeoutMs: 20_000 });
      expect(warned.code).toBe(0);
      expect(warned.stderr.trimEnd().split('\n')).toEqual([
        'alto: warning: --api-secret is visible to every local user (ps); use --api-secret-file FILE or LIVEKIT_API_SECRET instead',
      ]);
      const readme = readFileSync(join(repoRoot(), 'apps', 'daemon', 'README.md'), 'utf8');
      expect(readme).not.toMatch(/curl [^\n]*Bearer \$/);
    }));

  it('local user: a token file owned by another user is refused', () =>
    attack(async () => {
      const tokenFile = join(base, 'their-token');
      writeFileSync(tokenFile, 'a-token-that-nobody-knows-0123456789\n', { mode: 0o600 });
      chownSync(tokenFile, 65534, 65534);
      const r = await runApp('daemon', ['--url', lk.url, '--room-name', room, '--listen', '127.0.0.1:0', '--token-file', tokenFile], {
        env: { ...process.env, LIVEKIT_API_KEY: lk.apiKey, LIVEKIT_API_SECRET: lk.apiSecret, ALTOD_API_TOKEN: '' },
        timeoutMs: 20_000,
      });
      expect(r.code).toBe(2);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^altod: token file .* belongs to another user/);
    }));

  it('API: deep JSON, control characters in paths, recording into a directory and a foreign Host are 4xx', () =>
    attack(async () => {
      const deep = '['.repeat(30_000) + ']'.repeat(30_000);
      expect(deep.length).toBeLessThan(64 * 1024);
      const r = await call('PUT', '/v1/volume', deep);
      expect([r.status, codeOf(r)]).toEqual([400, 'too_deep']);
      for (const path of ['evil\n{"level":50}.wav', 'a\x1b[2Jb.wav', 'a\u202egnp.wav']) {
        const p = await call('POST', '/v1/recording', { path });
        expect([p.status, codeOf(p)], p.text).toEqual([400, 'invalid_path']);
      }
      mkdirSync(join(recDir, 'dir.wav'));
      expect((await call('POST', '/v1/recording', { path: 'dir.wav' })).status).toBe(400);
      expect((await call('DELETE', '/v1/recording')).status).toBe(200);
      expect(existsSync(join(recDir, 'dir.wav.partial'))).toBe(false);
      const port = new URL(api).port;
      const rebound = await withHost('attacker.example:80');
      expect([rebound.status, rebound.code], rebound.text).toEqual([421, 'wrong_host']);
      expect((await withHost(`localhost:${port}`)).status).toBe(200);
      expect((await fetch(`${api}/healthz`)).status).toBe(200);
    }));

  it('local user: --socket naming an existing regular file does not delete it', () =>
    attack(async () => {
      const notASocket = join(victimDir, 'settings.json');
      const r = await runApp('daemon', ['--url', lk.url, '--room-name', room, '--socket', notASocket, '--token-file', join(base, 'api-token-2')], {
        env: { ...process.env, LIVEKIT_API_KEY: lk.apiKey, LIVEKIT_API_SECRET: lk.apiSecret },
        timeoutMs: 20_000,
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^altod: cannot listen on .*not a socket/m);
    }));
});
