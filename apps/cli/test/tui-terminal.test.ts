import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./fixtures/tui-fixture.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const SOCKET = `alto-cli-test-${process.pid}`;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

afterAll(() => {
  try {
    tmux('kill-server');
  } catch {
    // Already gone.
  }
});

describe('TuiController in a real terminal (tmux)', () => {
  it('draws participants, turns keys into actions, and restores the terminal on quit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'alto-tui-'));
    const actions = join(dir, 'actions.jsonl');
    const stty = join(dir, 'stty.txt');
    const node = `${process.execPath} --import ${TSX} ${FIXTURE} ${actions}`;
    tmux('new-session', '-d', '-x', '100', '-y', '30', `echo BEFORE-TUI; ${node}; stty -a > ${stty}; echo AFTER-TUI; sleep 30`);

    const screen = await until('the frame', () => {
      const pane = tmux('capture-pane', '-p');
      return pane.includes('carol') || pane.includes('Carol') ? pane : undefined;
    });
    expect(screen).toMatch(/room fixture-room/);
    expect(screen).toMatch(/● bob/);
    expect(screen).toMatch(/Carol/);
    expect(screen).toMatch(/you \(mic\)/);
    expect(screen).not.toContain('BEFORE-TUI'); // the alternate screen hides the shell

    tmux('send-keys', 'Down');
    tmux('send-keys', '+');
    await until('volume shown', () => (/Carol .*vol 1\.1/.test(tmux('capture-pane', '-p')) ? true : undefined));
    tmux('send-keys', 'm');
    await until('mute shown', () => (tmux('capture-pane', '-p').includes('MUTED') ? true : undefined));
    tmux('send-keys', 'q');

    const after = await until('the shell again', () => {
      const pane = tmux('capture-pane', '-p');
      return pane.includes('AFTER-TUI') ? pane : undefined;
    });
    expect(after).toContain('BEFORE-TUI'); // back on the normal screen, scrollback intact
    const lines = readFileSync(actions, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(lines).toEqual([
      { type: 'select', id: 'carol' },
      { type: 'setVolume', id: 'carol', volume: 1.1 },
      { type: 'toggleMute' },
      { type: 'quit' },
    ]);
    expect(existsSync(stty)).toBe(true);
    const modes = readFileSync(stty, 'utf8');
    expect(modes).toMatch(/(^|\s)icanon(\s|$)/);
    expect(modes).toMatch(/(^|\s)echo(\s|$)/);
  }, 60_000);
});
