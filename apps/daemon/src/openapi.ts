import { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiRoute } from './api-route.js';
import { DEFAULT_LISTEN } from './config.js';
import { MAX_BODY_BYTES } from './http-io.js';

/** The OpenAPI document type the generator returns. */
export type OpenApiDocument = ReturnType<OpenAPIHono['getOpenAPI31Document']>;

/**
 * The OpenAPI 3.1 document of the control API, generated from the routes' own schemas (the ones
 * that validate requests). `openapi.json` in the package is this, written by `pnpm openapi`.
 */
export function buildOpenApiDocument(routes: readonly ApiRoute[]): OpenApiDocument {
  const { openAPIRegistry: registry, getOpenAPI31Document } = new OpenAPIHono();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  for (const route of routes) registry.registerPath(route.openapi);
  return getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'altod control API',
      version: '1.0.0',
      description:
        'Local control API of altod, the headless Alto daemon. Every route except /healthz needs `Authorization: Bearer <token>` (the token file, default ~/.config/altod/token, or ALTOD_API_TOKEN). ' +
        `Request bodies are JSON (\`content-type: application/json\`), at most ${MAX_BODY_BYTES / 1024} KiB. ` +
        'Errors are `{ error: { code, message } }`; unknown routes answer 404 and known routes with the wrong method 405 with an `Allow` header.',
    },
    servers: [{ url: `http://${DEFAULT_LISTEN}` }],
    security: [{ bearer: [] }],
  });
}
