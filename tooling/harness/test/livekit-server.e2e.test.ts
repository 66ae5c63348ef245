import { AudioSource, LocalAudioTrack, Room, TrackPublishOptions, TrackSource, dispose } from '@livekit/rtc-node';
import { AccessToken } from 'livekit-server-sdk';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startLivekitServer } from '../src/livekit-server.js';

async function token(apiKey: string, apiSecret: string, room: string, identity: string): Promise<string> {
  const at = new AccessToken(apiKey, apiSecret, { identity, ttl: '10m' });
  at.addGrant({ room, roomJoin: true, canPublish: true, canSubscribe: true });
  return at.toJwt();
}

describe('livekit-server harness', () => {
  afterAll(async () => {
    await Promise.race([dispose(), new Promise((r) => setTimeout(r, 3000))]);
  });

  it('lets a Room connect with a token minted from the dev key and see another participant', async () => {
    const { url, apiKey, apiSecret } = inject('livekit');
    const roomName = `smoke-${Date.now()}`;
    const alice = new Room();
    const bob = new Room();
    await alice.connect(url, await token(apiKey, apiSecret, roomName, 'alice'), { autoSubscribe: true, dynacast: false });
    await bob.connect(url, await token(apiKey, apiSecret, roomName, 'bob'), { autoSubscribe: true, dynacast: false });
    try {
      expect(alice.isConnected).toBe(true);
      expect(alice.name).toBe(roomName);
      const seen = await new Promise<string>((resolve, reject) => {
        const existing = [...alice.remoteParticipants.values()].map((p) => p.identity);
        if (existing.includes('bob')) return resolve('bob');
        const timer = setTimeout(() => reject(new Error('bob never appeared')), 5000);
        alice.on('participantConnected', (p) => {
          clearTimeout(timer);
          resolve(p.identity);
        });
      });
      expect(seen).toBe('bob');
      const source = new AudioSource(48_000, 1);
      const track = LocalAudioTrack.createAudioTrack('mic', source);
      const options = new TrackPublishOptions();
      options.source = TrackSource.SOURCE_MICROPHONE;
      const publication = await bob.localParticipant!.publishTrack(track, options);
      expect(publication.sid).toMatch(/^TR_/);
      await track.close();
    } finally {
      await bob.disconnect();
      await alice.disconnect();
    }
  });

  it('rejects a token signed with the wrong secret', async () => {
    const { url, apiKey } = inject('livekit');
    const room = new Room();
    const bad = await token(apiKey, 'not-the-secret-not-the-secret-000000', `smoke-bad-${Date.now()}`, 'mallory');
    await expect(room.connect(url, bad, { autoSubscribe: false, dynacast: false })).rejects.toThrow();
    expect(room.isConnected).toBe(false);
  });

  it('restarts on the same port after being killed', async () => {
    const server = await startLivekitServer();
    try {
      const firstPid = server.pid;
      server.signal('SIGKILL');
      await server.restart();
      expect(server.pid).toBeDefined();
      expect(server.pid).not.toBe(firstPid);
      const response = await fetch(server.httpUrl);
      expect(response.ok).toBe(true);
    } finally {
      await server.stop();
    }
  });
});
