import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FilePolicyError } from './errors.js';
import { checkWritePath, confineInputSpec, confineOutputSpec, defaultRecordingsDirectory } from './file-policy.js';
import { parseOutputSpec } from './spec.js';
import { WavFileWriter, parseWav, recoverPartialWav } from './wav.js';

const root = mkdtempSync(join(tmpdir(), 'device-io-policy-'));
const dir = join(root, 'recordings');
const victim = join(root, 'victim.txt');
writeFileSync(victim, 'precious\n');
afterAll(() => rmSync(root, { recursive: true, force: true }));
const policy = { directory: dir };

function reason(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof FilePolicyError) return error.reason;
    throw error;
  }
  return undefined;
}

describe('file policy for remote clients', () => {
  it('puts relative names inside the directory, creating it 0700', () => {
    expect(checkWritePath('meeting.wav', policy)).toBe(join(dir, 'meeting.wav'));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(checkWritePath(join(dir, 'abs.wav'), policy)).toBe(join(dir, 'abs.wav'));
  });

  it('refuses paths outside the directory the same way whether or not they exist', () => {
    const existing = reason(() => checkWritePath('/etc/passwd', policy));
    const missing = reason(() => checkWritePath('/etc/no-such-file-here.wav', policy));
    expect(existing).toBe('outside_directory');
    expect(missing).toBe('outside_directory');
    expect(reason(() => checkWritePath('../victim.wav', policy))).toBe('outside_directory');
    expect(reason(() => checkWritePath('notes.txt', policy))).toBe('outside_directory');
    try {
      checkWritePath('/etc/passwd', policy);
    } catch (error) {
      expect((error as Error).message).not.toContain('passwd');
    }
  });

  it('refuses a symlinked subdirectory that leads outside', () => {
    mkdirSync(dir, { recursive: true });
    symlinkSync(root, join(dir, 'escape'));
    expect(reason(() => checkWritePath('escape/victim.wav', policy))).toBe('outside_directory');
  });

  it('refuses directories, symlinks, existing files (unless overwrite) and control characters', () => {
    mkdirSync(join(dir, 'folder.wav'));
    expect(reason(() => checkWritePath('folder.wav', policy))).toBe('is_directory');
    symlinkSync(victim, join(dir, 'link.wav'));
    expect(reason(() => checkWritePath('link.wav', policy))).toBe('not_regular');
    expect(reason(() => checkWritePath('link.wav', policy, { overwrite: true }))).toBe('not_regular');
    writeFileSync(join(dir, 'old.wav'), 'x');
    expect(reason(() => checkWritePath('old.wav', policy))).toBe('exists');
    expect(checkWritePath('old.wav', policy, { overwrite: true })).toBe(join(dir, 'old.wav'));
    expect(reason(() => checkWritePath('a\nb.wav', policy))).toBe('control_character');
    expect(reason(() => checkWritePath('a\x1b[2Jb.wav', policy))).toBe('control_character');
  });

  it('rewrites wav: outputs to exclusive specs with the policy mode and refuses raw:- unless allowed', () => {
    const spec = confineOutputSpec('wav:out.wav?mode=666', { directory: dir, fileMode: 0o640 });
    expect(parseOutputSpec(spec)).toEqual({ kind: 'wav', path: join(dir, 'out.wav'), exclusive: true, mode: 0o640 });
    expect(reason(() => confineOutputSpec('wav:/any/file', policy))).toBe('outside_directory');
    expect(reason(() => confineOutputSpec('raw:-', policy))).toBe('not_allowed');
    expect(confineOutputSpec('raw:-', { ...policy, allowRaw: true })).toBe('raw:-');
    expect(confineOutputSpec('null', policy)).toBe('null');
    expect(confineOutputSpec(3, policy)).toBe(3);
  });

  it('refuses wav: and raw: inputs unless allowed, and then only inside the directory', () => {
    expect(reason(() => confineInputSpec('wav:/etc/passwd', policy))).toBe('not_allowed');
    expect(reason(() => confineInputSpec('wav:/no/such.wav', policy))).toBe('not_allowed');
    expect(reason(() => confineInputSpec('raw:-', policy))).toBe('not_allowed');
    const allowed = { ...policy, allowFileInput: true };
    expect(reason(() => confineInputSpec('wav:/etc/passwd', allowed))).toBe('outside_directory');
    expect(confineInputSpec('wav:in.wav?loop', allowed)).toBe(`wav:${join(dir, 'in.wav')}?loop`);
    expect(confineInputSpec('tone:440', policy)).toBe('tone:440');
  });

  it('defaults to a per-user data directory', () => {
    expect(defaultRecordingsDirectory('altod', {}, '/home/ana')).toBe('/home/ana/.local/share/altod/recordings');
    expect(defaultRecordingsDirectory('altod', { XDG_DATA_HOME: '/data' }, '/home/ana')).toBe('/data/altod/recordings');
  });
});

describe('WAV writer file safety', () => {
  it('creates recordings 0600 and never writes through a planted .partial symlink', () => {
    const path = join(root, 'planted.wav');
    symlinkSync(victim, `${path}.partial`);
    const w = new WavFileWriter(path, 48_000, 1);
    w.write(Int16Array.from([1, 2]));
    w.close();
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(Array.from(parseWav(readFileSync(path)).samples)).toEqual([1, 2]);
  });

  it('replaces a symlink at the final name rather than writing through it', () => {
    const path = join(root, 'final-link.wav');
    symlinkSync(victim, path);
    const w = new WavFileWriter(path, 48_000, 1);
    w.close();
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(path).isFile()).toBe(true);
  });

  it('exclusive: refuses an existing name, and keeps the recording as .partial if the name appears meanwhile', () => {
    const path = join(root, 'excl.wav');
    writeFileSync(path, 'mine');
    expect(() => new WavFileWriter(path, 48_000, 1, { exclusive: true })).toThrow(/already exists/);
    rmSync(path);
    const w = new WavFileWriter(path, 48_000, 1, { exclusive: true, mode: 0o640 });
    symlinkSync(victim, path);
    expect(() => w.close()).toThrow(/appeared while recording/);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(statSync(`${path}.partial`).mode & 0o777).toBe(0o640);
  });

  it('recovery leaves a .partial symlink alone', () => {
    const path = join(root, 'recover-link.wav');
    symlinkSync(victim, `${path}.partial`);
    expect(recoverPartialWav(path)).toBe(false);
    expect(existsSync(path)).toBe(false);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    chmodSync(victim, 0o644);
  });
});
