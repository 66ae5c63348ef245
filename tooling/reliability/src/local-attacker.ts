import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** `setpriv` arguments that drop to the unprivileged user `nobody` (uid/gid 65534). */
const NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups'];

/** Runs a command as a second local user (`nobody`, through setpriv) and waits for it. */
export function asNobody(command: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('setpriv', [...NOBODY, ...command], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts a long-running command as `nobody` (stop it with `kill()` on the returned child). */
export function spawnAsNobody(command: readonly string[]): ChildProcess {
  return spawn('setpriv', [...NOBODY, ...command], { stdio: 'ignore' });
}

/**
 * What is in a directory tree: each path with a SHA-256 of its content (files), its target
 * (symlinks), its mode and owner. Two equal results mean nothing in the tree changed.
 */
export function checksumTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const stat = lstatSync(path);
      const meta = `${(stat.mode & 0o7777).toString(8)} ${stat.uid}:${stat.gid}`;
      if (stat.isSymbolicLink()) out[path] = `link ${readlinkSync(path)} ${meta}`;
      else if (stat.isDirectory()) {
        out[path] = `dir ${meta}`;
        walk(path);
      } else out[path] = `${createHash('sha256').update(readFileSync(path)).digest('hex')} ${stat.size} ${meta}`;
    }
  };
  walk(root);
  return out;
}
