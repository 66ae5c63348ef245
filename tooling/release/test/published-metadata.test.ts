import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { describe, expect, inject, it } from 'vitest';
import { PUBLISHABLE, tarballFiles, tarballManifest, workspaceManifest } from '../src/index.js';

const run = promisify(execFile);
const { tarballs } = inject('packed');
const require = createRequire(import.meta.url);
const ATTW = join(dirname(require.resolve('@arethetypeswrong/cli/package.json')), 'dist', 'index.js');

/** Every file path an `exports` map can resolve to. */
function exportTargets(exportsField: unknown): string[] {
  if (typeof exportsField === 'string') return [exportsField];
  if (exportsField === null || typeof exportsField !== 'object') return [];
  return Object.values(exportsField).flatMap(exportTargets);
}

/** Every condition name used in an `exports` map. */
function exportConditions(exportsField: unknown): string[] {
  if (exportsField === null || typeof exportsField !== 'object') return [];
  return Object.entries(exportsField).flatMap(([key, value]) => [...(key.startsWith('.') ? [] : [key]), ...exportConditions(value)]);
}

describe.each(PUBLISHABLE)('the packed $name', (pkg) => {
  const tarball = (): string => tarballs[pkg.name] as string;

  it('passes publint --strict', async () => {
    const bytes = readFileSync(tarball());
    const { messages, pkg: manifest } = await publint({
      pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
      strict: true,
      level: 'suggestion',
    });
    expect(messages.map((m) => `${m.type}: ${formatMessage(m, manifest) ?? m.code}`)).toEqual([]);
  });

  it('passes @arethetypeswrong/cli (ESM-only profile: Node 20.19+ requires ESM from CommonJS)', async () => {
    // attw exits non-zero on any problem; its JSON says which.
    const { stdout } = await run(process.execPath, [ATTW, tarball(), '--profile', 'esm-only', '--format', 'json']).catch((err: Error & { stdout?: string }) => {
      throw new Error(`attw found problems in ${pkg.name}: ${err.stdout?.slice(0, 2000) ?? err.message}`);
    });
    const report = JSON.parse(stdout) as { analysis: { types: unknown }; problems?: Record<string, Array<{ resolutionKind?: string }>> };
    // The JSON lists node10 and CommonJS-require findings too; the ESM-only profile ignores them.
    const esmProblems = Object.values(report.problems ?? {})
      .flat()
      .filter((p) => p.resolutionKind !== 'node10' && p.resolutionKind !== 'node16-cjs');
    expect(esmProblems).toEqual([]);
    // Libraries ship their types; the apps are commands and have none to ship.
    if (!pkg.app) expect(report.analysis.types).toMatchObject({ kind: 'included' });
  });

  it('resolves every export to a file it ships, with no development-only condition or workspace range', () => {
    const manifest = tarballManifest(tarball());
    const files = new Set(tarballFiles(tarball()));
    expect(manifest.version).toBe(workspaceManifest(pkg).version);
    expect(manifest.private).toBeUndefined();
    expect(exportConditions(manifest.exports)).not.toContain('@alto/source');
    for (const target of exportTargets(manifest.exports)) expect(files, `${target} is exported`).toContain(target.replace(/^\.\//, ''));
    for (const range of Object.values(manifest.dependencies ?? {})) expect(range).not.toMatch(/^workspace:/);
    expect(files).toContain('README.md');
    expect(files).toContain('LICENSE');
    expect(files).toContain('CHANGELOG.md');
    expect([...files].filter((f) => /(^|\/)(src|test|bench)\//.test(f) || f.endsWith('.tsbuildinfo'))).toEqual([]);
  });

  if (pkg.app) {
    it('installs from its tarball alone: no @alto package among its dependencies, and a bin that exists', () => {
      const manifest = tarballManifest(tarball());
      expect(Object.keys(manifest.dependencies ?? {}).filter((name) => name.startsWith('@alto/'))).toEqual([]);
      const files = new Set(tarballFiles(tarball()));
      for (const bin of Object.values(manifest.bin ?? {})) expect(files).toContain(bin.replace(/^\.\//, ''));
      expect(files).toContain('dist/main.js');
      // device-io forks its audio host from host/main.js beside the bundle.
      expect(files).toContain('dist/host/main.js');
    });
  }
});
