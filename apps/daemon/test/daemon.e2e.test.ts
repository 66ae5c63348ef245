import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rms, startLivekitServer, strongestTone } from '@alto/harness';
import { AltoClient, shutdownNetworkRuntime, type AltoClientOptions } from '@alto/orchestrator';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { DaemonConfig } from '../src/config.js';
import { startDaemon, type Daemon } from '../src/daemon.js';
import { fuzzDaemon } from './fuzz-requests.js';
import { call, memoryLogger, testConfig, TEST_TOKEN } from './helpers.js';

const livekit = inject('livekit');
const workDir = mkdtempSync(join(tmpdir(), 'altod-e2e-'));
let roomCounter = 0;

function uniqueRoom(): string {
  roomCounter += 1;
  return `altod-${process.pid}-${Date.now()}-${roomCounter}`;
}

afterAll(async () => {
  rmSync(workDir, { recursive: true, force: true });
  await shutdownNetworkRuntime();
});

/** Starts the daemon in-process with the real AltoClient (file/tone backends, no sound card). */
async function startRealDaemon(overrides: Partial<DaemonConfig>, fixedToken?: string): Promise<{ daemon: Daemon; base: string; logger: ReturnType<typeof memoryLogger> }> {
  const logger = memoryLogger();
  const full = testConfig({ url: livekit.url, apiKey: livekit.apiKey, apiSecret: livekit.apiSecret, filePolicy: { directory: workDir }, ...overrides });
  // With a fixed token there is no key and secret, as when only LIVEKIT_TOKEN is set.
  const { apiKey: _key, apiSecret: _secret, ...withoutKeys } = full;
  const config: DaemonConfig = fixedToken === undefined ? full : { ...withoutKeys, token: fixedToken };
  const daemon = await startDaemon({
    config,
    deps: { createClient: (options: AltoClientOptions) => new AltoClient(options), listDevices: () => Promise.resolve([]) },
    apiToken: TEST_TOKEN,
    logger,
    backoff: { initialDelayMs: 200, maxDelayMs: 2000 },
  });
  return { daemon, base: `http://${daemon.address}`, logger };
}

function peer(room: string, identity: string, extra: Partial<AltoClientOptions>): AltoClient {
  return new AltoClient({ url: livekit.url, apiKey: livekit.apiKey, apiSecret: livekit.apiSecret, room, identity, ...extra });
}

async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function wavSamples(path: string): Int16Array {
  const bytes = readFileSync(path);
  const dataAt = bytes.indexOf('data', 12) + 8;
  const copy = Buffer.from(bytes.subarray(dataAt));
  return new Int16Array(copy.buffer, copy.byteOffset, Math.floor(copy.length / 2));
}

/** Records the daemon's mix for `ms` through the API and returns the samples. */
async function recordDaemon(base: string, name: string, ms: number): Promise<Int16Array> {
  const path = join(workDir, name);
  expect((await call(base, 'POST', '/v1/recording', { body: JSON.stringify({ path }) })).status).toBe(200);
  await sleep(ms);
  expect((await call(base, 'DELETE', '/v1/recording')).status).toBe(200);
  return wavSamples(path);
}

async function participantsOf(base: string): Promise<{ identity: string; levelDbfs: number; remoteMuted: boolean }[]> {
  return ((await call(base, 'GET', '/v1/participants')).json as { participants: { identity: string; levelDbfs: number; remoteMuted: boolean }[] }).participants;
}

async function stateOf(base: string): Promise<string> {
  return ((await call(base, 'GET', '/v1/status')).json as { state: string }).state;
}

