import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { packAll } from './pack.js';
import type {} from './provided-context.js';

/** vitest globalSetup: packs every publishable package once into a temp dir for the run. */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'alto-packed-'));
  project.provide('packed', { tarballs: packAll(dir) });
  return () => rmSync(dir, { recursive: true, force: true });
}
