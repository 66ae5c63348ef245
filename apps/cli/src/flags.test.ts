import { describe, expect, it } from 'vitest';
import { secretFlagWarnings } from './flags.js';

describe('secretFlagWarnings', () => {
  it('warns once per secret given as a flag, without printing the secret', () => {
    const warnings = secretFlagWarnings(['--url', 'ws://x', '--api-secret', 'S3CRET', '--token=T0KEN', '--token-file', 'f']);
    expect(warnings).toEqual([
      'alto: warning: --api-secret is visible to every local user (ps); use --api-secret-file FILE or LIVEKIT_API_SECRET instead',
      'alto: warning: --token is visible to every local user (ps); use --token-file FILE or LIVEKIT_TOKEN instead',
    ]);
    expect(warnings.join('\n')).not.toMatch(/S3CRET|T0KEN/);
  });

  it('says nothing for the file flags and the environment', () => {
    expect(secretFlagWarnings(['--api-secret-file', 'a', '--token-file', 'b', '--', '--token'])).toEqual([]);
  });
});
