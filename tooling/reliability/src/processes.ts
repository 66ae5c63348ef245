import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { repoRoot } from '@alto/harness';
import { join } from 'node:path';

/** How the real apps are started from source (no build needed). */
const NODE_ARGS = ['--conditions=@alto/source', '--import', 'tsx'];

/** Path of an app's source entry: `cli` → apps/cli/src/main.ts, `daemon` → apps/daemon/src/main.ts. */
export function appEntry(app: 'cli' | 'daemon'): string {
  return join(repoRoot(), 'apps', app, 'src', 'main.ts');
}

/** A child process whose output is captured as it arrives. */
export interface Captured {
  readonly child: ChildProcess;
  readonly pid: number;
  stdout: string;
  stderr: string;
  /** Resolves with the exit status (code, or 128 + signal number style name) once it exits. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; atMs: number }>;
}

/** Starts `node <NODE_ARGS> <entry> ...args` with captured stdio and no TTY. */
export function spawnApp(
  app: 'cli' | 'daemon',
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; stdin?: 'ignore' | 'pipe' } = {},
): Captured {
  const child = spawn(process.execPath, [...NODE_ARGS, appEntry(app), ...args], {
    cwd: options.cwd ?? repoRoot(),
    env: { ...(options.env ?? process.env), NO_COLOR: '1' },
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
  });
  const captured: Captured = {
    child,
    pid: child.pid ?? -1,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal, atMs: performance.now() }));
    }),
  };
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (captured.stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (captured.stderr += d));
  return captured;
}

/** Result of a bounded run. */
export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
  /** True when the process had to be killed at the deadline (it hung). */
  readonly timedOut: boolean;
}

/** Runs an app to completion, SIGKILLing it (and its process group's children) after `timeoutMs`. */
export async function runApp(
  app: 'cli' | 'daemon',
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  const started = performance.now();
  const p = spawnApp(app, args, options);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killTree(p.pid);
  }, options.timeoutMs ?? 20_000);
  const { code, signal } = await p.exited;
  clearTimeout(timer);
  // Let the pipes drain.
  await new Promise((r) => setTimeout(r, 20));
  return { code, signal, stdout: p.stdout, stderr: p.stderr, durationMs: performance.now() - started, timedOut };
}

/** Direct children of a process (`pgrep -P`). */
export function childrenOf(pid: number): number[] {
  const r = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' });
  return r.stdout
    .split('\n')
    .map((s) => Number.parseInt(s, 10))
    .filter((n) => Number.isFinite(n));
}

/** Every descendant of a process, depth first. */
export function descendantsOf(pid: number): number[] {
  const out: number[] = [];
  for (const child of childrenOf(pid)) out.push(child, ...descendantsOf(child));
  return out;
}

/** Whether a process still exists (a zombie awaiting its parent counts as gone). */
export function isAlive(pid: number): boolean {
  const r = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' });
  const stat = r.stdout.trim();
  return stat !== '' && !stat.startsWith('Z');
}

/** SIGKILLs a process and all its descendants (test cleanup only). */
export function killTree(pid: number): void {
  for (const p of [pid, ...descendantsOf(pid)]) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Polls `check` every `everyMs` until it returns true or `timeoutMs` passes; returns whether it did. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (performance.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
