import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Packages whose install scripts an Alto install must run (node-gyp builds). */
export const NATIVE_BUILDS = ['naudiodon2', 'segfault-handler'];

/** The outcome of one npm command. */
export interface NpmRun {
  readonly code: number | null;
  readonly output: string;
  readonly durationMs: number;
}

/**
 * Environment for npm: node-gyp builds against the installed Node headers when the system has
 * them (Debian's nodejs ships /usr/include/node), so no download from nodejs.org is needed.
 */
export function npmEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...extra };
  if (existsSync('/usr/include/node/node.h') && env['npm_config_nodedir'] === undefined) env['npm_config_nodedir'] = '/usr';
  // npm run from inside pnpm inherits pnpm's settings; none of them may leak into a user's install.
  for (const key of Object.keys(env)) {
    if (key.startsWith('npm_config_') && !['npm_config_nodedir', 'npm_config_update_notifier', 'npm_config_fund', 'npm_config_audit', 'npm_config_cache', 'npm_config_registry'].includes(key)) delete env[key];
    if (key.startsWith('pnpm_') || key === 'npm_execpath' || key.startsWith('npm_package_') || key.startsWith('npm_lifecycle_')) delete env[key];
  }
  return env;
}

/**
 * `npm install` the way a user would, in `cwd`: registry packages from the npm registry (the
 * local cache first), no audit. `args` are the packages and flags. A global install (`-g`)
 * allows the native builds on the command line, as npm 11 asks of global installs; a project
 * lists them in its package.json's `allowScripts`.
 */
export function npmInstall(args: readonly string[], cwd: string): Promise<NpmRun> {
  const global = args.includes('-g') || args.includes('--global');
  const allow = global ? [`--allow-scripts=${NATIVE_BUILDS.join(',')}`] : [];
  return runNpm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...allow, ...args], cwd);
}

function runNpm(args: readonly string[], cwd: string): Promise<NpmRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, { cwd, env: npmEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output, durationMs: performance.now() - started }));
  });
}
