import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@alto/harness';
import { PUBLISHABLE, type PublishablePackage } from './packages.js';

/** What a package's tarball must contain to be worth packing: its build output. */
function builtEntry(pkg: PublishablePackage): string {
  return join(repoRoot(), pkg.dir, 'dist', pkg.app ? 'main.js' : 'index.js');
}

/**
 * Packs every publishable package with `pnpm pack` (which applies `publishConfig` and rewrites
 * `workspace:` ranges, as `pnpm publish` does) into `destination`. Returns npm name → tarball.
 * Throws with one line naming the package if a build is missing: run `pnpm build` first.
 */
export function packAll(destination: string): Record<string, string> {
  const missing = PUBLISHABLE.filter((pkg) => !existsSync(builtEntry(pkg)));
  if (missing.length > 0) {
    throw new Error(`not built: ${missing.map((p) => p.name).join(', ')}; run pnpm build first`);
  }
  const tarballs: Record<string, string> = {};
  for (const pkg of PUBLISHABLE) {
    const before = new Set(readdirSync(destination));
    execFileSync('pnpm', ['pack', '--pack-destination', destination], {
      cwd: join(repoRoot(), pkg.dir),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const created = readdirSync(destination).filter((f) => !before.has(f) && f.endsWith('.tgz'));
    if (created.length !== 1) throw new Error(`pnpm pack of ${pkg.name} produced ${created.length} tarballs`);
    tarballs[pkg.name] = join(destination, created[0] as string);
  }
  return tarballs;
}
