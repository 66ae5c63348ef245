import fc from 'fast-check';

// The fuzz load of the control API: the fuzz tests send it, and so does the HTTP benchmark.

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
  '//',
];

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

/** Random requests: real routes and made-up ones, good and bad tokens, bodies and headers. */
export function requestArbitrary(token: string, recordingPath: string) {
  const body = fc.oneof(
    fc.constant(undefined),
    fc.json(),
    fc.record({ volume: fc.oneof(fc.double({ min: 0, max: 2, noNaN: true }), fc.double(), fc.integer(), fc.string(), fc.constant(null)) }).map((o) => JSON.stringify(o)),
    fc.record({ muted: fc.oneof(fc.boolean(), fc.string()) }).map((o) => JSON.stringify(o)),
    fc.record({ room: fc.string(), identity: fc.string() }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
    fc
      .record({ input: fc.oneof(fc.string(), fc.nat(), fc.constant(false)), output: fc.oneof(fc.string(), fc.nat(), fc.boolean()) }, { requiredKeys: [] })
      .map((o) => JSON.stringify(o)),
    fc.record({ path: fc.oneof(fc.string(), fc.constant(recordingPath), fc.constant('/tmp/fail.wav')) }).map((o) => JSON.stringify(o)),
    fc.string({ maxLength: 200 }),
    fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a).toString('latin1')),
  );
  const target = fc.oneof(
    fc.constantFrom(...REAL).map(([method, path]) => ({ method, path })),
    fc.record({
      method: fc.constantFrom(...METHODS),
      path: fc.oneof(
        fc.constantFrom(...PATHS),
        fc.webPath(),
        fc.string({ maxLength: 40 }).map((s) => `/v1/participants/${encodeURIComponent(s)}/volume`),
      ),
    }),
  );
  return fc.record({
    target,
    auth: fc.oneof(fc.constant(token), fc.constant(token), fc.constant(token), fc.constant(null), fc.string({ maxLength: 40 })),
    contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'APPLICATION/JSON', ''),
    extraHeaders: fc.dictionary(fc.stringMatching(/^x-[a-z]{1,10}$/), fc.stringMatching(/^[\x20-\x7e]{0,40}$/), { maxKeys: 3 }),
    body,
  });
}
