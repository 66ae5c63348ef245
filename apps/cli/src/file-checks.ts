import { closeSync, openSync, readSync, statSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from './errors.js';

/**
 * Checks that `path` is a readable WAV file by its RIFF/WAVE header. A small check here gives a
 * usage error (exit 2) before connecting; device-io validates the format fully.
 * @throws {UsageError} when missing, a directory, unreadable or not a WAV file
 */
export function checkWavReadable(path: string, what: string): void {
  let fd: number;
  try {
    if (statSync(path).isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    fd = openSync(path, 'r');
  } catch (cause) {
    throw new UsageError(`${what}: ${describeFsError(cause, path)}`, { cause });
  }
  const header = Buffer.alloc(12);
  let n = 0;
  try {
    n = readSync(fd, header, 0, 12, 0);
  } finally {
    closeSync(fd);
  }
  if (n < 12 || header.toString('latin1', 0, 4) !== 'RIFF' || header.toString('latin1', 8, 12) !== 'WAVE') {
    throw new UsageError(`${what}: ${path} is not a WAV file (no RIFF/WAVE header); convert it, e.g. sox in.mp3 -r 48000 -c 1 out.wav`);
  }
}

/**
 * Checks that a file can be created at `path`: its directory exists and accepts a new file. It
 * probes by creating and removing a file, because `access(W_OK)` says yes to root even where
 * nothing can be created.
 * @throws {UsageError} when the directory is missing, not a directory or not writable
 */
export function checkWritableTarget(path: string, what: string): void {
  const dir = dirname(path);
  try {
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
      throw new UsageError(`${what}: ${path} is a directory; give a file name inside it`);
    }
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    const probe = join(dir, `.alto-probe-${process.pid}`);
    closeSync(openSync(probe, 'wx'));
    unlinkSync(probe);
  } catch (cause) {
    if (cause instanceof UsageError) throw cause;
    throw new UsageError(`${what}: cannot create files in ${dir} (${reason(cause)}); choose a writable directory`, { cause });
  }
}

function reason(cause: unknown): string {
  const code = (cause as { code?: unknown }).code;
  if (code === 'ENOENT') return 'it does not exist';
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'permission denied';
  if (code === 'ENOTDIR') return 'not a directory';
  return String(code ?? cause);
}

function describeFsError(cause: unknown, path: string): string {
  const code = (cause as { code?: unknown }).code;
  switch (code) {
    case 'ENOENT':
      return `${path} does not exist; check the path`;
    case 'EACCES':
    case 'EPERM':
      return `${path} is not accessible (permission denied); check its permissions`;
    case 'EISDIR':
      return `${path} is a directory; give a file`;
    case 'ENOTDIR':
      return `a part of ${path} is not a directory; check the path`;
    default:
      return `${path} cannot be opened (${String(code ?? cause)})`;
  }
}
