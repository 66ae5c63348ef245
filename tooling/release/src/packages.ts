import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@alto/harness';

/** A package this repository publishes to npm. */
export interface PublishablePackage {
  /** npm name, e.g. `@alto/mixer-core`. */
  readonly name: string;
  /** Directory relative to the workspace root. */
  readonly dir: string;
  /** True for the bundled apps (`alto`, `altod`). */
  readonly app: boolean;
}

/** Every publishable package, libraries in dependency order, then the apps. */
export const PUBLISHABLE: readonly PublishablePackage[] = [
  { name: '@alto/mixer-core', dir: 'packages/mixer-core', app: false },
  { name: '@alto/device-io', dir: 'packages/device-io', app: false },
  { name: '@alto/livekit-net', dir: 'packages/livekit-net', app: false },
  { name: '@alto/orchestrator', dir: 'packages/orchestrator', app: false },
  { name: '@alto/cli', dir: 'apps/cli', app: true },
  { name: '@alto/daemon', dir: 'apps/daemon', app: true },
];

/** The fields of a package.json the release checks read. */
export interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly bin?: Record<string, string>;
  readonly exports?: unknown;
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

/** The package.json of a workspace package, as it is in the repository. */
export function workspaceManifest(pkg: PublishablePackage): PackageJson {
  return JSON.parse(readFileSync(join(repoRoot(), pkg.dir, 'package.json'), 'utf8')) as PackageJson;
}
