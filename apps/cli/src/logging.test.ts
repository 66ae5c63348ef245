import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logging.js';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return { stream, lines: () => text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('writes message-first calls as pino lines with the fields', async () => {
    const { stream, lines } = capture();
    const log = createLogger({ verbose: false, destination: stream });
    log.info('joined', { room: 'demo', participants: 2 });
    await new Promise((r) => setImmediate(r));
    expect(lines()).toMatchObject([{ level: 30, msg: 'joined', room: 'demo', participants: 2 }]);
  });

  it('drops debug unless verbose', async () => {
    const quiet = capture();
    createLogger({ verbose: false, destination: quiet.stream }).debug('detail');
    const loud = capture();
    createLogger({ verbose: true, destination: loud.stream }).debug('detail');
    await new Promise((r) => setImmediate(r));
    expect(quiet.lines()).toHaveLength(0);
    expect(loud.lines()).toMatchObject([{ level: 20, msg: 'detail' }]);
  });

  it('never writes a token, secret, key or authorization, however deep', async () => {
    const { stream, lines } = capture();
    createLogger({ verbose: true, destination: stream }).warn('connect', {
      token: 'eyJhbGciOi.jwt.sig',
      config: { apiSecret: 's3cr3t', nested: { authorization: 'Bearer abc', key: 'k' }, list: [{ accessToken: 't2' }] },
      url: 'ws://x',
    });
    await new Promise((r) => setImmediate(r));
    const text = JSON.stringify(lines());
    for (const secret of ['eyJhbGciOi', 's3cr3t', 'Bearer abc', '"k"', 't2']) expect(text).not.toContain(secret);
    expect(lines()[0]).toMatchObject({ url: 'ws://x', token: '[redacted]', config: { apiSecret: '[redacted]' } });
  });

  it('removes the session’s own credential values from messages and fields', async () => {
    const { stream, lines } = capture();
    createLogger({ verbose: true, destination: stream, secrets: ['hunter2-api-secret'] }).info('signing with hunter2-api-secret', {
      detail: 'secret=hunter2-api-secret in a plain string',
    });
    await new Promise((r) => setImmediate(r));
    expect(JSON.stringify(lines())).not.toContain('hunter2-api-secret');
    expect(lines()).toHaveLength(1);
  });
});
