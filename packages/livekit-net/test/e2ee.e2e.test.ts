import { afterAll, describe, expect, inject, it } from 'vitest';
import { LiveKitSession, configureSdkLogging, shutdownLiveKit } from '../src/index.js';
import { RecordingMixer, delay, heardTone, startTone, uniqueRoom, waitFor } from './helpers.js';

configureSdkLogging();
const TONES = [440, 1000] as const;

async function call(keyA: string, keyB: string): Promise<{ atAlice: ReturnType<typeof heardTone>; atBob: ReturnType<typeof heardTone> }> {
  const { url, apiKey, apiSecret } = inject('livekit');
  const room = uniqueRoom('e2ee');
  const mixA = new RecordingMixer();
  const mixB = new RecordingMixer();
  const alice = new LiveKitSession({ mixer: mixA, e2ee: { sharedKey: keyA } });
  const bob = new LiveKitSession({ mixer: mixB, e2ee: { sharedKey: keyB } });
  await alice.connect({ url, apiKey, apiSecret, room, identity: 'alice' });
  await bob.connect({ url, apiKey, apiSecret, room, identity: 'bob' });
  const toneA = startTone(alice, TONES[0]);
  const toneB = startTone(bob, TONES[1]);
  try {
    await waitFor('streams', () => mixA.streams.size === 1 && mixB.streams.size === 1);
    await delay(2500);
    const sidA = [...mixA.streams.keys()][0]!;
    const sidB = [...mixB.streams.keys()][0]!;
    return { atAlice: heardTone(mixA.last(sidA, 1000), TONES), atBob: heardTone(mixB.last(sidB, 1000), TONES) };
  } finally {
    toneA.stop();
    toneB.stop();
    await alice.disconnect();
    await bob.disconnect();
  }
}

describe('end-to-end encryption with a shared key', () => {
  afterAll(async () => {
    await shutdownLiveKit(3000);
  });

  it('delivers each tone when both sides use the same key', async () => {
    const { atAlice, atBob } = await call('correct horse battery staple', 'correct horse battery staple');
    expect(atAlice.frequencyHz).toBe(1000);
    expect(atAlice.rms).toBeGreaterThan(1000);
    expect(atBob.frequencyHz).toBe(440);
    expect(atBob.rms).toBeGreaterThan(1000);
  });

  it('does not deliver the tone when the keys differ', async () => {
    const { atAlice, atBob } = await call('correct horse battery staple', 'wrong key entirely');
    expect(atAlice.rms).toBeLessThan(300);
    expect(atBob.rms).toBeLessThan(300);
  });
});
