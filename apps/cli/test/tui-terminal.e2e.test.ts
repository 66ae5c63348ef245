import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { columnsOf } from '../src/tui/text-width.js';
import { altoCommand } from './alto-process.js';
import { TmuxPane } from './tmux.js';

const livekit = inject('livekit');
const dir = mkdtempSync(join(tmpdir(), 'alto-tui-terminal-'));
const pane = new TmuxPane('tui-terminal');
const BOTS = fileURLToPath(new URL('./fixtures/room-bots.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const PROMPT = 'TEST-PROMPT$';
const NAMES = { cjk: '例えば田中太郎', emoji: '😀 Zoë', combining: 'Jose\u0301 Mari\u0301a' };

afterAll(async () => {
  pane.kill();
  // The shell and alto get SIGHUP from tmux and may still be ending.
  await new Promise((r) => setTimeout(r, 500));
  rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
});

/** Starts listen-only participants with these display names; resolves once all are in the room. */
async function joinBots(room: string, people: Record<string, string>): Promise<() => Promise<void>> {
  const args = Object.entries(people).map(([id, name]) => `${id}=${name}`);
  const child = spawn(process.execPath, ['--conditions=@alto/source', '--import', TSX, BOTS, livekit.url, livekit.apiKey, livekit.apiSecret, room, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('ready')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`bots exited ${code}`)));
  });
  return async () => {
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
}

/** Every row within the width, the header on the first line, the selected row visible. */
function checkScreen(lines: readonly string[], columns: number, rows: number): void {
  expect(lines.length).toBeLessThanOrEqual(rows);
  for (const line of lines) expect(columnsOf(line), `${line} (${columns} columns)`).toBeLessThan(columns);
  expect(lines[0]).toMatch(/^alto ● connected/);
  expect(lines.some((l) => /^> [●○] /.test(l))).toBe(true);
}

describe('the terminal UI in tmux (interactive shell, real server)', () => {
  it('twenty + keys in one burst are twenty steps; any script fits 80x24, 40x12 and 200x60 and a live resize; Ctrl+Z and SIGTSTP/SIGCONT suspend and resume', async () => {
    const room = `tui-terminal-${Date.now()}`;
    const pidFile = join(dir, 'alto.pid');
    const stty = join(dir, 'stty.txt');
    const script = join(dir, 'run.sh');
    const vars = `LIVEKIT_URL=${livekit.url} LIVEKIT_API_KEY=${livekit.apiKey} LIVEKIT_API_SECRET=${livekit.apiSecret}`;
    writeFileSync(script, `echo $$ > ${pidFile}; ${vars} exec ${altoCommand()} --room-name ${room} --identity ui -i silence -o null --volume 0 --tui\n`);
    pane.start(`env -i PATH=${process.env['PATH'] ?? ''} HOME=${dir} HISTFILE=/dev/null PS1='${PROMPT} ' TERM=screen bash --norc --noprofile -i`, 80, 24);
    await pane.until('the shell', (s) => s.includes(PROMPT));
    // One simple command, so the shell treats alto as its job (a list would go on when it stops).
    pane.keys('-l', `sh ${script}`);
    pane.keys('Enter');
    await pane.until('connected, alone', (s) => s.includes('● connected') && s.includes('nobody else in the room yet'), 60_000);

    // Alone in the room, + is the master volume: one burst of twenty from 0.0 is exactly 2.0.
    pane.keys('-l', '+'.repeat(20));
    await pane.until('master 2.0', (s) => s.includes('master 2.0'));
    pane.keys('-l', '--', '-'.repeat(5));
    await pane.until('master 1.5', (s) => s.includes('master 1.5'));

    const leave = await joinBots(room, NAMES);
    try {
      await pane.until('every name listed', (s) => Object.values(NAMES).every((n) => s.includes(n.normalize('NFC')) || s.includes(n)));
      pane.keys('Down');
      for (const [columns, rows] of [[80, 24], [40, 12], [200, 60], [80, 24]] as const) {
        pane.resize(columns, rows);
        await pane.until(`a frame at ${columns}x${rows}`, () => {
          const lines = pane.lines();
          const rule = lines.find((l) => l.startsWith('── participants'));
          return rule !== undefined && columnsOf(rule) === columns - 1 ? true : undefined;
        });
        const lines = pane.lines();
        checkScreen(lines, columns, rows);
        // Each name's row is whole: name, meter and volume on one line.
        for (const name of Object.values(NAMES)) {
          const row = lines.find((l) => l.includes(name.slice(0, 3)));
          expect(row, `${name} at ${columns}x${rows}`).toMatch(/\[[·█|]+\] .*vol \d\.\d/);
        }
      }

      // SIGTSTP from outside: the terminal goes back to the shell, which shows its prompt.
      const pid = Number(readFileSync(pidFile, 'utf8').trim());
      process.kill(pid, 'SIGTSTP');
      await pane.until('the prompt while stopped', (s) => /Stopped/.test(s) && s.trimEnd().endsWith(PROMPT));
      expect(pane.lines().some((l) => l.startsWith('alto ●'))).toBe(false);
      // fg sends SIGCONT: the UI takes the terminal back, redraws, and keys work at once.
      pane.keys('-l', 'fg');
      pane.keys('Enter');
      await pane.until('the UI again', (s) => s.startsWith('alto ● connected'));
      pane.keys('m');
      await pane.until('keys work after resume', (s) => s.includes('MUTED'));

      // Ctrl+Z does the same from the keyboard.
      pane.keys('C-z');
      await pane.until('the prompt after Ctrl+Z', (s) => /Stopped/.test(s) && s.trimEnd().endsWith(PROMPT));
      pane.keys('-l', 'fg');
      pane.keys('Enter');
      await pane.until('the UI after fg', (s) => s.startsWith('alto ● connected'));
      pane.keys('m');
      await pane.until('unmuted', (s) => s.includes('live') && !s.includes('MUTED'));
      checkScreen(pane.lines(), 80, 24);

      pane.keys('q');
      await pane.until('the prompt after quitting', (s) => s.trimEnd().endsWith(PROMPT), 15_000);
      pane.keys('-l', `E=$?; stty -a > ${stty}; echo "ALTO-EXIT=$E"`);
      pane.keys('Enter');
      await pane.until('the exit status', (s) => /^ALTO-EXIT=0$/m.test(s), 5_000);
      const modes = readFileSync(stty, 'utf8');
      expect(modes).toMatch(/(^|\s)icanon(\s|$)/);
      expect(modes).toMatch(/(^|\s)echo(\s|$)/);
    } finally {
      await leave();
    }
  }, 240_000);
});
