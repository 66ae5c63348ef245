import { TokenVerifier } from 'livekit-server-sdk';
import { describe, expect, it } from 'vitest';
import { main } from './cli.js';

const SECRET = 'a-secret-long-enough-for-hs256-signing';
const ENV = { LIVEKIT_API_KEY: 'devkey', LIVEKIT_API_SECRET: SECRET };

/** Runs `alto token …` through the CLI's entry point and returns the JWT it prints. */
async function token(args: string[]): Promise<string> {
  let out = '';
  let err = '';
  const code = await main(['token', ...args], {
    env: ENV,
    cwd: process.cwd(),
    stdoutIsTTY: false,
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
  });
  expect(err).toBe('');
  expect(code).toBe(0);
  return out.trim();
}

describe('alto token', () => {
  it('signs a token that grants joining the room as the identity for the ttl, publishing the microphone only', async () => {
    const jwt = await token([
      '--room',
      'demo',
      '--identity',
      'bot',
      '--name',
      'Demo Bot',
      '--ttl',
      '600',
    ]);
    const claims = await new TokenVerifier('devkey', SECRET).verify(jwt);
    expect(claims.sub).toBe('bot');
    expect(claims.name).toBe('Demo Bot');
    expect(claims.video).toMatchObject({
      roomJoin: true,
      room: 'demo',
      canPublish: true,
      canSubscribe: true,
      canPublishSources: ['microphone'],
    });
    expect((claims.exp ?? 0) - (claims.nbf ?? 0)).toBe(600);
  });

  it('narrows the grants with --can-publish=false, --can-subscribe=false and --can-publish-data=false', async () => {
    const jwt = await token([
      '--room',
      'r',
      '--identity',
      'i',
      '--can-publish=false',
      '--can-subscribe=false',
      '--can-publish-data',
      'false',
    ]);
    const claims = await new TokenVerifier('devkey', SECRET).verify(jwt);
    expect(claims.video).toMatchObject({
      canPublish: false,
      canSubscribe: false,
      canPublishData: false,
    });
    expect(claims.video?.canPublishSources).toBeUndefined();
  });

  it('produces a token another secret rejects', async () => {
    const jwt = await token(['--room', 'r', '--identity', 'i', '--ttl', '60']);
    await expect(
      new TokenVerifier('devkey', 'another-secret-long-enough-for-hs256').verify(jwt),
    ).rejects.toThrow();
  });
});
