import { startLivekitServer } from '@alto/harness';
import { AccessToken } from 'livekit-server-sdk';
import { afterAll, describe, expect, inject, it } from 'vitest';
import {
  ConnectTimeoutError,
  InvalidUrlError,
  LiveKitSession,
  PublishError,
  ServerUnreachableError,
  TokenRejectedError,
  WrongSecretError,
  configureSdkLogging,
  shutdownLiveKit,
  type ConnectTarget,
} from '../src/index.js';
import { RecordingMixer, uniqueRoom } from './helpers.js';

configureSdkLogging();

/** Connects and returns the error and how long it took to arrive. */
async function failure(target: ConnectTarget, connectTimeoutMs?: number): Promise<{ error: unknown; ms: number; session: LiveKitSession }> {
  const session = new LiveKitSession({ mixer: new RecordingMixer(), ...(connectTimeoutMs ? { connectTimeoutMs } : {}) });
  const started = Date.now();
  try {
    await session.connect(target);
  } catch (error) {
    return { error, ms: Date.now() - started, session };
  }
  await session.disconnect();
  throw new Error('connect unexpectedly succeeded');
}

describe('connect failures give typed errors within 10 s', () => {
  afterAll(async () => {
    await shutdownLiveKit(3000);
  });

  it('rejects a token signed with the wrong secret as WrongSecretError, without leaking the token', async () => {
    const { url, apiKey } = inject('livekit');
    const { error, ms, session } = await failure({ url, apiKey, apiSecret: 'x'.repeat(40), room: uniqueRoom('err'), identity: 'mallory' });
    expect(error).toBeInstanceOf(WrongSecretError);
    expect((error as WrongSecretError).code).toBe('WRONG_SECRET');
    expect(String((error as Error).cause)).not.toMatch(/eyJ/);
    expect(ms).toBeLessThan(10_000);
    expect(session.state).toBe('disconnected');
  });

  it('rejects an expired or malformed token as TokenRejectedError', async () => {
    const { url, apiKey, apiSecret } = inject('livekit');
    // The server allows some clock skew, so expire the token well in the past.
    const at = new AccessToken(apiKey, apiSecret, { identity: 'late', ttl: -300 });
    at.addGrant({ room: uniqueRoom('err'), roomJoin: true });
    const expired = await at.toJwt();
    const a = await failure({ url, token: expired });
    expect(a.error).toBeInstanceOf(TokenRejectedError);
    expect((a.error as Error).message).toContain('expired');
    const b = await failure({ url, token: 'not-a-token' });
    expect(b.error).toBeInstanceOf(TokenRejectedError);
    expect(Math.max(a.ms, b.ms)).toBeLessThan(10_000);
  });

  it('rejects a malformed URL as InvalidUrlError before touching the network', async () => {
    const { apiKey, apiSecret } = inject('livekit');
    for (const url of ['not a url', 'ftp://127.0.0.1:7880', 'localhost:7880']) {
      const { error } = await failure({ url, apiKey, apiSecret, room: 'r', identity: 'i' });
      expect(error, url).toBeInstanceOf(InvalidUrlError);
    }
  });

  it('reports a stopped server as ServerUnreachableError', async () => {
    const server = await startLivekitServer();
    await server.stop();
    const { error, ms } = await failure({ url: server.url, apiKey: server.apiKey, apiSecret: server.apiSecret, room: 'r', identity: 'i' });
    expect(error).toBeInstanceOf(ServerUnreachableError);
    expect(ms).toBeLessThan(10_000);
  });

  it('gives up on a frozen server with ConnectTimeoutError at the configured bound', async () => {
    const server = await startLivekitServer();
    server.signal('SIGSTOP');
    try {
      const { error, ms } = await failure({ url: server.url, apiKey: server.apiKey, apiSecret: server.apiSecret, room: 'r', identity: 'i' }, 3000);
      expect(error).toBeInstanceOf(ConnectTimeoutError);
      expect(ms).toBeGreaterThanOrEqual(2900);
      expect(ms).toBeLessThan(10_000);
    } finally {
      server.signal('SIGCONT');
      await server.stop();
    }
  });

  it('joins through the next server of the list when the first is down or frozen, and says which', async () => {
    const { url, apiKey, apiSecret } = inject('livekit');
    const stopped = await startLivekitServer();
    await stopped.stop();
    const frozen = await startLivekitServer();
    frozen.signal('SIGSTOP');
    const session = new LiveKitSession({ mixer: new RecordingMixer(), connectTimeoutMs: 3000 });
    try {
      await session.connect({ url: stopped.url, fallbackUrls: [frozen.url, url], apiKey, apiSecret, room: uniqueRoom('failover'), identity: 'fo' });
      expect(session.state).toBe('connected');
      expect(session.getMetrics().serverUrl).toBe(url);
    } finally {
      await session.disconnect();
      frozen.signal('SIGCONT');
      await frozen.stop();
    }
  });

  it('does not try other servers when the credentials are wrong, and reports the first error', async () => {
    const { url, apiKey } = inject('livekit');
    const warnings: string[] = [];
    const logger = { debug: () => {}, info: () => {}, warn: (message: string) => warnings.push(message), error: () => {} };
    const session = new LiveKitSession({ mixer: new RecordingMixer(), logger });
    const error = await session
      .connect({ url, fallbackUrls: ['ws://127.0.0.1:9'], apiKey, apiSecret: 'y'.repeat(40), room: 'r', identity: 'i' })
      .then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(WrongSecretError);
    expect(warnings).not.toContain('server failed; trying the next one');
    expect(session.state).toBe('disconnected');
  });

  it('blames the grant when a token without canPublish is asked to publish the microphone', async () => {
    const { url, apiKey, apiSecret } = inject('livekit');
    const at = new AccessToken(apiKey, apiSecret, { identity: 'viewer' });
    at.addGrant({ room: uniqueRoom('err'), roomJoin: true, canPublish: false, canSubscribe: true });
    const { error } = await failure({ url, token: await at.toJwt() });
    expect(error).toBeInstanceOf(PublishError);
    expect((error as Error).message).toBe('Publishing the microphone failed: the token does not grant canPublish');
  });

  it('rejects a malformed fallback URL before touching the network', async () => {
    const { url, apiKey, apiSecret } = inject('livekit');
    const { error } = await failure({ url, fallbackUrls: ['localhost:7881'], apiKey, apiSecret, room: 'r', identity: 'i' });
    expect(error).toBeInstanceOf(InvalidUrlError);
  });
});
