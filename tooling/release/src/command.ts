import { spawn, type ChildProcess } from 'node:child_process';

/** A running command with its output collected as it arrives. */
export interface RunningCommand {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
  /** Resolves when stdout has a line matching `pattern`; rejects on exit or timeout. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

/**
 * Starts `file` (an installed bin or `node`) with a clean environment (PATH and HOME, no
 * LIVEKIT_* from the machine) plus `env`, in `cwd`.
 */
export function startCommand(file: string, args: readonly string[], options: { env?: Record<string, string>; cwd?: string } = {}): RunningCommand {
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const command: RunningCommand = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.on('close', (code) => resolve(code))),
    waitForLine: async (pattern, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!command.stdout.split('\n').some((line) => pattern.test(line))) {
        if (child.exitCode !== null) throw new Error(`${file} exited ${child.exitCode} before printing ${String(pattern)}: ${command.stderr.slice(-800)}`);
        if (Date.now() > deadline) throw new Error(`${file} never printed ${String(pattern)}; stdout: ${command.stdout.slice(-400)} stderr: ${command.stderr.slice(-800)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
  child.stdout.setEncoding('utf8').on('data', (d: string) => (command.stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (command.stderr += d));
  return command;
}

/** Runs a command to completion (SIGKILL after `timeoutMs`) and returns its exit code and output. */
export async function runCommand(
  file: string,
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const command = startCommand(file, args, options);
  const timer = setTimeout(() => command.child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const code = await command.exited;
  clearTimeout(timer);
  return { code, stdout: command.stdout, stderr: command.stderr };
}
