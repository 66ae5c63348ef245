import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bearerToken, resolveApiToken, tokensMatch } from '../src/api-token.js';
import { TokenFileError } from '../src/errors.js';

describe('API token', () => {
  it('generates a random token on first start into a file only its owner can read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'altod-token-'));
    const path = join(dir, 'nested', 'token');
    const first = resolveApiToken({ tokenFile: path });
    expect(first.source).toBe('generated');
    expect(first.token.length).toBeGreaterThanOrEqual(40);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'nested')).mode & 0o077).toBe(0);
    expect(readFileSync(path, 'utf8').trim()).toBe(first.token);
    const second = resolveApiToken({ tokenFile: path });
    expect(second).toEqual({ token: first.token, source: 'file', path });
    const other = resolveApiToken({ tokenFile: join(dir, 'other') });
    expect(other.token).not.toBe(first.token);
  });

  it('refuses a token file that others can read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'altod-token-'));
    const path = join(dir, 'token');
    writeFileSync(path, 'a-long-enough-token-value\n');
    chmodSync(path, 0o644);
    expect(() => resolveApiToken({ tokenFile: path })).toThrow(TokenFileError);
    expect(() => resolveApiToken({ tokenFile: path })).toThrow(/chmod 600/);
  });

  it('prefers ALTOD_API_TOKEN and refuses a short one', () => {
    expect(resolveApiToken({ envToken: 'x'.repeat(20), tokenFile: '/nonexistent/t' })).toEqual({ token: 'x'.repeat(20), source: 'env' });
    expect(() => resolveApiToken({ envToken: 'short', tokenFile: '/nonexistent/t' })).toThrow(/too short/);
  });

  it('compares tokens exactly, whatever their lengths', () => {
    expect(tokensMatch('abc-123-def', 'abc-123-def')).toBe(true);
    expect(tokensMatch('abc-123-def', 'abc-123-deF')).toBe(false);
    expect(tokensMatch('abc-123-def', 'abc')).toBe(false);
    expect(tokensMatch('abc-123-def', '')).toBe(false);
  });

  it('reads bearer tokens from the Authorization header', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer  abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
