import { describe, expect, it } from 'vitest';
import { SESSION_FLAGS, TOKEN_FLAGS } from '../src/flags.js';
import { PLAIN_TIMESTAMP } from './alto-process.js';
import { runCli } from './run-cli.js';

describe('help and version', () => {
  it('--help exits 0 on stdout and explains every flag', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    for (const flag of SESSION_FLAGS) {
      const line = run.stdout.split('\n').find((l) => l.includes(`--${flag.name}`) && l.includes(flag.help));
      expect(line, `--${flag.name} in help`).toBeDefined();
      if (flag.short) expect(line).toContain(`-${flag.short}, --${flag.name}`);
    }
    for (const word of ['LIVEKIT_URL', 'LIVEKIT_TOKEN', 'LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET', '.env', 'Exit codes']) {
      expect(run.stdout).toContain(word);
    }
  });

  it('-h after other flags still shows help and exits 0', async () => {
    const run = await runCli(['--volume', '1', '-h']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage:');
  });

  it('token --help lists every token flag', async () => {
    const run = await runCli(['token', '--help']);
    expect(run.code).toBe(0);
    for (const flag of TOKEN_FLAGS) expect(run.stdout).toContain(`--${flag.name}`);
  });

  it('with no arguments and no server configured, explains in a few lines how to point alto at one', async () => {
    const run = await runCli([]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.length).toBeLessThan(10);
    for (const word of ['LIVEKIT_URL', 'LIVEKIT_API_KEY', '.env', '--url', '--token', '--room-name', '--help']) expect(run.stderr).toContain(word);
  });

  it('--version prints the package version', async () => {
    const run = await runCli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^alto \d+\.\d+\.\d+\n$/);
  });

  it('alto token prints a JWT on stdout and nothing on stderr', async () => {
    const run = await runCli(['token', '--room', 'demo', '--identity', 'bot'], {
      env: { LIVEKIT_API_KEY: 'devkey', LIVEKIT_API_SECRET: 'secret-that-is-long-enough-for-hs256' },
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  });

  it('a runtime failure exits 1 with one line and no stack', async () => {
    const run = await runCli(['--url', 'ws://localhost:7880'], { env: { LIVEKIT_TOKEN: 'x' } });
    expect(run.code).toBe(1);
    // stdout carries only the plain event lines of the attempt, never the error.
    const lines = run.stdout.trimEnd().split('\n').filter(Boolean);
    expect(lines.every((l) => PLAIN_TIMESTAMP.test(l) && /^(failed(: [a-z ]+)?|disconnected)$/.test(l.replace(PLAIN_TIMESTAMP, '')))).toBe(true);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^alto: /);
  });
});
