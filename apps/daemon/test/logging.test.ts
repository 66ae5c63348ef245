import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '@alto/orchestrator';
import { createLogging } from '../src/logging.js';
import { DAEMON_BACKOFF } from '../src/supervisor.js';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('logging', () => {
  it('writes JSON lines and never the credentials, whatever field or message carries them', () => {
    const out = capture();
    const logging = createLogging({ level: 'debug', destination: out.stream });
    logging.addSecret('the-api-secret-value');
    logging.addSecret('the-bearer-token-value');
    logging.logger.info('connecting', { url: 'wss://h/rtc?access_token=abc.def.ghi', apiSecret: 'the-api-secret-value' });
    logging.logger.warn('failed', { err: 'server said the-bearer-token-value is bad', nested: { token: 'x', headers: { authorization: 'Bearer y' } } });
    logging.logger.error('jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl in message');
    const lines = out.text().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ level: 30, msg: 'connecting', app: 'altod' });
    const text = out.text();
    for (const leaked of ['the-api-secret-value', 'the-bearer-token-value', 'abc.def.ghi', 'eyJhbGciOiJIUzI1NiJ9', 'Bearer y']) {
      expect(text).not.toContain(leaked);
    }
    expect(text).toContain('[redacted]');
  });

  it('honours the level and changes it on reload', () => {
    const out = capture();
    const logging = createLogging({ level: 'warn', destination: out.stream });
    logging.logger.info('hidden');
    logging.setLevel('info');
    logging.logger.info('shown');
    expect(out.text()).not.toContain('hidden');
    expect(out.text()).toContain('shown');
  });
});

describe('reconnect backoff', () => {
  it('grows exponentially, caps at 30 s and keeps jitter within half of the step', () => {
    expect(backoffDelayMs(0, DAEMON_BACKOFF, () => 0)).toBe(250);
    expect(backoffDelayMs(0, DAEMON_BACKOFF, () => 0.999999)).toBe(500);
    expect(backoffDelayMs(3, DAEMON_BACKOFF, () => 0.5)).toBe(3000);
    expect(backoffDelayMs(100, DAEMON_BACKOFF, () => 0.999999)).toBe(30_000);
    for (let attempt = 0; attempt < 20; attempt++) {
      const d = backoffDelayMs(attempt, DAEMON_BACKOFF);
      expect(d).toBeGreaterThanOrEqual(250);
      expect(d).toBeLessThanOrEqual(30_000);
    }
  });
});
