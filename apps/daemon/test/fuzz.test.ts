import { connect } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { participant } from './fake-client.js';
import { call, startTestDaemon, TEST_TOKEN, until } from './helpers.js';

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'FOO'];
const PATHS = [
  '/',
  '/healthz',
  '/metrics',
  '/v1',
  '/v1/status',
  '/v1/participants',
  '/v1/join',
  '/v1/leave',
  '/v1/mute',
  '/v1/unmute',
  '/v1/volume',
  '/v1/participants/alice/volume',
  '/v1/participants/alice/mute',
  '/v1/participants//volume',
  '/v1/participants/%ZZ/mute',
  '/v1/devices',
  '/v1/recording',
  '/v1/status?x=1',
  '/v1/../etc/passwd',
  '//v1//status',
];

/** A random JSON-ish body: valid bodies of the right shapes, wrong types, garbage and big strings. */
const body = fc.oneof(
  fc.constant(undefined),
  fc.json().map((j) => j),
  fc.record({ volume: fc.oneof(fc.double(), fc.integer(), fc.string(), fc.constant(null)) }).map((o) => JSON.stringify(o)),
  fc.record({ muted: fc.oneof(fc.boolean(), fc.string()) }).map((o) => JSON.stringify(o)),
  fc.record({ room: fc.string(), identity: fc.string() }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
  fc.record({ input: fc.oneof(fc.string(), fc.nat(), fc.constant(false)), output: fc.oneof(fc.string(), fc.nat(), fc.boolean()) }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
  fc.record({ path: fc.oneof(fc.string(), fc.constant('/tmp/fuzz.wav'), fc.constant('/tmp/fail.wav')) }).map((o) => JSON.stringify(o)),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a).toString('latin1')),
);

/** Routes as they exist, so that a good share of requests reaches the handlers. */
const REAL: readonly (readonly [string, string])[] = [
  ['GET', '/v1/status'],
  ['GET', '/v1/participants'],
  ['POST', '/v1/join'],
  ['POST', '/v1/leave'],
  ['POST', '/v1/mute'],
  ['POST', '/v1/unmute'],
  ['PUT', '/v1/volume'],
  ['PUT', '/v1/participants/alice/volume'],
  ['PUT', '/v1/participants/alice/mute'],
  ['GET', '/v1/devices'],
  ['PUT', '/v1/devices'],
  ['POST', '/v1/recording'],
  ['DELETE', '/v1/recording'],
  ['GET', '/metrics'],
];

const target = fc.oneof(
  fc.constantFrom(...REAL).map(([method, path]) => ({ method, path })),
  fc.record({
    method: fc.constantFrom(...METHODS),
    path: fc.oneof(fc.constantFrom(...PATHS), fc.webPath(), fc.string({ maxLength: 40 }).map((s) => `/v1/participants/${encodeURIComponent(s)}/volume`)),
  }),
);

const request = fc.record({
  target,
  auth: fc.oneof(fc.constant(TEST_TOKEN), fc.constant(TEST_TOKEN), fc.constant(TEST_TOKEN), fc.constant(null), fc.string({ maxLength: 40 })),
  contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'APPLICATION/JSON', ''),
  extraHeaders: fc.dictionary(
    fc.stringMatching(/^x-[a-z]{1,10}$/),
    fc.stringMatching(/^[\x20-\x7e]{0,40}$/),
    { maxKeys: 3 },
  ),
  body,
});

describe('fuzzing the control API', () => {
  it('answers 1000 random requests without a 5xx and keeps serving /healthz and the client', async () => {
    const t = await startTestDaemon();
    try {
      await until(() => t.factory.clients[0]?.state === 'connected');
      t.factory.latest().people = [participant('alice')];
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          // /v1/events keeps the response open; the SSE tests cover it.
          const headers: Record<string, string> = { ...r.extraHeaders };
          if (r.contentType !== '') headers['content-type'] = r.contentType;
          const { method, path } = r.target;
          if (path.startsWith('/v1/events')) return;
          const res = await call(t.base, method, path, {
            token: r.auth,
            headers,
            ...(r.body !== undefined && method !== 'GET' && method !== 'HEAD' ? { body: r.body } : {}),
          });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect(res.status, `${method} ${path} ${String(r.body)}`).toBeLessThan(500);
          expect(res.status).toBeGreaterThanOrEqual(200);
        }),
        { numRuns: 1000 },
      );
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
