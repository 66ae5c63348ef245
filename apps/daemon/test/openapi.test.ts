import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../src/openapi.js';
import { ALL_ROUTES, ROUTES } from '../src/routes.js';

interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown[] }>>;
}

const doc = JSON.parse(readFileSync(new URL('../openapi.json', import.meta.url), 'utf8')) as OpenApi;

describe('openapi.json', () => {
  it('is OpenAPI 3.1 and lists exactly the routes the server implements', () => {
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    const implemented = [...ROUTES.map((r) => `${r.method} ${r.path}`), 'GET /healthz'].sort();
    expect(documented).toEqual(implemented);
  });

  it('documents 401 on every route but /healthz, which needs no auth', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (path === '/healthz') expect(op.security).toEqual([]);
        else expect(Object.keys(op.responses), `${method} ${path}`).toContain('401');
      }
    }
  });

  it('is what the route schemas generate (run `pnpm --filter @alto/daemon openapi` after changing a route)', () => {
    // Compared as data, so formatting the file does not count as drift.
    expect(doc).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument(ALL_ROUTES))));
  });
});
