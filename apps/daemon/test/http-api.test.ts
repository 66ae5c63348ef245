import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../src/http-io.js';
import { participant } from './fake-client.js';
import { call, startTestDaemon, TEST_RECORDINGS_DIR, until } from './helpers.js';

type Started = Awaited<ReturnType<typeof startTestDaemon>>;
let t: Started;

function errorCode(json: unknown): string | undefined {
  return (json as { error?: { code?: string } } | undefined)?.error?.code;
}

describe('control API', () => {
  beforeEach(async () => {
    t = await startTestDaemon();
    await until(() => t.factory.clients[0]?.state === 'connected', 3000, 'initial join');
  });
  afterEach(async () => {
    await t.daemon.stop();
  });

  it('answers /healthz without a token', async () => {
    const res = await call(t.base, 'GET', '/healthz', { token: null });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ok: true });
  });

  it('refuses every other route without a token, or with a wrong one, with 401', async () => {
    for (const [method, path] of [
      ['GET', '/v1/status'],
      ['GET', '/metrics'],
      ['POST', '/v1/mute'],
      ['GET', '/v1/events'],
      ['GET', '/no/such/route'],
    ] as const) {
      const missing = await call(t.base, method, path, { token: null });
      expect(missing.status, `${method} ${path}`).toBe(401);
      expect(errorCode(missing.json)).toBe('unauthorized');
      expect(missing.headers['www-authenticate']).toContain('Bearer');
      const wrong = await call(t.base, method, path, { token: 'not-the-token-at-all' });
      expect(wrong.status, `${method} ${path}`).toBe(401);
    }
    expect(t.factory.latest().microphoneMuted).toBe(false);
  });

  it('reports status without any credential', async () => {
    const res = await call(t.base, 'GET', '/v1/status');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ state: 'connected', joined: true, room: 'lobby', identity: 'altod-test', masterVolume: 1 });
    expect(res.text).not.toContain('super-secret-value');
    expect(res.text).not.toContain('devkey');
    expect(res.text).not.toContain('test-token');
  });

  it('lists participants', async () => {
    t.factory.latest().people = [participant('alice'), participant('bob', { speaking: true })];
    const res = await call(t.base, 'GET', '/v1/participants');
    expect(res.status).toBe(200);
    const list = (res.json as { participants: { identity: string; speaking: boolean }[] }).participants;
    expect(list.map((p) => p.identity)).toEqual(['alice', 'bob']);
    expect(list[1]?.speaking).toBe(true);
  });

  it('mutes and unmutes the microphone', async () => {
    const muted = await call(t.base, 'POST', '/v1/mute');
    expect(muted.status).toBe(200);
    expect(muted.json).toEqual({ microphoneMuted: true });
    expect(t.factory.latest().microphoneMuted).toBe(true);
    const unmuted = await call(t.base, 'POST', '/v1/unmute');
    expect(unmuted.json).toEqual({ microphoneMuted: false });
    expect(t.factory.latest().microphoneMuted).toBe(false);
  });

  it('sets the master volume and validates it', async () => {
    const ok = await call(t.base, 'PUT', '/v1/volume', { body: '{"volume":0.25}' });
    expect(ok.status).toBe(200);
    expect(t.factory.latest().masterVolume).toBe(0.25);
    for (const body of ['{"volume":3}', '{"volume":-1}', '{"volume":"loud"}', '{}', '[]', '{"volume":1,"x":2}', 'null']) {
      const bad = await call(t.base, 'PUT', '/v1/volume', { body });
      expect(bad.status, body).toBe(400);
      expect((bad.json as { error: { message: string } }).error.message.length).toBeGreaterThan(10);
    }
    expect(t.factory.latest().masterVolume).toBe(0.25);
  });

  it('sets a participant volume and mute, remembering them for a participant not yet present', async () => {
    t.factory.latest().people = [participant('alice')];
    const vol = await call(t.base, 'PUT', '/v1/participants/alice/volume', { body: '{"volume":0}' });
    expect(vol.status).toBe(200);
    expect(vol.json).toEqual({ identity: 'alice', volume: 0, present: true });
    expect(t.factory.latest().volumes.get('alice')).toBe(0);
    const mute = await call(t.base, 'PUT', '/v1/participants/bob%20smith/mute', { body: '{"muted":true}' });
    expect(mute.status).toBe(200);
    expect(mute.json).toEqual({ identity: 'bob smith', muted: true, present: false });
    expect(t.factory.latest().mutes.has('bob smith')).toBe(false);
    t.factory.latest().people.push(participant('bob smith'));
    t.factory.latest().emit({ type: 'participantJoined', identity: 'bob smith', name: 'Bob' });
    expect(t.factory.latest().mutes.get('bob smith')).toBe(true);
    const bad = await call(t.base, 'PUT', '/v1/participants/alice/mute', { body: '{"muted":"yes"}' });
    expect(bad.status).toBe(400);
    expect(errorCode(bad.json)).toBe('invalid_muted');
    const badEncoding = await call(t.base, 'PUT', '/v1/participants/%E0%A4%A/volume', { body: '{"volume":1}' });
    expect(badEncoding.status).toBe(400);
  });

  it('leaves and joins, optionally another room', async () => {
    const left = await call(t.base, 'POST', '/v1/leave');
    expect(left.status).toBe(200);
    expect(left.json).toMatchObject({ state: 'idle', joined: false });
    expect(t.factory.clients[0]?.disconnected).toBe(true);
    const joined = await call(t.base, 'POST', '/v1/join', { body: '{"room":"kitchen","identity":"kiosk-2"}' });
    expect(joined.status).toBe(200);
    expect(joined.json).toMatchObject({ state: 'connected', room: 'kitchen', identity: 'kiosk-2' });
    expect(t.factory.latest().options).toMatchObject({ room: 'kitchen', identity: 'kiosk-2' });
    const again = await call(t.base, 'POST', '/v1/join');
    expect(again.status).toBe(200);
    const bad = await call(t.base, 'POST', '/v1/join', { body: '{"room":42}' });
    expect(bad.status).toBe(400);
    expect(errorCode(bad.json)).toBe('invalid_room');
  });

  it('lists devices and switches them by reconnecting the client', async () => {
    const list = await call(t.base, 'GET', '/v1/devices');
    expect(list.json).toEqual({ devices: [{ id: 0, name: 'vmic' }, { id: 1, name: 'vspeaker' }] });
    const first = t.factory.latest();
    const sw = await call(t.base, 'PUT', '/v1/devices', { body: '{"input":"vmic","output":1}' });
    expect(sw.status).toBe(200);
    expect(first.disconnected).toBe(true);
    expect(t.factory.latest()).not.toBe(first);
    expect(t.factory.latest().options).toMatchObject({ input: 'vmic', output: 1 });
    expect(t.factory.latest().state).toBe('connected');
    const unknown = await call(t.base, 'PUT', '/v1/devices', { body: '{"input":"no such mic"}' });
    expect(unknown.status).toBe(400);
    expect(errorCode(unknown.json)).toBe('unknown_device');
    const empty = await call(t.base, 'PUT', '/v1/devices', { body: '{}' });
    expect(errorCode(empty.json)).toBe('missing_device');
    const wrongType = await call(t.base, 'PUT', '/v1/devices', { body: '{"output":true}' });
    expect(errorCode(wrongType.json)).toBe('invalid_device');
  });

  it('starts and stops recording inside the recordings directory, refusing paths outside it and a closed room', async () => {
    const path = join(TEST_RECORDINGS_DIR, 'mix.wav');
    const start = await call(t.base, 'POST', '/v1/recording', { body: JSON.stringify({ path: 'mix.wav' }) });
    expect(start.status).toBe(200);
    expect(t.factory.latest().recordingPath).toBe(path);
    expect(((await call(t.base, 'GET', '/v1/status')).json as { recording: string }).recording).toBe(path);
    const stop = await call(t.base, 'DELETE', '/v1/recording');
    expect(stop.json).toEqual({ recording: null });
    expect(t.factory.latest().recordingPath).toBeUndefined();
    expect((await call(t.base, 'POST', '/v1/recording', { body: JSON.stringify({ path }) })).status).toBe(200);
    await call(t.base, 'DELETE', '/v1/recording');
    expect((await call(t.base, 'POST', '/v1/recording', { body: '{"path":"../mix.wav"}' })).status).toBe(400);
    expect((await call(t.base, 'POST', '/v1/recording', { body: '{"path":"/tmp/fail.wav"}' })).status).toBe(400);
    await call(t.base, 'POST', '/v1/leave');
    const closed = await call(t.base, 'POST', '/v1/recording', { body: JSON.stringify({ path }) });
    expect(closed.status).toBe(409);
    expect(errorCode(closed.json)).toBe('not_connected');
  });

  it('refuses to record with output none (it receives no remote audio) in one clear 409', async () => {
    expect((await call(t.base, 'PUT', '/v1/devices', { body: '{"output":"none"}' })).status).toBe(200);
    expect(t.factory.latest().options.output).toBe(false);
    const refused = await call(t.base, 'POST', '/v1/recording', { body: JSON.stringify({ path: 'none.wav' }) });
    expect(refused.status).toBe(409);
    expect(errorCode(refused.json)).toBe('not_receiving');
    expect(JSON.stringify(refused.json)).toMatch(/set an output/);
  });

  it('refuses a foreign Host header (421) and bodies nested too deep (400) before parsing them', async () => {
    const port = new URL(t.base).port;
    const foreign = await call(t.base, 'GET', '/v1/status', { headers: { host: 'rebound.example' } });
    expect([foreign.status, errorCode(foreign.json)]).toEqual([421, 'wrong_host']);
    expect((await call(t.base, 'GET', '/v1/status', { headers: { host: `localhost:${port}` } })).status).toBe(200);
    const deep = await call(t.base, 'PUT', '/v1/volume', { body: `{"volume":${'['.repeat(40)}${']'.repeat(40)}}` });
    expect([deep.status, errorCode(deep.json)]).toEqual([400, 'too_deep']);
    // Brackets inside strings are not nesting.
    const stringy = await call(t.base, 'PUT', '/v1/volume', { body: JSON.stringify({ volume: '['.repeat(100) }) });
    expect(errorCode(stringy.json)).toBe('invalid_volume');
  });

  it('confines wav: outputs to the recordings directory and refuses wav: inputs and raw:-', async () => {
    const outside = await call(t.base, 'PUT', '/v1/devices', { body: '{"output":"wav:/etc/passwd"}' });
    expect([outside.status, errorCode(outside.json)]).toEqual([400, 'invalid_path']);
    const input = await call(t.base, 'PUT', '/v1/devices', { body: '{"input":"wav:/etc/passwd"}' });
    expect([input.status, errorCode(input.json)]).toEqual([403, 'not_allowed']);
    expect((await call(t.base, 'PUT', '/v1/devices', { body: '{"output":"raw:-"}' })).status).toBe(403);
    const inside = await call(t.base, 'PUT', '/v1/devices', { body: '{"output":"wav:out.wav"}' });
    expect(inside.status).toBe(200);
    expect((inside.json as { output: string }).output).toBe(`wav:${join(TEST_RECORDINGS_DIR, 'out.wav')}?exclusive&mode=600`);
  });

  it('answers 404 for unknown routes and 405 with Allow for wrong methods', async () => {
    const missing = await call(t.base, 'GET', '/v1/nothing');
    expect(missing.status).toBe(404);
    expect(errorCode(missing.json)).toBe('not_found');
    const wrong = await call(t.base, 'DELETE', '/v1/volume');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('PUT');
    const devices = await call(t.base, 'POST', '/v1/devices');
    expect(devices.headers.allow).toBe('GET, PUT');
    expect((await call(t.base, 'POST', '/healthz', { token: null })).status).toBe(405);
  });

  it('answers 415 for a body that is not JSON and 413 for one that is too large', async () => {
    const form = await call(t.base, 'PUT', '/v1/volume', { body: 'volume=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    expect(errorCode(form.json)).toBe('unsupported_media_type');
    const huge = `{"volume":1,"pad":"${'x'.repeat(MAX_BODY_BYTES)}"}`;
    const big = await call(t.base, 'PUT', '/v1/volume', { body: huge });
    expect(big.status).toBe(413);
    const garbage = await call(t.base, 'PUT', '/v1/volume', { body: '{"volume":' });
    expect(garbage.status).toBe(400);
    expect(errorCode(garbage.json)).toBe('invalid_json');
    expect((await call(t.base, 'GET', '/healthz', { token: null })).status).toBe(200);
  });

  it('serves Prometheus text on /metrics', async () => {
    const res = await call(t.base, 'GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.text).toContain('altod_connection_state{state="connected"} 1');
  });
});

describe('control API on a Unix socket', () => {
  it('listens on the socket with mode 0600 and removes it on stop', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'altod-sock-'));
    const socketPath = join(dir, 'api.sock');
    const s = await startTestDaemon({ listen: { kind: 'socket', path: socketPath }, join: false });
    try {
      expect(s.daemon.address).toBe(socketPath);
      expect(statSync(socketPath).mode & 0o777).toBe(0o600);
      const res = await call('http://localhost', 'GET', '/v1/status', { socketPath });
      expect(res.json).toMatchObject({ state: 'idle', joined: false });
      expect(s.factory.clients).toHaveLength(0);
    } finally {
      await s.daemon.stop();
    }
    expect(() => statSync(socketPath)).toThrow();
  });
});

