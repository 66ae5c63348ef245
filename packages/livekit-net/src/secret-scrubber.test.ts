import { describe, expect, it } from 'vitest';
import { scrubSecrets } from './secret-scrubber.js';

describe('scrubSecrets', () => {
  it('redacts every secret-looking field name, however deep', () => {
    const scrubbed = scrubSecrets({
      token: 'eyJhbGciOi.jwt.sig',
      accessToken: 't2',
      config: {
        apiSecret: 's3cr3t',
        apiKey: 'APIkey1',
        api_key: 'APIkey2',
        nested: { authorization: 'Bearer abc', key: 'k', password: 'hunter2', e2eeKey: 'shared', cookie: 'sid=1' },
        list: [{ accessToken: 't3' }, { Authorization: 'Basic x' }],
      },
      url: 'ws://x',
      keyboard: 'qwerty',
    });
    const text = JSON.stringify(scrubbed);
    for (const secret of ['eyJhbGciOi', 's3cr3t', 'APIkey1', 'APIkey2', 'Bearer abc', '"k"', 'hunter2', 'shared', 'sid=1', 't2', 't3', 'Basic x']) {
      expect(text).not.toContain(secret);
    }
    expect(scrubbed).toMatchObject({ url: 'ws://x', keyboard: 'qwerty', token: '[redacted]', config: { apiSecret: '[redacted]' } });
  });

  it('removes JWTs, access_token query values and known secrets from strings', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    expect(scrubSecrets(`jwt ${jwt} in message`)).toBe('jwt [redacted] in message');
    expect(scrubSecrets({ url: 'wss://h/rtc?access_token=abc.def.ghi&auto_subscribe=1' })).toEqual({
      url: 'wss://h/rtc?access_token=[redacted]&auto_subscribe=1',
    });
    expect(scrubSecrets({ err: 'server said the-bearer-token-value is bad' }, ['the-bearer-token-value'])).toEqual({
      err: 'server said [redacted] is bad',
    });
    // Too short to search for: would redact by chance.
    expect(scrubSecrets('abc abc', ['abc'])).toBe('abc abc');
  });

  it('turns errors into plain fields, scrubbed', () => {
    expect(scrubSecrets(new Error('key s3cr3t-value'), ['s3cr3t-value'])).toEqual({ type: 'Error', message: 'key [redacted]', code: undefined });
  });

  it('logs what room peers wrote without C1 controls or bidi overrides', () => {
    expect(scrubSecrets({ identity: 'mallory\u009b2J\u202eevil\x1b]0;x\x07' })).toEqual({ identity: 'mallory 2Jevil ]0;x ' });
  });

  it('survives cycles and typed arrays, and cuts very deep objects', () => {
    const a: Record<string, unknown> = { name: 'a', samples: new Int16Array(4) };
    a.self = a;
    expect(scrubSecrets(a)).toEqual({ name: 'a', samples: '[Int16Array 8 bytes]', self: '[…]' });
    let deep: Record<string, unknown> = { token: 'x' };
    for (let i = 0; i < 10; i++) deep = { inner: deep };
    expect(JSON.stringify(scrubSecrets(deep))).not.toContain('"x"');
  });
});
