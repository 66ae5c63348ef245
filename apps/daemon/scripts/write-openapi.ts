// Writes openapi.json from the routes' schemas: `pnpm --filter @alto/daemon openapi`.
import { writeFileSync } from 'node:fs';
import { buildOpenApiDocument } from '../src/openapi.js';
import { ALL_ROUTES } from '../src/routes.js';

const target = new URL('../openapi.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(buildOpenApiDocument(ALL_ROUTES), null, 2)}\n`);
process.stdout.write(`wrote ${target.pathname}\n`);
