import { closeSync, openSync, readSync, statSync, unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from './errors.js';
import { clip } from './flags.js';

/**
 * Where audio comes from (`-i`) or goes to (`-o`). `default` is the system default device;
 * `index` and `name` select a PortAudio device (resolved by device-io); the rest are backends.
 * `raw` with path `-` is stdin (input) or stdout (output); `null` is output-only, `tone` and
 * `silence` input-only, `wav` `loop` input-only (`-i wav:f.wav?loop`).
 */
export type DeviceSpec =
  | { readonly kind: 'default' }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'wav'; readonly path: string; readonly loop: boolean }
  | { readonly kind: 'tone'; readonly frequencyHz: number }
  | { readonly kind: 'silence' }
  | { readonly kind: 'null' }
  | { readonly kind: 'raw'; readonly path: string };

/** Which end a device spec is for; decides which backends are allowed and what is checked. */
export type DeviceRole = 'input' | 'output';

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Parses a decimal number strictly (no hex, no empty string, no trailing junk); NaN otherwise. */
export function strictNumber(text: string): number {
  return NUMBER.test(text.trim()) ? Number(text) : Number.NaN;
}

/**
 * The string form of a spec that device-io and the orchestrator accept as `InputSpec` /
 * `OutputSpec` (`'default'`, an index, a name, `'tone:440'`, `'wav:/abs.wav?loop'`, …).
 */
export function deviceSpecString(spec: DeviceSpec): string | number {
  switch (spec.kind) {
    case 'default':
      return 'default';
    case 'index':
      return spec.index;
    case 'name':
      return spec.name;
    case 'wav':
      return `wav:${spec.path}${spec.loop ? '?loop' : ''}`;
    case 'tone':
      return `tone:${spec.frequencyHz}`;
    case 'silence':
      return 'silence';
    case 'null':
      return 'null';
    case 'raw':
      return 'raw:-';
  }
}

/**
 * Parses and checks a `-i`/`-o` value. WAV inputs must exist and carry a RIFF/WAVE header; WAV
 * and raw outputs need a writable directory.
 * @param text the flag's value
 * @param role input or output
 * @param sampleRate the session rate, bounding tone frequencies (Nyquist)
 * @param cwd base for relative paths
 * @throws {UsageError} with one line naming the flag and what to do
 */
export function parseDeviceSpec(text: string, role: DeviceRole, sampleRate: number, cwd: string): DeviceSpec {
  const flag = role === 'input' ? '-i' : '-o';
  const value = text.trim();
  if (value === '') throw new UsageError(`${flag} is empty; give a device index, a name, or a backend such as null`);
  if (/^\d+$/.test(value)) return { kind: 'index', index: Number(value) };
  const colon = value.indexOf(':');
  const scheme = colon > 0 ? value.slice(0, colon).toLowerCase() : value.toLowerCase();
  const arg = colon > 0 ? value.slice(colon + 1) : '';
  switch (scheme) {
    case 'wav': {
      // `?loop` (inputs only) replays the file forever: what the demo bot uses.
      const loop = role === 'input' && arg.endsWith('?loop');
      const file = loop ? arg.slice(0, -5) : arg;
      if (file === '') throw new UsageError(`${flag} wav: needs a file, e.g. ${flag} wav:speech.wav`);
      const path = resolve(cwd, file);
      if (role === 'input') checkWavReadable(path, `${flag} wav:${clip(file)}`);
      else checkWritableTarget(path, `${flag} wav:${clip(file)}`);
      return { kind: 'wav', path, loop };
    }
    case 'tone': {
      if (role === 'output') throw new UsageError(`tone: is an input backend; use it with -i, not -o`);
      const hz = strictNumber(arg);
      const nyquist = sampleRate / 2;
      if (!Number.isFinite(hz) || hz < 1 || hz >= nyquist) {
        throw new UsageError(`${flag} tone:${clip(arg)} is not a frequency; give Hz between 1 and ${nyquist - 1}, e.g. tone:440`);
      }
      return { kind: 'tone', frequencyHz: hz };
    }
    case 'silence':
      if (role === 'output') throw new UsageError(`silence is an input backend; use -o null to discard audio`);
      if (colon > 0) throw new UsageError(`${flag} silence takes no argument; write just: ${flag} silence`);
      return { kind: 'silence' };
    case 'null':
      if (role === 'input') throw new UsageError(`null is an output backend; for a silent microphone use -i silence, or --listen-only`);
      if (colon > 0) throw new UsageError(`${flag} null takes no argument; write just: ${flag} null`);
      return { kind: 'null' };
    case 'raw':
      // Only stdio for now: device-io's raw backend reads stdin / writes stdout.
      if (arg !== '-') throw new UsageError(`${flag} raw:${clip(arg)} is not supported; use ${flag} raw:- for ${role === 'input' ? 'stdin' : 'stdout'}`);
      return { kind: 'raw', path: '-' };
    default:
      // `mp3:song.mp3` is a mistaken backend; `hw:0,0` is a legitimate ALSA device name fragment.
      if (colon > 0 && /^[a-z][a-z0-9]*$/.test(scheme) && /\.\w+$/.test(arg)) {
        throw new UsageError(`${flag} ${clip(value)}: unknown backend '${clip(scheme)}'; use wav:, tone:, raw:, silence or null`);
      }
      return { kind: 'name', name: value };
  }
}

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
