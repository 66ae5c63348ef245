import { execFileSync } from 'node:child_process';
import type { PackageJson } from './packages.js';

/** Paths inside a packed tarball, without npm's `package/` prefix. */
export function tarballFiles(tarball: string): string[] {
  return execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.replace(/^package\//, ''));
}

/** The package.json inside a packed tarball: what npm users will get. */
export function tarballManifest(tarball: string): PackageJson & Record<string, unknown> {
  return JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' })) as PackageJson & Record<string, unknown>;
}