/** A LiveKit access token (HS256 JWT) for a fixed room, as LIVEKIT_TOKEN would hold. */
function mintToken(room: string, identity: string): string {
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({
    iss: livekit.apiKey,
    sub: identity,
    nbf: now - 10,
    exp: now + 3600,
    video: { room, roomJoin: true, canPublish: true, canSubscribe: true },
  })}`;
  return `${body}.${createHmac('sha256', livekit.apiSecret).update(body).digest('base64url')}`;
}

describe('altod with the real client and server', () => {
  it('makes volume changes audible: master and participant volume 0 silence the recorded mix', async () => {
    const room = uniqueRoom();
    const { daemon, base } = await startRealDaemon({ room, identity: 'daemon', input: 'silence', output: 'null' });
    await using talker = peer(room, 'talker', { input: 'tone:660', output: false });
    try {
      await talker.connect();
      await waitFor(async () => (await stateOf(base)) === 'connected', 20_000, 'the daemon to join');
      await waitFor(async () => (await participantsOf(base)).find((p) => p.identity === 'talker' && p.levelDbfs > -40), 20_000, 'the daemon to hear the talker');
      const loud = await recordDaemon(base, 'loud.wav', 1500);
      expect(strongestTone(loud.subarray(loud.length / 2), [440, 660, 1000]).frequencyHz).toBe(660);
      expect(rms(loud.subarray(loud.length / 2))).toBeGreaterThan(300);

      expect((await call(base, 'PUT', '/v1/volume', { body: '{"volume":0}' })).status).toBe(200);
      await sleep(500);
      const master0 = await recordDaemon(base, 'master0.wav', 1500);
      expect(rms(master0)).toBeLessThan(5);

      await call(base, 'PUT', '/v1/volume', { body: '{"volume":1}' });
      expect((await call(base, 'PUT', '/v1/participants/talker/volume', { body: '{"volume":0}' })).status).toBe(200);
      await sleep(500);
      const talker0 = await recordDaemon(base, 'talker0.wav', 1500);
      expect(rms(talker0)).toBeLessThan(5);

      await call(base, 'PUT', '/v1/participants/talker/volume', { body: '{"volume":1}' });
      await sleep(500);
      const back = await recordDaemon(base, 'back.wav', 1500);
      expect(strongestTone(back, [440, 660, 1000]).frequencyHz).toBe(660);
    } finally {
      await daemon.stop();
    }
  }, 90_000);

  it('keeps a participant muted and another turned down when a device switch replaces the client', async () => {
    const room = uniqueRoom();
    const { daemon, base } = await startRealDaemon({ room, identity: 'daemon', input: 'silence', output: 'null' });
    await using talker = peer(room, 'talker', { input: 'tone:660', output: false });
    await using other = peer(room, 'other', { input: 'tone:440', output: false });
    try {
      await Promise.all([talker.connect(), other.connect()]);
      await waitFor(async () => (await stateOf(base)) === 'connected', 20_000, 'the daemon to join');
      await waitFor(async () => (await participantsOf(base)).filter((p) => p.levelDbfs > -40).length === 2, 20_000, 'the daemon to hear both');
      expect((await call(base, 'PUT', '/v1/participants/talker/mute', { body: '{"muted":true}' })).status).toBe(200);
      expect((await call(base, 'PUT', '/v1/participants/other/volume', { body: '{"volume":0}' })).status).toBe(200);
      // A new output means a new client: the daemon's supervisor tears the old one down.
      expect((await call(base, 'PUT', '/v1/devices', { body: '{"output":"null"}' })).status).toBe(200);
      await waitFor(async () => (await stateOf(base)) === 'connected', 20_000, 'the daemon to rejoin');
      await waitFor(async () => (await participantsOf(base)).length === 2, 20_000, 'both participants after the switch');
      const listed = (await call(base, 'GET', '/v1/participants')).json as { participants: { identity: string; volume: number; locallyMuted: boolean }[] };
      await sleep(1000);
      const silent = await recordDaemon(base, 'after-switch.wav', 1500);
      expect(rms(silent)).toBeLessThan(5);
      expect(listed.participants.map((p) => [p.identity, p.volume, p.locallyMuted]).sort()).toEqual([
        ['other', 0, false],
        ['talker', 1, true],
      ]);
      await call(base, 'PUT', '/v1/participants/talker/mute', { body: '{"muted":false}' });
      await sleep(500);
      const heard = await recordDaemon(base, 'unmuted.wav', 1500);
      expect(strongestTone(heard, [440, 660, 1000]).frequencyHz).toBe(660);
    } finally {
      await daemon.stop();
    }
  }, 90_000);

  it('mutes the microphone: the other side sees it muted and hears silence', async () => {
    const room = uniqueRoom();
    const { daemon, base } = await startRealDaemon({ room, identity: 'daemon', input: 'tone:440', output: 'null' });
    await using listener = peer(room, 'listener', { input: false, output: 'null' });
    try {
      await listener.connect();
      await waitFor(() => listener.participants().find((p) => p.identity === 'daemon' && p.levelDbfs > -40), 20_000, 'the listener to hear the daemon');
      const path = join(workDir, 'listener-muted.wav');
      expect((await call(base, 'POST', '/v1/mute')).json).toEqual({ microphoneMuted: true });
      await waitFor(() => listener.participants().find((p) => p.identity === 'daemon' && p.remoteMuted), 15_000, 'the listener to see the mute');
      await sleep(500);
      await listener.startRecording(path);
      await sleep(1500);
      await listener.stopRecording();
      expect(rms(wavSamples(path))).toBeLessThan(5);
      await call(base, 'POST', '/v1/unmute');
      await waitFor(() => listener.participants().find((p) => p.identity === 'daemon' && !p.remoteMuted && p.levelDbfs > -40), 15_000, 'the daemon to be heard again');
    } finally {
      await daemon.stop();
    }
  }, 90_000);

  it('delivers participant joins, leaves and speaking over SSE', async () => {
    const room = uniqueRoom();
    const { daemon, base } = await startRealDaemon({ room, identity: 'daemon', input: 'silence', output: 'null' });
    const events: { event: string; data: Record<string, unknown> }[] = [];
    const url = new URL(base);
    const stream = request({ host: url.hostname, port: url.port, path: '/v1/events', headers: { authorization: `Bearer ${TEST_TOKEN}` } }, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const name = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (name !== undefined && data !== undefined) events.push({ event: name, data: JSON.parse(data) as Record<string, unknown> });
        }
      });
    });
    stream.on('error', () => {});
    stream.end();
    try {
      await waitFor(async () => (await stateOf(base)) === 'connected', 20_000, 'the daemon to join');
      const talker = peer(room, 'talker', { input: 'tone:660', output: false });
      await talker.connect();
      await waitFor(() => events.find((e) => e.event === 'participantJoined' && e.data.identity === 'talker'), 15_000, 'participantJoined');
      await waitFor(
        () =>
          events.find(
            (e) =>
              (e.event === 'activeSpeakers' && (e.data.identities as string[]).includes('talker')) ||
              (e.event === 'levels' && (e.data.participants as { identity: string; speaking: boolean }[]).some((p) => p.identity === 'talker' && p.speaking)),
          ),
        15_000,
        'the talker speaking',
      );
      await talker.disconnect();
      await waitFor(() => events.find((e) => e.event === 'participantLeft' && e.data.identity === 'talker'), 15_000, 'participantLeft');
    } finally {
      stream.destroy();
      await daemon.stop();
    }
  }, 90_000);

  it('is back in the room by itself after the server is killed and restarted', async () => {
    const server = await startLivekitServer();
    const room = uniqueRoom();
    const { daemon, base } = await startRealDaemon({ url: server.url, apiKey: server.apiKey, apiSecret: server.apiSecret, room, identity: 'daemon', input: 'tone:440', output: 'null' });
    try {
      await waitFor(async () => (await stateOf(base)) === 'connected', 20_000, 'the daemon to join');
      server.signal('SIGKILL');
      await waitFor(async () => (await stateOf(base)) !== 'connected', 30_000, 'the daemon to notice the loss');
      await server.restart();
      await waitFor(async () => (await stateOf(base)) === 'connected', 60_000, 'the daemon to rejoin');
      const observer = new AltoClient({ url: server.url, apiKey: server.apiKey, apiSecret: server.apiSecret, room, identity: 'observer', input: false, output: 'null' });
      try {
        await observer.connect();
        await waitFor(() => observer.participants().find((p) => p.identity === 'daemon' && p.levelDbfs > -40), 20_000, 'the observer to hear the daemon after the restart').catch(
          async (error: unknown) => {
            // Say what each side saw, so a failure on a loaded CI box can be told apart.
            const status = (await call(base, 'GET', '/v1/status')).json;
            const heard = observer.participants().map((p) => ({ identity: p.identity, levelDbfs: p.levelDbfs }));
            throw new Error(`${String(error)}; daemon status ${JSON.stringify(status)}; observer sees ${JSON.stringify(heard)}`);
          },
        );
      } finally {
        await observer.disconnect();
      }
      const status = (await call(base, 'GET', '/v1/status')).json as { reconnects: number };
      expect(status.reconnects).toBeGreaterThan(0);
    } finally {
      await daemon.stop();
      await server.stop();
    }
  }, 180_000);

  it('survives 1000 random requests with no 5xx, still carries audio and counts it in /metrics', async () => {
    const room = uniqueRoom();
    // A fixed token, as LIVEKIT_TOKEN: the fuzz cannot move the daemon to random rooms.
    const { daemon, base, logger } = await startRealDaemon({ room, identity: 'daemon', input: 'silence', output: 'null' }, mintToken(room, 'daemon'));
    await using talker = peer(room, 'talker', { input: 'tone:660', output: false });
    try {
      await talker.connect();
      const statuses = await fuzzDaemon(base, TEST_TOKEN, join(workDir, 'fuzz.wav'), 1000);
      expect(statuses.get(200) ?? 0).toBeGreaterThan(20);
      // Put back what the fuzz may have changed, then the audio must flow again.
      await call(base, 'POST', '/v1/join');
      await call(base, 'POST', '/v1/unmute');
      await call(base, 'PUT', '/v1/volume', { body: '{"volume":1}' });
      await call(base, 'PUT', '/v1/participants/talker/volume', { body: '{"volume":1}' });
      await call(base, 'PUT', '/v1/participants/talker/mute', { body: '{"muted":false}' });
      await call(base, 'PUT', '/v1/devices', { body: '{"input":"silence","output":"null"}' });
      const heard = await waitFor(async () => (await participantsOf(base)).find((p) => p.identity === 'talker' && p.levelDbfs > -40), 30_000, 'the talker to be heard after the fuzz').catch(
        async (error: unknown) => {
          const status = (await call(base, 'GET', '/v1/status')).text;
          const participants = JSON.stringify(await participantsOf(base));
          throw new Error(`${String(error)}; status ${status}; participants ${participants}`);
        },
      );
      expect(heard.identity).toBe('talker');
      await waitFor(async () => (await stateOf(base)) === 'connected', 30_000, 'the daemon to be connected after the fuzz').catch((error: unknown) => {
        throw new Error(`${String(error)}; log tail ${JSON.stringify(logger.lines.slice(-25))}`);
      });
      const metrics = (await call(base, 'GET', '/metrics')).text;
      const received = Number(/^altod_network_frames_received_total (\S+)$/m.exec(metrics)?.[1]);
      expect(received).toBeGreaterThan(0);
      expect(metrics).toMatch(/^altod_participant_level_dbfs\{identity="talker"\} /m);
      expect(metrics).toMatch(/^altod_connection_state\{state="connected"\} 1$/m);
    } finally {
      await daemon.stop();
    }
  }, 300_000);
});
