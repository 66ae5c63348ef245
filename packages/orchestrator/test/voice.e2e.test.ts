import { MicFeeder, SpeakerTap, VIRTUAL_DEVICES, concatInt16, goertzelPower, sineInt16 } from '@alto/harness';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { AltoClient, createDefaultComponents, shutdownNetworkRuntime } from '../src/index.js';
import { waitFor } from './wait-for.js';

const livekit = inject('livekit');
const pulse = inject('pulse');
let roomCounter = 0;

afterAll(async () => {
  await shutdownNetworkRuntime();
});

/**
 * One call: `far` sends a 440 Hz tone; `near` plays it on the virtual speaker while the
 * virtual microphone hears the same tone at −6 dB (the echo) plus a 1 kHz near-end talker. Returns what the far end receives back
 * from `near` over the last seconds: 440 Hz (its own echo) and 1 kHz (the near-end talker).
 */
async function echoReturnedToFarEnd(echoCancellation: boolean): Promise<{ echoPower: number; nearPower: number; speakerPower: number }> {
  roomCounter += 1;
  const room = `voice-${process.pid}-${Date.now()}-${roomCounter}`;
  const base = { url: livekit.url, apiKey: livekit.apiKey, apiSecret: livekit.apiSecret, room };
  const tap = await SpeakerTap.open(pulse.speakerFifo);
  const feeder = new MicFeeder(pulse.micFifo);
  const seconds = 14;
  // tone: backends play at −6 dBFS; the echo arrives 6 dB lower. The near-end talker: 1 kHz.
  const echo = sineInt16(440, seconds * 48_000, 48_000, 0.25);
  const talker = sineInt16(1000, seconds * 48_000, 48_000, 0.1);
  for (let i = 0; i < echo.length; i++) echo[i] = (echo[i] ?? 0) + (talker[i] ?? 0);
  const received: Int16Array[] = [];
  const near = new AltoClient(
    { ...base, identity: 'near', input: VIRTUAL_DEVICES.microphone, output: VIRTUAL_DEVICES.speaker, voice: { echoCancellation } },
    createDefaultComponents({ deviceEnv: pulse.env }),
  );
  const far = new AltoClient({ ...base, identity: 'far', input: 'tone:440', output: 'null' });
  try {
    await far.connect();
    await near.connect();
    await waitFor(() => near.participants().find((p) => p.identity === 'far' && p.levelDbfs > -40), 15_000, 'the far end to be heard');
    feeder.play(echo);
    far.on('audio', (source, frame) => {
      if (source.kind === 'participant' && source.identity === 'near') received.push(Int16Array.from(frame));
    });
    const played = await tap.record(2000);
    await new Promise((r) => setTimeout(r, (seconds - 4) * 1000));
    // The last 4 s: well after the canceller converged.
    const tail = concatInt16(received.slice(-400));
    return { echoPower: goertzelPower(tail, 440, 48_000), nearPower: goertzelPower(tail, 1000, 48_000), speakerPower: goertzelPower(played, 440, 48_000) };
  } finally {
    feeder.close();
    tap.close();
    await near.disconnect();
    await far.disconnect();
  }
}

describe('voice processing through PulseAudio virtual devices and a real server', () => {
  it('the far end hears much less of its own voice back with echo cancellation on', async () => {
    const off = await echoReturnedToFarEnd(false);
    const on = await echoReturnedToFarEnd(true);
    const attenuationDb = 10 * Math.log10(off.echoPower / Math.max(on.echoPower, 1e-12));
    console.log(`echo returned to the far end: AEC off ${off.echoPower.toExponential(2)}, on ${on.echoPower.toExponential(2)} → ${attenuationDb.toFixed(1)} dB less`);
    // The far end's tone really came out of the virtual speaker in both runs.
    expect(off.speakerPower).toBeGreaterThan(1e-4);
    expect(on.speakerPower).toBeGreaterThan(1e-4);
    // Real time on a shared machine: ask for a clear drop, not the offline 20 dB.
    expect(attenuationDb).toBeGreaterThan(10);
    // …while the near-end talker still gets through (not a muted microphone).
    const nearChangeDb = 10 * Math.log10(on.nearPower / off.nearPower);
    console.log(`near-end talker at the far end: ${nearChangeDb.toFixed(1)} dB with AEC on vs off`);
    expect(nearChangeDb).toBeGreaterThan(-10);
  }, 90_000);
});
