import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { participant } from './fake-client.js';
import { fuzzDaemon } from './fuzz-requests.js';
import { call, startTestDaemon, TEST_RECORDINGS_DIR, TEST_TOKEN, until } from './helpers.js';

describe('fuzzing the control API', () => {
  it('answers 1000 random requests without a 5xx and keeps serving /healthz and joins', async () => {
    const t = await startTestDaemon();
    try {
      await until(() => t.factory.clients[0]?.state === 'connected');
      t.factory.latest().people = [participant('alice')];
      const recording = join(TEST_RECORDINGS_DIR, 'fuzz.wav');
      const statuses = await fuzzDaemon(t.base, TEST_TOKEN, recording, 1000);
      // The run exercised real handlers, not only auth failures.
      expect(statuses.get(200) ?? 0).toBeGreaterThan(20);
      expect(statuses.get(401) ?? 0).toBeGreaterThan(20);
      expect((statuses.get(400) ?? 0) + (statuses.get(404) ?? 0)).toBeGreaterThan(20);
      expect((await call(t.base, 'GET', '/healthz', { token: null })).status).toBe(200);
      // Whatever the fuzz left behind (left, other room, muted), the daemon still joins on request.
      const joined = await call(t.base, 'POST', '/v1/join', { body: '{"room":"after-fuzz"}' });
      expect(joined.status).toBe(200);
      expect(joined.json).toMatchObject({ state: 'connected', room: 'after-fuzz' });
      const url = new URL(t.base);
      // Raw garbage on the socket gets a 4xx from node:http, and the server survives it.
      const reply = await new Promise<string>((resolve) => {
        const socket = connect(Number(url.port), url.hostname, () => socket.write('\x00\x01 NOT HTTP\r\n\r\n'));
        let data = '';
        socket.on('data', (d) => (data += d.toString()));
        socket.on('close', () => resolve(data));
        socket.on('error', () => resolve(data));
      });
      expect(reply).toMatch(/^HTTP\/1\.1 4\d\d/);
      expect((await call(t.base, 'GET', '/healthz', { token: null })).status).toBe(200);
    } finally {
      await t.daemon.stop();
    }
  }, 120_000);
});
