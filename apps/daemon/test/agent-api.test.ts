import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../src/cli-args.js';
import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';
import { call, startTestDaemon, until } from './helpers.js';

type Started = Awaited<ReturnType<typeof startTestDaemon>>;
let t: Started;

const errorCode = (json: unknown): string | undefined => (json as { error?: { code?: string } } | undefined)?.error?.code;

describe('agent routes', () => {
  beforeEach(async () => {
    t = await startTestDaemon({ agent: 'helper', pushToTalk: true });
    await until(() => t.factory.clients[0]?.state === 'connected', 3000, 'initial join');
  });
  afterEach(async () => {
    await t.daemon.stop();
  });

  it('hands the agent and push-to-talk to the client it builds', () => {
    expect(t.factory.latest().options).toMatchObject({ agents: ['helper'], pushToTalk: true });
  });

  it('sends chat messages and refuses empty, oversized or malformed ones with 400', async () => {
    const ok = await call(t.base, 'POST', '/v1/chat', { body: JSON.stringify({ text: 'hello agent' }) });
    expect(ok).toMatchObject({ status: 200, json: { sent: 'hello agent' } });
    expect(t.factory.latest().chats).toEqual(['hello agent']);
    for (const body of ['{"text": ""}', '{"text": 5}', JSON.stringify({ text: 'x'.repeat(4001) }), '{}', '{"text": "a", "extra": 1}']) {
      const res = await call(t.base, 'POST', '/v1/chat', { body });
      expect(res.status, body).toBe(400);
    }
    expect(t.factory.latest().chats).toEqual(['hello agent']);
  });

  it('starts, ends and cancels turns', async () => {
    expect((await call(t.base, 'POST', '/v1/turn/start')).json).toMatchObject({ talking: true });
    expect((await call(t.base, 'POST', '/v1/turn/end')).json).toMatchObject({ talking: false });
    expect((await call(t.base, 'POST', '/v1/turn/cancel')).json).toMatchObject({ talking: false });
    expect(t.factory.latest().calls.filter((c) => c.endsWith('Turn'))).toEqual(['startTurn', 'endTurn', 'cancelTurn']);
  });

  it('answers 409 while not in a room', async () => {
    await call(t.base, 'POST', '/v1/leave');
    for (const path of ['/v1/chat', '/v1/turn/start', '/v1/turn/end', '/v1/turn/cancel']) {
      const res = await call(t.base, 'POST', path, path === '/v1/chat' ? { body: '{"text": "hi"}' } : {});
      expect(res.status, path).toBe(409);
      expect(errorCode(res.json)).toBe('not_connected');
    }
  });

  it('reports agents and response latency in /v1/status', async () => {
    const status = (await call(t.base, 'GET', '/v1/status')).json as Record<string, unknown>;
    expect(status['agents']).toEqual([]);
    expect(status['responseLatency']).toEqual({ turns: 0, p50Ms: null, p95Ms: null });
  });
});

describe('agent settings', () => {
  const env = { LIVEKIT_URL: 'ws://h:7880', LIVEKIT_API_KEY: 'key', LIVEKIT_API_SECRET: 'secret', ALTOD_ROOM: 'r' };
  const load = (argv: string[], vars: Record<string, string> = env) =>
    loadConfig({ flags: parseCommandLine(argv).flags, env: vars, homedir: '/home/op', hostname: 'box', configPath: undefined });

  it('reads --agent/ALTOD_AGENT and --push-to-talk/ALTOD_PUSH_TO_TALK', () => {
    expect(load(['--agent', 'helper', '--push-to-talk'])).toMatchObject({ agent: 'helper', pushToTalk: true });
    expect(load([], { ...env, ALTOD_AGENT: 'helper', ALTOD_PUSH_TO_TALK: '1' })).toMatchObject({ agent: 'helper', pushToTalk: true });
  });

  it('refuses an agent with a ready token, and push-to-talk without a microphone, in one line', () => {
    const tokenOnly = { LIVEKIT_URL: 'ws://h:7880', LIVEKIT_TOKEN: 'a.b.c' };
    expect(() => load(['--agent', 'helper', '--room-name', 'r'], tokenOnly)).toThrow(ConfigError);
    expect(() => load(['--agent', 'helper', '--room-name', 'r'], tokenOnly)).toThrow(/cannot be dispatched with a ready token/);
    expect(() => load(['--push-to-talk', '--input-device', 'none'])).toThrow(/push-to-talk needs a microphone/);
  });
});
