import { lstatSync, mkdirSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { FilePolicyError } from './errors.js';
import { hasUnsafePathCharacters, parseInputSpec, parseOutputSpec, type DeviceSpec } from './spec.js';
import { DEFAULT_RECORDING_MODE } from './wav.js';

/**
 * What a remote client (an API caller, not the user at the keyboard) may make Alto write or read.
 * Files are written only inside `directory`, as new `.wav` files created without following
 * symlinks, with mode `fileMode`; `wav:` inputs and `raw:-` (the process's stdin and stdout)
 * are refused unless allowed here.
 */
export interface FilePolicy {
  /** The only directory recordings and `wav:` outputs may be written to (and `wav:` inputs read from). */
  readonly directory: string;
  /** Permission bits of created files. Default 0o600. */
  readonly fileMode?: number;
  /** Allow `wav:` inputs (files inside `directory` only). Default false. */
  readonly allowFileInput?: boolean;
  /** Allow `raw:-` inputs and outputs. Default false. */
  readonly allowRaw?: boolean;
}

/** Options of one write request. */
export interface WriteRequest {
  /** Replace an existing regular file at the path. Default false. */
  readonly overwrite?: boolean;
}

/**
 * The default directory for files written on a remote client's behalf: `$XDG_DATA_HOME/<app>/recordings`,
 * else `~/.local/share/<app>/recordings`.
 */
export function defaultRecordingsDirectory(app: string, env: Readonly<Record<string, string | undefined>> = process.env, home = homedir()): string {
  const base = env.XDG_DATA_HOME !== undefined && isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : join(home, '.local', 'share');
  return join(base, app, 'recordings');
}

function outside(policy: FilePolicy): FilePolicyError {
  return new FilePolicyError(
    'outside_directory',
    `files may only be written as .wav files inside the recordings directory ${policy.directory}; give a name such as "meeting.wav"`,
  );
}

/** Resolves `path` against the policy directory and checks it stays inside, following no symlink out. */
function confine(path: string, policy: FilePolicy, what: 'write' | 'read'): string {
  if (hasUnsafePathCharacters(path)) {
    throw new FilePolicyError('control_character', 'file names may not contain control or invisible characters');
  }
  if (path.length === 0 || path.length > 1024) throw outside(policy);
  const root = resolve(policy.directory);
  const target = resolve(root, path);
  const rel = relative(root, target);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || !/\.wav$/i.test(target)) throw outside(policy);
  // Everything on the way must be a real directory inside the root: a symlinked subdirectory
  // would lead the write elsewhere.
  if (what === 'write') mkdirSync(root, { recursive: true, mode: 0o700 });
  let realRoot: string;
  let realParent: string;
  try {
    realRoot = realpathSync(root);
    realParent = realpathSync(dirname(target));
  } catch {
    throw new FilePolicyError('no_directory', `no such directory inside the recordings directory ${policy.directory}`);
  }
  if (realParent !== realRoot && !realParent.startsWith(realRoot + sep)) throw outside(policy);
  return join(realParent, target.slice(dirname(target).length + 1));
}

/**
 * Checks a path a remote client asked Alto to write (a recording or a `wav:` output) and returns
 * the absolute path to use. Refused: anything outside the directory or not named `.wav`, names
 * with control characters, a directory, a symlink, and an existing file unless `overwrite`.
 * Refusals of paths outside the directory never depend on what exists there.
 * @throws {FilePolicyError}
 */
export function checkWritePath(path: string, policy: FilePolicy, request: WriteRequest = {}): string {
  const target = confine(path, policy, 'write');
  let stat;
  try {
    stat = lstatSync(target);
  } catch {
    return target;
  }
  if (stat.isDirectory()) throw new FilePolicyError('is_directory', `${target} is a directory; give a file name ending in .wav`);
  if (!stat.isFile()) throw new FilePolicyError('not_regular', `${target} is a symlink or special file; give another name`);
  if (!request.overwrite) throw new FilePolicyError('exists', `${target} already exists; choose another name or send "overwrite": true`);
  return target;
}

/**
 * Applies the policy to an output spec a remote client sent: `wav:` outputs are confined (see
 * {@link checkWritePath}) and rewritten to an exclusive spec with the policy's mode; `raw:-` is
 * refused unless allowed; devices and `null` pass unchanged.
 * @throws {FilePolicyError} or InvalidDeviceSpecError for a malformed spec
 */
export function confineOutputSpec(spec: DeviceSpec, policy: FilePolicy, request: WriteRequest = {}): DeviceSpec {
  if (typeof spec !== 'string' || !/^\s*(wav:|raw:)/i.test(spec)) return spec;
  const text = spec.trim();
  if (/^raw:/i.test(text)) {
    if (policy.allowRaw) return spec;
    throw new FilePolicyError('not_allowed', 'raw:- (audio on the process\'s stdout) is not allowed over the API; the operator can allow it in the configuration');
  }
  // Options in the spec are the policy's to set, not the client's.
  const raw = text.slice(4).replace(/\?(exclusive|mode=[0-7]{3,4})(&(exclusive|mode=[0-7]{3,4}))*$/, '');
  const target = checkWritePath(raw, policy, request);
  const mode = (policy.fileMode ?? DEFAULT_RECORDING_MODE).toString(8);
  const out = `wav:${target}?${request.overwrite ? '' : 'exclusive&'}mode=${mode}`;
  parseOutputSpec(out);
  return out;
}

/**
 * Applies the policy to an input spec a remote client sent: `wav:` and `raw:-` inputs are refused
 * unless allowed; allowed `wav:` files must lie inside the directory. The refusal is the same
 * whether or not the file exists.
 * @throws {FilePolicyError}
 */
export function confineInputSpec(spec: DeviceSpec, policy: FilePolicy): DeviceSpec {
  if (typeof spec !== 'string') return spec;
  const text = spec.trim();
  if (/^raw:/i.test(text)) {
    if (policy.allowRaw) return spec;
    throw new FilePolicyError('not_allowed', 'raw:- (audio from the process\'s stdin) is not allowed over the API; the operator can allow it in the configuration');
  }
  if (!/^wav:/i.test(text)) return spec;
  if (!policy.allowFileInput) {
    throw new FilePolicyError('not_allowed', 'wav: inputs are not allowed over the API; the operator can allow files from the recordings directory in the configuration');
  }
  const parsed = parseInputSpec(text);
  if (parsed.kind !== 'wav') return spec;
  const loop = text.endsWith('?loop');
  const target = confine(text.slice(4).replace(/\?loop$/, ''), policy, 'read');
  return `wav:${target}${loop ? '?loop' : ''}`;
}
