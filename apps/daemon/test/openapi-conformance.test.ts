import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../src/http-io.js';
import { participant } from './fake-client.js';
import { call, startTestDaemon, TEST_TOKEN, until, type CallResult } from './helpers.js';

// The committed openapi.json checked against the running daemon: every documented operation
// answers with a documented status and a body its schema accepts, and nothing else answers.

interface Operation {
  operationId: string;
  security?: unknown[];
  requestBody?: { required?: boolean; content: Record<string, { example?: unknown }> };
  responses: Record<string, { content?: Record<string, unknown> }>;
}

const DOC_ID = 'https://alto.invalid/openapi.json';
const doc = JSON.parse(readFileSync(new URL('../openapi.json', import.meta.url), 'utf8')) as { paths: Record<string, Record<string, Operation>> };
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema({ ...doc, $id: DOC_ID });

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];
const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => ({ path, method: method.toUpperCase(), op, target: path.replace('{identity}', 'alice') })),
);
const templates = Object.keys(doc.paths).map((path) => new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`));

const pointer = (...parts: string[]): string => `#/${parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

/** Checks one answer against the document: the status is listed and the body fits its schema. */
function expectDocumented(path: string, method: string, res: CallResult): void {
  const what = `${method} ${path} → ${res.status} ${res.text.slice(0, 200)}`;
  const documented = doc.paths[path]?.[method.toLowerCase()]?.responses ?? {};
  expect(Object.keys(documented), what).toContain(String(res.status));
  const content = documented[String(res.status)]?.content ?? {};
  const mediaType = Object.keys(content)[0];
  expect(mediaType, what).toBeDefined();
  expect(String(res.headers['content-type']), what).toContain(mediaType);
  if (mediaType !== 'application/json') return;
  const validate = ajv.compile({ $ref: `${DOC_ID}${pointer('paths', path, method.toLowerCase(), 'responses', String(res.status), 'content', 'application/json', 'schema')}` });
  expect(validate(res.json), `${what}\n${ajv.errorsText(validate.errors)}`).toBe(true);
}

/** The first chunk of an event stream (the stream itself is left open otherwise). */
function openStream(base: string, path: string): Promise<CallResult> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, headers: { authorization: `Bearer ${TEST_TOKEN}` } }, (res) => {
      res.once('data', (chunk: Buffer) => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: chunk.toString('utf8'), json: undefined });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const REAL_DEVICES = [
  { index: 0, name: 'vmic', hostApi: 'ALSA', maxInputChannels: 1, maxOutputChannels: 0, defaultSampleRate: 48000, isDefaultInput: true, isDefaultOutput: false },
  { index: 1, name: 'vspeaker', hostApi: 'ALSA', maxInputChannels: 0, maxOutputChannels: 2, defaultSampleRate: 48000, isDefaultInput: false, isDefaultOutput: true },
];

describe('openapi.json against the running daemon', () => {
  let t: Awaited<ReturnType<typeof startTestDaemon>>;
  beforeAll(async () => {
    const directory = mkdtempSync(join(tmpdir(), 'altod-conformance-'));
    t = await startTestDaemon({ agent: 'helper', pushToTalk: true, filePolicy: { directory } }, REAL_DEVICES);
    await until(() => t.factory.clients[0]?.state === 'connected', 3000, 'initial join');
  });
  afterAll(async () => {
    await t.daemon.stop();
  });

  it('answers every documented operation, with its example body, as documented', async () => {
    // Leaving last keeps the room open for the routes that need it.
    const ordered = [...operations].sort((a, b) => Number(a.op.operationId === 'leave') - Number(b.op.operationId === 'leave'));
    const succeeded: string[] = [];
    for (const { path, method, op, target } of ordered) {
      await until(() => t.factory.latest().state === 'connected', 3000, `connected before ${method} ${path}`);
      t.factory.latest().people = [participant('alice'), participant('bob', { speaking: true })];
      const example = op.requestBody?.content['application/json']?.example;
      const res =
        path === '/v1/events'
          ? await openStream(t.base, target)
          : await call(t.base, method, target, example === undefined ? {} : { body: JSON.stringify(example) });
      expectDocumented(path, method, res);
      if (res.status < 300) succeeded.push(`${method} ${path}`);
    }
    // Each operation's success answer was seen (not only documented errors).
    expect(succeeded).toEqual(ordered.map(({ method, path }) => `${method} ${path}`));
    // And the schemas do refuse what does not fit them.
    const status = ajv.compile({ $ref: `${DOC_ID}${pointer('components', 'schemas', 'Status')}` });
    const real = (await call(t.base, 'GET', '/v1/status')).json as Record<string, unknown>;
    expect(status(real)).toBe(true);
    expect(status({ ...real, state: 'floating' })).toBe(false);
    expect(status({ ...real, undocumented: 1 })).toBe(false);
  });

  it('answers the documented errors: 401 without the token, 400/413/415 for bad bodies', async () => {
    for (const { path, method, op, target } of operations) {
      if (op.security === undefined) expectDocumented(path, method, await call(t.base, method, target, { token: null }));
      if (op.requestBody === undefined) continue;
      const bad = [
        { body: '{"oops":', headers: {} },
        { body: '[1]', headers: {} },
        { body: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
        { body: `{"pad":"${'x'.repeat(MAX_BODY_BYTES)}"}`, headers: {} },
      ];
      const statuses = [];
      for (const options of bad) {
        const res = await call(t.base, method, target, options);
        expectDocumented(path, method, res);
        statuses.push(res.status);
      }
      expect(statuses, `${method} ${path}`).toEqual([400, 400, 415, 413]);
    }
  });

  it('answers 405 with the documented methods in Allow for every other method on a documented path', async () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      const documented = Object.keys(ops).map((m) => m.toUpperCase());
      const target = path.replace('{identity}', 'alice');
      for (const method of METHODS.filter((m) => !documented.includes(m))) {
        const res = await call(t.base, method, target, { token: ops[Object.keys(ops)[0]!]?.security === undefined ? TEST_TOKEN : null });
        // HEAD is GET without a body; only the health check offers it.
        if (method === 'HEAD' && path === '/healthz') {
          expect([res.status, res.text]).toEqual([200, '']);
          continue;
        }
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(String(res.headers.allow).split(', ').sort(), `${method} ${path}`).toEqual(documented.sort());
      }
    }
  });

  it('answers 404 for every path the document does not list', async () => {
    const madeUp = ['/', '/v1', '/v1/', '/v1/status/', '/v1/statusx', '/v2/status', '/openapi.json', '/v1/participants/alice', '/v1/participants/alice/volume/x', '/v1/turn', '/v1/turn/pause', '/v1/recording/x', '/metrics/x', '/healthz/', '/v1/st%61tus', '//v1/status', '/v1/../v1/status'];
    for (const path of madeUp) {
      for (const method of METHODS) {
        const res = await call(t.base, method, path);
        // A HEAD answer has no body to carry the code.
        const code = method === 'HEAD' ? 'not_found' : (res.json as { error?: { code?: string } } | undefined)?.error?.code;
        expect([res.status, code], `${method} ${path}`).toEqual([404, 'not_found']);
      }
    }
    await fc.assert(
      fc.asyncProperty(fc.webPath(), fc.constantFrom(...METHODS), async (path, method) => {
        const target = path.startsWith('/') ? path : `/${path}`;
        fc.pre(!templates.some((template) => template.test(target.split('?', 1)[0]!)));
        expect((await call(t.base, method, target)).status, `${method} ${target}`).toBe(404);
      }),
      { numRuns: 200 },
    );
  });
});
