import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { E2eeKeyFileError } from './errors.js';
import { readE2eeKeyFile } from './e2ee-key-file.js';

const dir = mkdtempSync(join(tmpdir(), 'alto-e2ee-key-'));
chmodSync(dir, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function keyFile(content: string | Uint8Array, mode = 0o600): string {
  const path = join(dir, `key-${n++}`);
  writeFileSync(path, content);
  chmodSync(path, mode);
  return path;
}

function problemOf(path: string, options?: Parameters<typeof readE2eeKeyFile>[1]): { problem: string; message: string } {
  try {
    readE2eeKeyFile(path, options);
  } catch (error) {
    expect(error).toBeInstanceOf(E2eeKeyFileError);
    const e = error as E2eeKeyFileError;
    return { problem: e.problem, message: e.message };
  }
  throw new Error('the key file was accepted');
}

const SECRET = 'correct horse battery staple';

describe('readE2eeKeyFile', () => {
  it('returns the passphrase without the newline an editor or echo leaves', () => {
    expect(readE2eeKeyFile(keyFile(`${SECRET}\n`))).toBe(SECRET);
    expect(readE2eeKeyFile(keyFile(`  ${SECRET}\r\n\n`))).toBe(SECRET);
  });

  it('accepts a passphrase of exactly 16 bytes, counting UTF-8 bytes', () => {
    expect(readE2eeKeyFile(keyFile('0123456789abcdef'))).toBe('0123456789abcdef');
    expect(readE2eeKeyFile(keyFile('ééééééééé'.slice(0, 8)))).toBe('éééééééé');
  });

  it.each([
    ['missing', () => join(dir, 'no-such-key'), 'does not exist'],
    ['missing', () => join(keyFile(SECRET), 'below-a-file'), 'does not exist'],
    ['not-a-file', () => dir, 'is a directory'],
    ['empty', () => keyFile(''), 'is empty'],
    ['empty', () => keyFile(' \n\n'), 'is empty'],
    ['too-short', () => keyFile('short-key\n'), '9-byte passphrase; use at least 16 bytes'],
    ['not-text', () => keyFile(new Uint8Array([0xff, 0xfe, 0x00, 0x81, ...new Uint8Array(32).fill(0xc3)])), 'is not UTF-8 text'],
    ['not-text', () => keyFile(`${SECRET}\nsecond line here`), 'more than one line'],
    ['too-large', () => keyFile('x'.repeat(5000)), 'at most 4096 bytes'],
    ['unprotected', () => keyFile(SECRET, 0o644), 'accessible by other users (mode 0644); run chmod 600'],
    ['unprotected', () => keyFile(SECRET, 0o640), 'mode 0640'],
    ['unprotected', () => keyFile(SECRET, 0o602), 'mode 0602'],
  ])('refuses a key file that is %s (%s)', (problem, make, words) => {
    const path = make();
    const refused = problemOf(path);
    expect(refused.problem).toBe(problem);
    expect(refused.message).toContain(words);
    expect(refused.message).toContain(path);
    expect(refused.message).not.toContain('\n');
  });

  it('never puts the key in its message', () => {
    const path = keyFile('short-secret', 0o644);
    expect(problemOf(path).message).not.toContain('short-secret');
    expect(problemOf(path, { requirePrivate: false }).message).not.toContain('short-secret');
  });

  it('accepts a group-readable file when asked not to check permissions (Windows has no mode bits)', () => {
    expect(readE2eeKeyFile(keyFile(SECRET, 0o644), { requirePrivate: false })).toBe(SECRET);
  });

  it('refuses a FIFO without hanging on it', () => {
    const fifo = join(dir, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    chmodSync(fifo, 0o600);
    expect(problemOf(fifo).problem).toBe('not-a-file');
  });

  it('says so when the file cannot be read (permission denied)', () => {
    // Root reads any file, so the check runs as an unprivileged user when the tests run as root.
    const locked = join(dir, 'locked');
    mkdirSync(locked, { mode: 0o700 });
    const path = join(locked, 'key');
    writeFileSync(path, SECRET, { mode: 0o000 });
    const asRoot = process.getuid?.() === 0;
    const source = fileURLToPath(new URL('./e2ee-key-file.ts', import.meta.url));
    const script = `import { readE2eeKeyFile } from ${JSON.stringify(source)};
      try { readE2eeKeyFile(${JSON.stringify(path)}); console.log('{}'); }
      catch (e) { console.log(JSON.stringify({ problem: e.problem, message: e.message })); }`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, TSX_TSCONFIG_PATH: '', HOME: tmpdir() },
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    expect(child.stderr).toBe('');
    const refused = JSON.parse(child.stdout) as { problem?: string; message?: string };
    expect(refused.problem).toBe('unreadable');
    expect(refused.message).toContain('cannot be read (EACCES)');
  });
});
