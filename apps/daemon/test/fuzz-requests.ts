import fc from 'fast-check';
import { expect } from 'vitest';
import { requestArbitrary } from './fuzz-arbitrary.js';
import { call } from './helpers.js';

export { requestArbitrary };

/**
 * Sends `numRuns` random requests to the daemon at `base`, asserting each answer is 2xx–4xx.
 * Returns how many answers each status got.
 */
export async function fuzzDaemon(base: string, token: string, recordingPath: string, numRuns: number): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(requestArbitrary(token, recordingPath), async (r) => {
      const { method, path } = r.target;
      // /v1/events keeps the response open; the SSE tests cover it.
      if (path.startsWith('/v1/events')) return;
      const headers: Record<string, string> = { ...r.extraHeaders };
      if (r.contentType !== '') headers['content-type'] = r.contentType;
      const res = await call(base, method, path, {
        token: r.auth,
        headers,
        ...(r.body !== undefined && method !== 'GET' && method !== 'HEAD' ? { body: r.body } : {}),
      });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect(res.status, `${method} ${path} ${String(r.body)}`).toBeLessThan(500);
      expect(res.status).toBeGreaterThanOrEqual(200);
    }),
    { numRuns },
  );
  return statuses;
}
