import { MAX_VOLUME } from '@alto/orchestrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestDaemon, until } from './helpers.js';

type Started = Awaited<ReturnType<typeof startTestDaemon>>;
let t: Started;

const error = (json: unknown): { code?: string; message?: string } | undefined => (json as { error?: { code?: string; message?: string } } | undefined)?.error;

describe('control API validation from the route schemas', () => {
  beforeAll(async () => {
    t = await startTestDaemon();
    await until(() => t.factory.clients[0]?.state === 'connected', 3000, 'initial join');
  });
  afterAll(async () => {
    await t.daemon.stop();
  });

  it("checks device specs with device-io's grammar: an input-only backend as output and the reverse are refused with its message", async () => {
    const first = t.factory.latest();
    for (const body of [{ output: 'tone:440' }, { output: 'silence' }, { input: 'null' }, { input: 'tone:0' }, { input: 1.5 }, { output: '' }]) {
      const res = await call(t.base, 'PUT', '/v1/devices', { body: JSON.stringify(body) });
      expect([res.status, error(res.json)?.code], JSON.stringify(body)).toEqual([400, 'invalid_device']);
    }
    expect(error((await call(t.base, 'PUT', '/v1/devices', { body: '{"output":"tone:440"}' })).json)?.message).toMatch(/is an input/);
    // Nothing was switched.
    expect(t.factory.latest()).toBe(first);
    // Backends and 'none' are not looked up among the hardware devices.
    expect((await call(t.base, 'PUT', '/v1/devices', { body: '{"input":"tone:440","output":"none"}' })).status).toBe(200);
    expect(t.factory.latest().options).toMatchObject({ input: 'tone:440', output: false });
  });

  it("says what a field must be, with the mixer's own volume range", async () => {
    const res = await call(t.base, 'PUT', '/v1/volume', { body: JSON.stringify({ volume: MAX_VOLUME + 0.5 }) });
    expect(res.status).toBe(400);
    expect(error(res.json)).toEqual({ code: 'invalid_volume', message: `"volume" must be a number from 0 to ${MAX_VOLUME} (1 = as received), got ${MAX_VOLUME + 0.5}` });
    expect((await call(t.base, 'PUT', '/v1/volume', { body: JSON.stringify({ volume: MAX_VOLUME }) })).status).toBe(200);
  });

  it('routes only the raw path: encoded, dotted, doubled or absolute targets are unknown, and need the token first', async () => {
    for (const path of ['/v1/st%61tus', '/v1/./status', '//v1/status', 'http://localhost/v1/status', '/v1%2Fstatus']) {
      expect((await call(t.base, 'GET', path, { token: null })).status, path).toBe(401);
      expect((await call(t.base, 'GET', path)).status, path).toBe(404);
    }
  });

  it('answers HEAD only on /healthz; HEAD on the event stream opens nothing', async () => {
    expect((await call(t.base, 'HEAD', '/healthz', { token: null })).status).toBe(200);
    const head = await call(t.base, 'HEAD', '/v1/events');
    expect([head.status, head.headers.allow]).toEqual([405, 'GET']);
    expect((await t.daemon.metrics.sseClients.get()).values[0]?.value ?? 0).toBe(0);
  });
});
