import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'alto-cli-e2ee-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SECRET_FILE = join(dir, 'secret');
writeFileSync(SECRET_FILE, 'secret\n', { mode: 0o600 });
// Nothing listens on this port: a usable key file would get as far as connecting and fail there.
const VALID = ['--url', 'ws://127.0.0.1:9', '--api-key', 'devkey', '--api-secret-file', SECRET_FILE, '--room-name', 'r', '--identity', 'alice', '-i', 'silence', '-o', 'null'];

function keyFile(name: string, content: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  chmodSync(path, mode);
  return path;
}

const cases = [
  { name: 'a missing key file', path: () => join(dir, 'none.key'), message: /e2ee key file .*none\.key does not exist; create it/ },
  { name: 'a directory', path: () => dir, message: /e2ee key file .* is a directory/ },
  { name: 'an empty key file', path: () => keyFile('empty.key', '\n'), message: /e2ee key file .*empty\.key is empty/ },
  { name: 'a too-short passphrase', path: () => keyFile('short.key', 'hunter2\n'), message: /holds a 7-byte passphrase; use at least 16 bytes/ },
  { name: 'a key file others can read', path: () => keyFile('open.key', 'correct horse battery staple\n', 0o644), message: /is accessible by other users \(mode 0644\); run chmod 600/ },
] as const;

describe('alto --e2ee-key-file with a key file it cannot use', () => {
  it.concurrent.each(cases)('$name → exit 2 with one line on stderr, never the key', async (c) => {
    const run = await runCli([...VALID, '--e2ee-key-file', c.path()]);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^alto: /);
    expect(run.stderr).toMatch(c.message);
    expect(run.stderr).not.toContain('correct horse');
    expect(run.code).toBe(2);
  });

  it('reads the key file named by ALTO_E2EE_KEY_FILE the same way', async () => {
    const run = await runCli(VALID, { env: { ALTO_E2EE_KEY_FILE: keyFile('env-open.key', 'correct horse battery staple\n', 0o640) } });
    expect(run.stderr).toMatch(/^alto: e2ee key file .*env-open\.key is accessible by other users \(mode 0640\)/);
    expect(run.code).toBe(2);
  });
});
