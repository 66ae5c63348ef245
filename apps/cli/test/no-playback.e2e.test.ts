import {
  AudioFrame,
  AudioSource,
  dispose,
  LocalAudioTrack,
  Room,
  RoomEvent,
  TrackPublishOptions,
  TrackSource,
} from '@livekit/rtc-node';
import { sineInt16 } from '@alto/harness';
import { AccessToken, RoomServiceClient, TrackType } from 'livekit-server-sdk';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startAlto, type AltoProcess } from './alto-process.js';

const livekit = inject('livekit');
const env = {
  LIVEKIT_URL: livekit.url,
  LIVEKIT_API_KEY: livekit.apiKey,
  LIVEKIT_API_SECRET: livekit.apiSecret,
};
const rooms = new RoomServiceClient(
  livekit.url.replace('ws://', 'http://'),
  livekit.apiKey,
  livekit.apiSecret,
);

afterAll(async () => {
  await Promise.race([dispose(), new Promise((r) => setTimeout(r, 3000).unref())]);
});

/**
 * A participant that publishes a tone and counts the server's notices that someone subscribed
 * to it (the server signals a publisher when its track gets its first subscriber).
 */
async function joinPublisher(
  room: string,
): Promise<{ firstSubscribedAt: () => number | undefined; leave: () => Promise<void> }> {
  const token = new AccessToken(livekit.apiKey, livekit.apiSecret, { identity: 'publisher' });
  token.addGrant({ roomJoin: true, room, canPublish: true, canSubscribe: true });
  const lk = new Room();
  let subscribedAt: number | undefined;
  lk.on(RoomEvent.LocalTrackSubscribed, () => (subscribedAt ??= Date.now()));
  await lk.connect(livekit.url, await token.toJwt(), { autoSubscribe: false, dynacast: false });
  const source = new AudioSource(48_000, 1);
  const track = LocalAudioTrack.createAudioTrack('tone', source);
  const options = new TrackPublishOptions();
  options.source = TrackSource.SOURCE_MICROPHONE;
  await lk.localParticipant!.publishTrack(track, options);
  const tone = sineInt16(660, 480, 48_000, 0.3);
  let sending = Promise.resolve();
  const timer = setInterval(() => {
    // AudioFrame reads its Int16Array from offset 0 of its buffer: a fresh copy per frame.
    sending = sending
      .then(() => source.captureFrame(new AudioFrame(new Int16Array(tone), 48_000, 1, 480)))
      .catch(() => {});
  }, 10);
  return {
    firstSubscribedAt: () => subscribedAt,
    leave: async () => {
      clearInterval(timer);
      await sending;
      await track.close();
      await lk.disconnect();
    },
  };
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function publishedAudioTracks(room: string, identity: string): Promise<number | undefined> {
  const participants = await rooms.listParticipants(room);
  const p = participants.find((x) => x.identity === identity);
  const audio = p?.tracks.filter((t) => t.type === TrackType.AUDIO).length ?? 0;
  return audio > 0 ? audio : undefined;
}

describe('alto --no-playback', () => {
  it('publishes its microphone and subscribes to nothing, while a normal client subscribes (as the server reports it)', async () => {
    const room = `cli-no-playback-${Date.now()}`;
    const publisher = await joinPublisher(room);
    let quiet: AltoProcess | undefined;
    let listener: AltoProcess | undefined;
    try {
      quiet = startAlto(
        ['--room-name', room, '--identity', 'quiet', '-i', 'tone:440', '--no-playback', '--no-tui'],
        env,
      );
      await quiet.waitForLine(/^connected$/);
      const quietConnectedAt = Date.now();
      // The server has its microphone track.
      expect(
        await until("the server to list quiet's microphone", () =>
          publishedAudioTracks(room, 'quiet'),
        ),
      ).toBe(1);
      // Give an automatic subscription ample time to happen: it takes well under a second here.
      await new Promise((r) => setTimeout(r, 4000));
      expect(publisher.firstSubscribedAt()).toBeUndefined();

      // The control: an ordinary client in the same room subscribes, and the server says so.
      listener = startAlto(
        ['--room-name', room, '--identity', 'listener', '--listen-only', '-o', 'null', '--no-tui'],
        env,
      );
      await listener.waitForLine(/^connected$/);
      const listenerConnectedAt = Date.now();
      const subscribedAt = await until("the listener's subscription", () =>
        publisher.firstSubscribedAt(),
      );
      // The quiet client had longer, and was never reported.
      expect(subscribedAt - listenerConnectedAt).toBeLessThan(
        listenerConnectedAt - quietConnectedAt,
      );
    } finally {
      quiet?.child.kill('SIGINT');
      listener?.child.kill('SIGINT');
      await publisher.leave();
    }
    expect(await quiet?.exited).toBe(0);
    expect(await listener?.exited).toBe(0);
  }, 90_000);
});
