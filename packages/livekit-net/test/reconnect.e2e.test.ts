import { startLivekitServer, type LivekitServer } from '@alto/harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveKitSession, configureSdkLogging, shutdownLiveKit } from '../src/index.js';
import { RecordingMixer, delay, heardTone, startTone, uniqueRoom, waitFor } from './helpers.js';

configureSdkLogging();
const TONES = [440, 1000] as const;

describe('server loss mid-call', () => {
  let server: LivekitServer;
  beforeAll(async () => {
    server = await startLivekitServer();
  });
  afterAll(async () => {
    await server.stop();
    await shutdownLiveKit(3000);
  });

  it('both sides reconnect after the server is killed and restarted; tones flow again with no duplicate streams', async () => {
    const { alice, bob, mixA, mixB, log, toneA, toneB } = await startCall(server, 'reconnect', 2000);
    try {
      await waitFor('streams before the crash', () => mixA.streams.size === 1 && mixB.streams.size === 1);
      await delay(1000);

      server.signal('SIGKILL');
      await waitFor('both notice the loss', () => alice.state !== 'connected' && bob.state !== 'connected', 20_000);
      await delay(1000);
      await server.restart();
      await waitFor('both reconnected', () => alice.state === 'connected' && bob.state === 'connected', 45_000).catch((e: unknown) => {
        throw new Error(`${String(e)}; events: ${log.join(', ')}`);
      });
      expect(alice.getMetrics().reconnectCount).toBeGreaterThanOrEqual(1);
      expect(bob.getMetrics().reconnectCount).toBeGreaterThanOrEqual(1);

      await waitFor('one stream each after the reconnect', () => mixA.streams.size === 1 && mixB.streams.size === 1 && mixA.removed.length > 0, 30_000);
      const sidA = [...mixA.streams.keys()][0]!;
      const sidB = [...mixB.streams.keys()][0]!;
      await waitFor('tone at alice', () => heardTone(mixA.last(sidA, 500), TONES).rms > 1000, 20_000);
      await waitFor('tone at bob', () => heardTone(mixB.last(sidB, 500), TONES).rms > 1000, 20_000);
      await delay(2500); // longer than the periodic reconcile: duplicates would have shown up
      expect(mixA.streams.size).toBe(1);
      expect(mixB.streams.size).toBe(1);
      expect(alice.remoteAudioStreams()).toHaveLength(1);
      expect(heardTone(mixA.last(sidA, 1000), TONES).frequencyHz).toBe(1000);
      expect(heardTone(mixB.last(sidB, 1000), TONES).frequencyHz).toBe(440);
      expect(sidA).toBe(bob.getMetrics().microphone?.trackSid);
    } finally {
      toneA.stop();
      toneB.stop();
      await alice.disconnect();
      await bob.disconnect();
    }
  });

  it('rejoins with its own backoff loop after the SDK gives the room up during a long outage', async () => {
    const { alice, bob, mixA, mixB, log, toneA, toneB } = await startCall(server, 'outage', 1000);
    const started = Date.now();
    try {
      await waitFor('streams before the crash', () => mixA.streams.size === 1 && mixB.streams.size === 1);
      server.signal('SIGKILL');
      await waitFor('the SDK to give up', () => log.some((l) => l.includes('disconnected') && l.endsWith('true')), 120_000);
      const gaveUpAfterMs = Date.now() - started;
      await server.restart();
      await waitFor('both rejoined by the session loop', () => alice.state === 'connected' && bob.state === 'connected', 45_000);
      expect(log.some((l) => l.includes('reconnected session'))).toBe(true);
      await waitFor('one stream each', () => mixA.streams.size === 1 && mixB.streams.size === 1, 30_000);
      const sidA = [...mixA.streams.keys()][0]!;
      await waitFor('tone at alice', () => heardTone(mixA.last(sidA, 500), TONES).rms > 1000, 20_000);
      await delay(2500);
      expect(mixA.streams.size).toBe(1);
      expect(heardTone(mixA.last(sidA, 1000), TONES).frequencyHz).toBe(1000);
      expect(gaveUpAfterMs).toBeGreaterThan(0);
    } finally {
      toneA.stop();
      toneB.stop();
      await alice.disconnect();
      await bob.disconnect();
    }
  }, 240_000);
});

/** Alice and Bob in a fresh room, each sending its tone, with every reconnect event logged. */
async function startCall(server: LivekitServer, label: string, maxDelayMs: number) {
  const room = uniqueRoom(label);
  const mixA = new RecordingMixer();
  const mixB = new RecordingMixer();
  const reconnect = { initialDelayMs: 300, maxDelayMs };
  const alice = new LiveKitSession({ mixer: mixA, reconnect });
  const bob = new LiveKitSession({ mixer: mixB, reconnect });
  const log: string[] = [];
  for (const [who, s] of [['alice', alice], ['bob', bob]] as const) {
    s.on('reconnecting', (e) => log.push(`${who} reconnecting ${e.by} ${e.attempt}`));
    s.on('reconnected', (e) => log.push(`${who} reconnected ${e.by}`));
    s.on('disconnected', (e) => log.push(`${who} disconnected ${e.reason} ${e.willReconnect}`));
  }
  const creds = { url: server.url, apiKey: server.apiKey, apiSecret: server.apiSecret, room };
  await alice.connect({ ...creds, identity: 'alice' });
  await bob.connect({ ...creds, identity: 'bob' });
  return { alice, bob, mixA, mixB, log, toneA: startTone(alice, TONES[0]), toneB: startTone(bob, TONES[1]) };
}
