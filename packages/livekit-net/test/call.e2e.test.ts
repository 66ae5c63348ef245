import { AudioMixer } from '@alto/mixer-core';
import { concatInt16 } from '@alto/harness';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { configureSdkLogging, LiveKitSession, shutdownLiveKit, type TrackMuteEvent, type TranscriptionEvent } from '../src/index.js';
import { RecordingMixer, delay, heardTone, startTone, uniqueRoom, waitFor } from './helpers.js';

configureSdkLogging();
const TONES = [440, 1000] as const;

function join(room: string, identity: string, mixer: RecordingMixer | AudioMixer): Promise<LiveKitSession> {
  const { url, apiKey, apiSecret } = inject('livekit');
  const session = new LiveKitSession({ mixer });
  return session.connect({ url, apiKey, apiSecret, room, identity, name: `${identity} name` }).then(() => session);
}

describe('a call between two sessions', () => {
  afterAll(async () => {
    await shutdownLiveKit(3000);
  });

  it('announces everyone already in the room on joining, once each, with display names', async () => {
    const room = uniqueRoom('present');
    const { url, apiKey, apiSecret } = inject('livekit');
    const alice = await join(room, 'alice', new RecordingMixer());
    const bob = await join(room, 'bob', new RecordingMixer());
    const late = new LiveKitSession({ mixer: new RecordingMixer(), microphone: false });
    const seen: string[] = [];
    late.on('participantJoined', (p) => seen.push(`joined ${p.identity} (${p.name ?? ''})`));
    late.on('participantLeft', (p) => seen.push(`left ${p.identity}`));
    try {
      await late.connect({ url, apiKey, apiSecret, room, identity: 'late' });
      expect(seen.sort()).toEqual(['joined alice (alice name)', 'joined bob (bob name)']);
      await bob.disconnect();
      await waitFor('bob gone', () => seen.includes('left bob'));
      await delay(500);
      expect(seen.filter((l) => l.includes('bob'))).toEqual(['joined bob (bob name)', 'left bob']);
    } finally {
      await late.disconnect();
      await alice.disconnect();
      await bob.disconnect();
    }
  });

  it('each side hears the other tone in its own mixer stream, never its own; a third joins and leaves', async () => {
    const room = uniqueRoom('call');
    const mixA = new RecordingMixer();
    const mixB = new RecordingMixer();
    const alice = await join(room, 'alice', mixA);
    const bob = await join(room, 'bob', mixB);
    const toneA = startTone(alice, TONES[0]);
    const toneB = startTone(bob, TONES[1]);
    try {
      await waitFor('both streams', () => mixA.streams.size === 1 && mixB.streams.size === 1);
      const [sidOfBobAtAlice, recA] = [...mixA.streams][0]!;
      const [sidOfAliceAtBob, recB] = [...mixB.streams][0]!;
      expect(recA.label).toBe('bob name (bob)');
      expect(recB.label).toBe('alice name (alice)');
      expect(sidOfBobAtAlice).toBe(bob.getMetrics().microphone?.trackSid);
      expect(sidOfAliceAtBob).toBe(alice.getMetrics().microphone?.trackSid);
      await delay(2000);
      const atAlice = heardTone(mixA.last(sidOfBobAtAlice, 1000), TONES);
      const atBob = heardTone(mixB.last(sidOfAliceAtBob, 1000), TONES);
      expect(atAlice.frequencyHz).toBe(1000);
      expect(atAlice.marginDb).toBeGreaterThan(10);
      expect(atBob.frequencyHz).toBe(440);
      expect(atBob.marginDb).toBeGreaterThan(10);

      const metrics = alice.getMetrics();
      expect(metrics.microphone!.framesSent).toBeGreaterThan(100);
      const bobAtAlice = metrics.participants.find((p) => p.identity === 'bob')!;
      expect(bobAtAlice.framesReceived).toBeGreaterThan(100);
      expect(bobAtAlice.bytesReceived).toBe(bobAtAlice.framesReceived * 960);
      expect(bobAtAlice.mixer[0]?.id).toBe(sidOfBobAtAlice);

      // A third participant adds a stream on both sides and takes it away when leaving.
      const left: string[] = [];
      alice.on('participantLeft', (p) => left.push(p.identity));
      const carol = await join(room, 'carol', new RecordingMixer());
      const toneC = startTone(carol, 700);
      await waitFor('carol stream at alice', () => mixA.streams.size === 2 && mixB.streams.size === 2);
      expect(alice.remoteAudioStreams().map((s) => s.participantIdentity).sort()).toEqual(['bob', 'carol']);
      toneC.stop();
      await carol.disconnect();
      await waitFor('carol stream removed', () => mixA.streams.size === 1 && mixB.streams.size === 1);
      expect(mixA.hasStream(sidOfBobAtAlice)).toBe(true);
      await waitFor('participantLeft', () => left.includes('carol'));
    } finally {
      toneA.stop();
      toneB.stop();
      await alice.disconnect();
      await bob.disconnect();
    }
    expect(mixA.streams.size).toBe(0);
    expect(alice.state).toBe('disconnected');
  });

  it('a mute is seen by the other side and silence follows; unmute brings the tone back', async () => {
    const room = uniqueRoom('mute');
    const mixB = new RecordingMixer();
    const alice = await join(room, 'alice', new RecordingMixer());
    const bob = await join(room, 'bob', mixB);
    const tone = startTone(alice, 440);
    const muted: TrackMuteEvent[] = [];
    const unmuted: TrackMuteEvent[] = [];
    bob.on('trackMuted', (e) => muted.push(e));
    bob.on('trackUnmuted', (e) => unmuted.push(e));
    try {
      await waitFor('alice stream at bob', () => mixB.streams.size === 1);
      const sid = [...mixB.streams.keys()][0]!;
      await delay(1500);
      expect(heardTone(mixB.last(sid, 500), TONES).frequencyHz).toBe(440);

      alice.setMicrophoneMuted(true);
      expect(alice.microphoneMuted).toBe(true);
      await waitFor('trackMuted at bob', () => muted.length > 0);
      expect(muted[0]).toMatchObject({ participantIdentity: 'alice', trackSid: sid, local: false });
      await delay(500);
      const mark = mixB.mark(sid);
      await delay(1000);
      const afterMute = heardTone(mixB.since(sid, mark), TONES);
      expect(afterMute.rms).toBeLessThan(50);

      alice.setMicrophoneMuted(false);
      await waitFor('trackUnmuted at bob', () => unmuted.length > 0);
      await delay(1500);
      const afterUnmute = heardTone(mixB.last(sid, 500), TONES);
      expect(afterUnmute.frequencyHz).toBe(440);
      expect(afterUnmute.rms).toBeGreaterThan(1000);
    } finally {
      tone.stop();
      await alice.disconnect();
      await bob.disconnect();
    }
  });

  it('delivers transcription text streams, lk.chat messages and data messages as events', async () => {
    const room = uniqueRoom('events');
    const alice = await join(room, 'alice', new RecordingMixer());
    const bob = await join(room, 'bob', new RecordingMixer());
    const transcripts: TranscriptionEvent[] = [];
    const data: string[] = [];
    bob.on('transcription', (e) => transcripts.push(e));
    bob.on('data', (e) => data.push(`${e.participantIdentity}/${e.topic}/${new TextDecoder().decode(e.payload)}`));
    try {
      await waitFor('alice visible to bob', () => bob.participants().some((p) => p.identity === 'alice'));
      await alice.room!.localParticipant!.sendText('hello there', {
        topic: 'lk.transcription',
        attributes: { 'lk.segment_id': 'SG_1', 'lk.transcription_final': 'true', 'lk.transcribed_track_id': 'TR_x' },
      });
      await alice.sendData('ping', { topic: 'chat' });
      const chats: string[] = [];
      bob.on('chat', (e) => chats.push(`${e.participantIdentity}/${e.text}`));
      await alice.sendChat('hi agent');
      await waitFor('transcription, data and chat', () => transcripts.some((t) => t.complete) && data.length > 0 && chats.length > 0);
      // Updates while the stream is open, then the whole text when it ends.
      expect(transcripts.at(-1)).toEqual({ participantIdentity: 'alice', segmentId: 'SG_1', trackSid: 'TR_x', text: 'hello there', final: true, complete: true });
      expect(transcripts.slice(0, -1).every((t) => !t.complete)).toBe(true);
      expect(data[0]).toBe('alice/chat/ping');
      expect(chats).toEqual(['alice/hi agent']);
    } finally {
      await alice.disconnect();
      await bob.disconnect();
    }
  });

  it('plays a remote participant through the real AudioMixer and reports its buffer and level', async () => {
    const room = uniqueRoom('mixer');
    const mixer = new AudioMixer({ sampleRate: 48_000, channels: 1 });
    const alice = await join(room, 'alice', new RecordingMixer());
    const bob = await join(room, 'bob', mixer);
    const tone = startTone(alice, 440);
    const played: Int16Array[] = [];
    // Stands in for the output device: pulls one 10 ms block every 10 ms.
    const output = setInterval(() => played.push(mixer.getAudioData(480)), 10);
    try {
      await waitFor('alice stream in the mixer', () => mixer.streamIds().length === 1);
      await delay(2000);
      const lastSecond = concatInt16(played.slice(-100));
      const heard = heardTone(lastSecond, TONES);
      expect(heard.frequencyHz).toBe(440);
      expect(heard.rms).toBeGreaterThan(1000);
      const aliceAtBob = bob.getMetrics().participants.find((p) => p.identity === 'alice')!;
      expect(aliceAtBob.mixer[0]?.label).toBe('alice name (alice)');
      expect(aliceAtBob.mixer[0]?.level.rmsDbfs).toBeGreaterThan(-30);
      expect(aliceAtBob.mixer[0]?.framesIn).toBeGreaterThan(48_000);
    } finally {
      clearInterval(output);
      tone.stop();
      await alice.disconnect();
      await bob.disconnect();
    }
    expect(mixer.streamIds()).toHaveLength(0);
  });
});
