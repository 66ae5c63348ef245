import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startAlto } from './processes.js';

const livekit = inject('livekit');
const dir = mkdtempSync(join(tmpdir(), 'alto-agent-bad-'));
const keys = ['--url', livekit.url, '--api-key', livekit.apiKey, '--api-secret', livekit.apiSecret];

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs alto to its end and returns its exit code and output. */
async function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const alto = startAlto(args);
  const code = await alto.exited;
  return { code, stdout: alto.stdout, stderr: alto.stderr };
}

function oneLine(stderr: string): string {
  const lines = stderr.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  return lines[0] ?? '';
}

describe('bad agent input', () => {
  it('refuses --agent with a ready token: it cannot carry a dispatch (exit 2)', async () => {
    const r = await run(['--url', livekit.url, '--token', 'a.b.c', '--agent', 'helper', '-i', 'silence', '-o', 'null', '--no-tui']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/^alto: --agent helper cannot be added to a ready token/);
  });

  it('refuses --say without a room (exit 2)', async () => {
    const r = await run([...keys, '--identity', 'ana', '--say', 'hello', '-i', 'silence', '-o', 'null', '--no-tui']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/^alto: no room; pass --room-name ROOM/);
  });

  it('refuses --push-to-talk with --listen-only (exit 2)', async () => {
    const r = await run([...keys, '--room-name', 'r', '--identity', 'ana', '--push-to-talk', '--listen-only', '-o', 'null', '--no-tui']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe('alto: --push-to-talk needs a microphone, but --listen-only opens none; drop one');
  });

  it('refuses a --transcript in a missing directory and creates no file (exit 2)', async () => {
    const path = join(dir, 'missing', 'call.jsonl');
    const r = await run([...keys, '--room-name', 'r', '--identity', 'ana', '--transcript', path, '-i', 'silence', '-o', 'null', '--no-tui']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/^alto: --transcript .*: cannot create files in .*missing/);
    expect(existsSync(path)).toBe(false);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });

  it('says in one line when no agent of that name joins, and the call goes on (exit 0)', async () => {
    const transcript = join(dir, 'nobody.jsonl');
    const r = await run([
      ...keys, '--room-name', `nobody-${process.pid}-${Date.now()}`, '--identity', 'ana', '--agent', 'nobody-registered',
      '--agent-wait', '2', '--duration', '6', '-i', 'silence', '-o', 'null', '--no-tui', '--transcript', transcript,
    ]);
    expect(r.code).toBe(0);
    // Plain lines lead with an ISO timestamp.
    const lines = r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => l.replace(/^\d{4}-\d\d-\d\dT\S+Z /, ''));
    const notice = lines.filter((l) => l.includes('nobody-registered'));
    expect(notice).toEqual(["warning: no agent 'nobody-registered' joined within 2 s: is a worker registered under that name? The call goes on."]);
    // The call went on to its --duration and ended normally, with the transcript complete.
    expect(lines.at(-1)).toBe('disconnected');
    expect(lines).toContain('latency no turns measured');
    expect(existsSync(transcript)).toBe(true);
  });
});
