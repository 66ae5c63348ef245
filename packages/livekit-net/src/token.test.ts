import { describe, expect, it } from 'vitest';
import { InvalidOptionsError } from './errors.js';
import { mintToken } from './token.js';

function claims(jwt: string): Record<string, unknown> & { video: Record<string, unknown>; exp: number; nbf: number } {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as ReturnType<typeof claims>;
}

describe('mintToken', () => {
  const base = { apiKey: 'devkey', apiSecret: 's'.repeat(40), room: 'r1', identity: 'alice' };

  it('grants only joining that room, microphone publishing, subscribing and data, with a TTL', async () => {
    const c = claims(await mintToken({ ...base, name: 'Alice', ttlSeconds: 600 }));
    expect(c['sub']).toBe('alice');
    expect(c['name']).toBe('Alice');
    expect(c.exp - c.nbf).toBe(600);
    expect(c.video).toEqual({
      room: 'r1',
      roomJoin: true,
      canPublish: true,
      canSubscribe: true,
      canPublishData: true,
      canPublishSources: ['microphone'],
    });
  });

  it('issues a listen-only token when publishing is off', async () => {
    const c = claims(await mintToken({ ...base, canPublish: false }));
    expect(c.video['canPublish']).toBe(false);
    expect(c.video['canPublishSources']).toBeUndefined();
    expect(c.exp - c.nbf).toBe(6 * 3600);
  });

  it('refuses missing credentials, room or identity and a non-positive TTL', async () => {
    await expect(mintToken({ ...base, apiSecret: '' })).rejects.toThrow(InvalidOptionsError);
    await expect(mintToken({ ...base, room: '' })).rejects.toThrow(InvalidOptionsError);
    await expect(mintToken({ ...base, ttlSeconds: 0 })).rejects.toThrow(InvalidOptionsError);
  });

  it('dispatches agents through the room configuration, and refuses an empty agent name', async () => {
    const c = claims(await mintToken({ ...base, agents: ['helper'] }));
    expect(c['roomConfig']).toMatchObject({ agents: [{ agentName: 'helper' }] });
    expect(claims(await mintToken(base))['roomConfig']).toBeUndefined();
    await expect(mintToken({ ...base, agents: [' '] })).rejects.toThrow(InvalidOptionsError);
  });
});