describe('voice settings over the API', () => {
  beforeEach(async () => {
    t = await startTestDaemon();
    await until(() => t.factory.clients[0]?.state === 'connected', 3000, 'initial join');
  });
  afterEach(async () => {
    await t.daemon.stop();
  });

  it('changes voice processing over the API by reconnecting with it, and refuses bad settings', async () => {
    const before = await call(t.base, 'GET', '/v1/voice');
    expect(before.status).toBe(200);
    const res = await call(t.base, 'PUT', '/v1/voice', { body: JSON.stringify({ echoCancellation: true, noiseSuppression: true, outputFilter: 'radio' }) });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ voice: { echoCancellation: true, noiseSuppression: true }, outputFilter: 'radio' });
    await until(() => t.factory.latest().state === 'connected' && t.factory.clients.length === 2, 3000, 'reconnect with voice');
    expect(t.factory.latest().options.voice).toMatchObject({ echoCancellation: true, noiseSuppression: true });
    expect(t.factory.latest().options.outputFilter).toBe('radio');
    const off = await call(t.base, 'PUT', '/v1/voice', { body: JSON.stringify({ outputFilter: null }) });
    expect(off.json).toMatchObject({ voice: { echoCancellation: true }, outputFilter: null });
    for (const body of [{ echoCancellation: 'yes' }, { outputFilter: 'telephone' }, {}, { loudness: true }]) {
      const bad = await call(t.base, 'PUT', '/v1/voice', { body: JSON.stringify(body) });
      expect(bad.status, JSON.stringify(body)).toBe(400);
    }
  });
});
