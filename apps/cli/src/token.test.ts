import { TokenVerifier } from 'livekit-server-sdk';
import { describe, expect, it } from 'vitest';
import { mintToken } from './token.js';

describe('mintToken', () => {
  it('signs a token that grants joining the room as the identity for the ttl', async () => {
    const secret = 'a-secret-long-enough-for-hs256-signing';
    const jwt = await mintToken({ apiKey: 'devkey', apiSecret: secret, room: 'demo', identity: 'bot', name: 'Demo Bot', ttlSec: 600 });
    const claims = await new TokenVerifier('devkey', secret).verify(jwt);
    expect(claims.sub).toBe('bot');
    expect(claims.name).toBe('Demo Bot');
    expect(claims.video).toMatchObject({ roomJoin: true, room: 'demo', canPublish: true, canSubscribe: true });
    expect((claims.exp ?? 0) - (claims.nbf ?? 0)).toBe(600);
  });

  it('produces a token another secret rejects', async () => {
    const jwt = await mintToken({ apiKey: 'devkey', apiSecret: 'a-secret-long-enough-for-hs256-signing', room: 'r', identity: 'i', name: undefined, ttlSec: 60 });
    await expect(new TokenVerifier('devkey', 'another-secret-long-enough-for-hs256').verify(jwt)).rejects.toThrow();
  });
});
