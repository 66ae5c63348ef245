import { afterAll, describe, expect, inject, it } from 'vitest';
import { LiveKitSession, configureSdkLogging, shutdownLiveKit, type E2eeStateEvent } from '../src/index.js';
import { RecordingMixer, delay, heardTone, startTone, uniqueRoom, waitFor } from './helpers.js';

configureSdkLogging();
const TONES = [440, 1000] as const;

interface CallResult {
  atAlice: ReturnType<typeof heardTone>;
  atBob: ReturnType<typeof heardTone>;
  aliceStatus: ReturnType<LiveKitSession['e2eeStatus']>;
  bobStatus: ReturnType<LiveKitSession['e2eeStatus']>;
  /** From Bob's first received audio to Alice's audio being reported as not decrypting, ms. */
  failureReportedAfterMs: number | undefined;
}

async function call(keyA: string, keyB: string): Promise<CallResult> {
  const { url, apiKey, apiSecret } = inject('livekit');
  const room = uniqueRoom('e2ee');
  const mixA = new RecordingMixer();
  const mixB = new RecordingMixer();
  const alice = new LiveKitSession({ mixer: mixA, e2ee: { sharedKey: keyA } });
  const bob = new LiveKitSession({ mixer: mixB, e2ee: { sharedKey: keyB } });
  let audioAtBobMs: number | undefined;
  let failureAtBobMs: number | undefined;
  bob.on('remoteAudioAdded', () => (audioAtBobMs ??= performance.now()));
  bob.on('e2eeState', (e: E2eeStateEvent) => {
    if (e.participantIdentity === 'alice' && e.state === 'decryption-failed') failureAtBobMs ??= performance.now();
  });
  await alice.connect({ url, apiKey, apiSecret, room, identity: 'alice' });
  await bob.connect({ url, apiKey, apiSecret, room, identity: 'bob' });
  const toneA = startTone(alice, TONES[0]);
  const toneB = startTone(bob, TONES[1]);
  try {
    await waitFor('streams', () => mixA.streams.size === 1 && mixB.streams.size === 1);
    await delay(2500);
    const sidA = [...mixA.streams.keys()][0]!;
    const sidB = [...mixB.streams.keys()][0]!;
    return {
      atAlice: heardTone(mixA.last(sidA, 1000), TONES),
      atBob: heardTone(mixB.last(sidB, 1000), TONES),
      aliceStatus: alice.e2eeStatus(),
      bobStatus: bob.e2eeStatus(),
      failureReportedAfterMs: failureAtBobMs === undefined || audioAtBobMs === undefined ? undefined : failureAtBobMs - audioAtBobMs,
    };
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

  it('delivers each tone when both sides use the same key, and reports that each side decrypts', async () => {
    const { atAlice, atBob, aliceStatus, bobStatus } = await call('correct horse battery staple', 'correct horse battery staple');
    expect(atAlice.frequencyHz).toBe(1000);
    expect(atAlice.rms).toBeGreaterThan(1000);
    expect(atBob.frequencyHz).toBe(440);
    expect(atBob.rms).toBeGreaterThan(1000);
    expect(aliceStatus).toEqual({ enabled: true, local: 'ok', participants: { bob: 'ok' } });
    expect(bobStatus).toEqual({ enabled: true, local: 'ok', participants: { alice: 'ok' } });
  });

  it('does not deliver the tone when the keys differ, and reports the failure to decrypt within a few seconds', async () => {
    const { atAlice, atBob, aliceStatus, bobStatus, failureReportedAfterMs } = await call('correct horse battery staple', 'wrong key entirely');
    expect(atAlice.rms).toBeLessThan(300);
    expect(atBob.rms).toBeLessThan(300);
    expect(aliceStatus.participants).toEqual({ bob: 'decryption-failed' });
    expect(bobStatus.participants).toEqual({ alice: 'decryption-failed' });
    expect(failureReportedAfterMs).toBeDefined();
    console.log(`decryption failure reported ${Math.round(failureReportedAfterMs ?? -1)} ms after the audio track arrived`);
  });

  it('hears a participant again once they rejoin with the right key (a failed key is not remembered for good)', async () => {
    const { url, apiKey, apiSecret } = inject('livekit');
    const room = uniqueRoom('e2ee-rejoin');
    const mixA = new RecordingMixer();
    const alice = new LiveKitSession({ mixer: mixA, e2ee: { sharedKey: 'correct horse battery staple' } });
    await alice.connect({ url, apiKey, apiSecret, room, identity: 'alice' });
    try {
      const wrong = new LiveKitSession({ mixer: new RecordingMixer(), e2ee: { sharedKey: 'wrong key entirely' } });
      await wrong.connect({ url, apiKey, apiSecret, room, identity: 'bob' });
      let tone = startTone(wrong, TONES[1]);
      await waitFor('failure reported', () => alice.e2eeStatus().participants['bob'] === 'decryption-failed');
      tone.stop();
      await wrong.disconnect();
      const right = new LiveKitSession({ mixer: new RecordingMixer(), e2ee: { sharedKey: 'correct horse battery staple' } });
      await right.connect({ url, apiKey, apiSecret, room, identity: 'bob' });
      tone = startTone(right, TONES[1]);
      try {
        await waitFor('decrypts again', () => alice.e2eeStatus().participants['bob'] === 'ok');
        await delay(1500);
        const sid = [...mixA.streams.keys()].at(-1)!;
        const heard = heardTone(mixA.last(sid, 1000), TONES);
        expect(heard.frequencyHz).toBe(1000);
        expect(heard.rms).toBeGreaterThan(1000);
      } finally {
        tone.stop();
        await right.disconnect();
      }
    } finally {
      await alice.disconnect();
    }
  });

  it('without a key, an encrypting participant is reported as needs-key and not played (it would be noise); they see not-encrypted', async () => {
    const { url, apiKey, apiSecret } = inject('livekit');
    const room = uniqueRoom('e2ee-mixed');
    const mixA = new RecordingMixer();
    const mixB = new RecordingMixer();
    const alice = new LiveKitSession({ mixer: mixA, e2ee: { sharedKey: 'correct horse battery staple' } });
    const bob = new LiveKitSession({ mixer: mixB });
    await alice.connect({ url, apiKey, apiSecret, room, identity: 'alice' });
    await bob.connect({ url, apiKey, apiSecret, room, identity: 'bob' });
    const toneA = startTone(alice, TONES[0]);
    const toneB = startTone(bob, TONES[1]);
    try {
      await waitFor('needs-key at bob', () => bob.e2eeStatus().participants['alice'] === 'needs-key');
      await waitFor('not-encrypted at alice', () => alice.e2eeStatus().participants['bob'] === 'not-encrypted');
      await waitFor('bob heard at alice', () => mixA.streams.size === 1);
      await delay(2000);
      expect(mixB.streams.size).toBe(0);
      const heard = heardTone(mixA.last([...mixA.streams.keys()][0]!, 1000), TONES);
      expect(heard.frequencyHz).toBe(1000);
      expect(heard.rms).toBeGreaterThan(1000);
      expect(bob.e2eeStatus()).toEqual({ enabled: false, local: undefined, participants: { alice: 'needs-key' } });
    } finally {
      toneA.stop();
      toneB.stop();
      await alice.disconnect();
      await bob.disconnect();
    }
  });
});
