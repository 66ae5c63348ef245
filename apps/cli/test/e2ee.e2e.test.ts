import { execFileSync } from 'node:child_process';
import { copyFileSync, chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { altoCommand, eventLines, readWavSamples, startAlto, toneWindows, type AltoProcess } from './alto-process.js';
import { TEXT_LINE, checkJsonEvent } from './plain-format.js';

const livekit = inject('livekit');
const dir = mkdtempSync(join(tmpdir(), 'alto-cli-e2ee-call-'));
const env = { LIVEKIT_URL: livekit.url, LIVEKIT_API_KEY: livekit.apiKey, LIVEKIT_API_SECRET: livekit.apiSecret };

const SOCKET = `alto-e2ee-e2e-${process.pid}`;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

afterAll(() => {
  try {
    tmux('kill-server');
  } catch {
    // Never started, or already gone.
  }
  rmSync(dir, { recursive: true, force: true });
});

function keyFile(name: string, passphrase: string): string {
  const path = join(dir, name);
  writeFileSync(path, `${passphrase}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

/** Seconds (in 100 ms windows) of a recording in which `hz` dominates the other tone. */
function secondsOfTone(path: string, hz: number, other: number): number {
  return toneWindows(readWavSamples(path), hz, [other, hz / 2, hz * 2]).filter((level) => level > 0.05).length / 10;
}

/** When the first --json line matching `match` was written, ms since the epoch. */
function jsonTimeMs(stdout: string, match: (o: Record<string, unknown>) => boolean): number {
  const objects = stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  return Date.parse(String(objects.find(match)?.['time']));
}

async function leave(...procs: AltoProcess[]): Promise<void> {
  for (const p of procs) p.child.kill('SIGINT');
  for (const p of procs) expect(await p.exited).toBe(0);
}

describe('alto with --e2ee-key-file through the real server', () => {
  it('two processes with the same key file hear each other, and each says the other decrypts', async () => {
    const room = `cli-e2ee-same-${Date.now()}`;
    const keyA = keyFile('same-a.key', 'correct horse battery staple');
    const keyB = join(dir, 'same-b.key');
    copyFileSync(keyA, keyB);
    chmodSync(keyB, 0o600);
    const atA = join(dir, 'same-a.wav');
    const atB = join(dir, 'same-b.wav');
    const a = startAlto(['--room-name', room, '--identity', 'a', '-i', 'tone:440', '-o', `wav:${atA}`, '--no-tui', '--e2ee-key-file', keyA], env);
    const b = startAlto(['--room-name', room, '--identity', 'b', '-i', 'tone:1000', '-o', `wav:${atB}`, '--json', '--e2ee-key-file', keyB], env);
    await a.waitForLine(/^decrypting b$/);
    await b.waitForLine(/"event":"decrypting","identity":"a"/);
    await new Promise((r) => setTimeout(r, 4000));
    await leave(a, b);
    expect(secondsOfTone(atA, 1000, 440)).toBeGreaterThan(2.5);
    expect(secondsOfTone(atB, 440, 1000)).toBeGreaterThan(2.5);
    expect(`${a.stdout}${b.stdout}`).not.toMatch(/cannot-decrypt/);
    for (const line of a.stdout.trimEnd().split('\n')) expect(line).toMatch(TEXT_LINE);
    for (const line of b.stdout.trimEnd().split('\n')) checkJsonEvent(JSON.parse(line) as Record<string, unknown>);
  }, 90_000);

  it('with different keys the listener says it cannot decrypt within seconds, and its recording holds no tone', async () => {
    const room = `cli-e2ee-wrong-${Date.now()}`;
    const atB = join(dir, 'wrong-b.wav');
    const a = startAlto(['--room-name', room, '--identity', 'a', '-i', 'tone:440', '-o', 'null', '--no-tui', '--e2ee-key-file', keyFile('wrong-a.key', 'correct horse battery staple')], env);
    await a.waitForLine(/^connected$/);
    const startedAt = Date.now();
    const b = startAlto(['--room-name', room, '--identity', 'b', '-i', 'silence', '-o', `wav:${atB}`, '--json', '--e2ee-key-file', keyFile('wrong-b.key', 'a different passphrase entirely')], env);
    await b.waitForLine(/"event":"cannot-decrypt","identity":"a"/, 15_000);
    await new Promise((r) => setTimeout(r, 4000));
    await leave(a, b);
    const joinedAt = jsonTimeMs(b.stdout, (o) => o['event'] === 'joined' && o['identity'] === 'a');
    const reportedAt = jsonTimeMs(b.stdout, (o) => o['event'] === 'cannot-decrypt' && o['identity'] === 'a');
    console.log(`cannot-decrypt ${reportedAt - startedAt} ms after starting the process, ${reportedAt - joinedAt} ms after its joined line`);
    expect(reportedAt).toBeGreaterThanOrEqual(joinedAt);
    expect(secondsOfTone(atB, 440, 1000)).toBe(0);
    expect(readWavSamples(atB).length).toBeGreaterThan(48_000 * 3);
    expect(b.stdout).not.toMatch(/"event":"decrypting"/);
    // A hears B's silence just as little: B's microphone does not decrypt at A either.
    expect(eventLines(a.stdout)).toContain('cannot-decrypt b');
    for (const line of b.stdout.trimEnd().split('\n')) checkJsonEvent(JSON.parse(line) as Record<string, unknown>);
  }, 90_000);

  it('the terminal UI shows the lock, and a participant whose audio does not decrypt, on screen', async () => {
    const room = `cli-e2ee-tui-${Date.now()}`;
    const a = startAlto(['--room-name', room, '--identity', 'a', '-i', 'tone:440', '-o', 'null', '--no-tui', '--e2ee-key-file', keyFile('tui-a.key', 'correct horse battery staple')], env);
    await a.waitForLine(/^connected$/);
    const script = join(dir, 'run-ui.sh');
    const vars = Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ');
    const key = keyFile('tui-ui.key', 'a different passphrase entirely');
    writeFileSync(script, `${vars} ${altoCommand()} --room-name ${room} --identity ui -i silence -o null --tui --e2ee-key-file ${key}; echo ALTO-EXIT=$?; sleep 60\n`);
    tmux('new-session', '-d', '-x', '120', '-y', '30', `sh ${script}`);
    let screen = '';
    const end = Date.now() + 30_000;
    const shown = (): boolean =>
      screen.includes('● connected') &&
      screen.includes("🔒 e2ee: 1 can't decrypt") &&
      /\ba\s+\[.*can't decrypt/.test(screen) &&
      /can't decrypt a's audio: a different end-to-end key\?/.test(screen);
    while (!shown()) {
      if (Date.now() > end) throw new Error(`the UI never showed the failure; screen:\n${screen}`);
      await new Promise((r) => setTimeout(r, 200));
      screen = tmux('capture-pane', '-p');
    }
    tmux('send-keys', 'q');
    const quitEnd = Date.now() + 10_000;
    while (!tmux('capture-pane', '-p').includes('ALTO-EXIT=')) {
      if (Date.now() > quitEnd) throw new Error('alto did not quit on q');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(tmux('capture-pane', '-p')).toContain('ALTO-EXIT=0');
    await leave(a);
  }, 90_000);
});
