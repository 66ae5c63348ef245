import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { altoCommand, levelWindows, readWavSamples, startAlto, toneWindows } from './alto-process.js';

const livekit = inject('livekit');
const SPEECH = fileURLToPath(new URL('../assets/demo-speech.wav', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'alto-tui-e2e-'));
const SOCKET = `alto-tui-e2e-${process.pid}`;
const env = { LIVEKIT_URL: livekit.url, LIVEKIT_API_KEY: livekit.apiKey, LIVEKIT_API_SECRET: livekit.apiSecret };

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; screen:\n${tmux('capture-pane', '-p')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const profile = (levels: number[]) => levels.map((l) => l.toFixed(3)).join(' ');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterAll(() => {
  try {
    tmux('kill-server');
  } catch {
    // Already gone.
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('the terminal UI of a real session (tmux)', () => {
  it('lists who is there, moves their meter while they talk, and its keys change what is heard and sent', async () => {
    const room = `tui-${Date.now()}`;
    // The bot talks and records what it hears: only the UI, so its own speech cannot pass for the
    // UI's tone (a vowel's formant near 700 Hz once did, in a third participant's recording).
    const heardFromUi = join(dir, 'from-ui.wav');
    const bot = startAlto(['--room-name', room, '--identity', 'bot', '-i', `wav:${SPEECH}?loop`, '-o', 'null', '--record', heardFromUi, '--no-tui'], env);
    await bot.waitForLine(/^connected$/, 60_000);

    const heardByUi = join(dir, 'ui-heard.wav');
    const script = join(dir, 'run-ui.sh');
    const vars = Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ');
    writeFileSync(script, `${vars} ${altoCommand()} --room-name ${room} --identity ui -i tone:700 -o null --record ${heardByUi} --tui; echo ALTO-EXIT=$?; sleep 60\n`);
    tmux('new-session', '-d', '-x', '110', '-y', '40', `sh ${script}`);

    // The bot is listed and its meter follows its speech (the level readout changes between frames).
    // The UI draws from the first moment; the keys below must act on a session that is fully up
    // (recording included), so wait for `connected` as well as the bot's row.
    await until('the bot row, connected', () => {
      const screen = tmux('capture-pane', '-p');
      return /> . bot\s+\[/.test(screen) && screen.includes('● connected') ? true : undefined;
    });
    const levels = new Set<string>();
    await until('a moving meter', () => {
      const row = tmux('capture-pane', '-p').split('\n').find((l) => /bot\s+\[/.test(l));
      const db = row?.match(/\]\s+(-?[\d.]+|-inf)/)?.[1];
      if (db !== undefined) levels.add(db);
      return levels.size >= 3 && [...levels].some((v) => v !== '-inf' && Number(v) > -40) ? true : undefined;
    });

    // Left arrow lowers the selected participant (the bot) to 0; 'm' mutes our microphone.
    for (let i = 0; i < 12; i++) tmux('send-keys', 'Left');
    await until('volume 0.0', () => (/bot .*vol 0\.0/.test(tmux('capture-pane', '-p')) ? true : undefined));
    tmux('send-keys', 'm');
    await until('MUTED', () => (tmux('capture-pane', '-p').includes('MUTED') ? true : undefined));
    await sleep(2500);

    bot.child.kill('SIGINT');
    expect(await bot.exited).toBe(0);
    tmux('send-keys', 'q');
    await until('alto to exit', () => (tmux('capture-pane', '-p').includes('ALTO-EXIT=0') ? true : undefined), 15_000);

    // What the UI heard: the bot's speech, then nothing once its volume went to 0.
    const heard = levelWindows(readWavSamples(heardByUi));
    expect(heard.some((level) => level > 0.02), `level per 100 ms heard by the UI: ${profile(heard)}`).toBe(true);
    expect(Math.max(...heard.slice(-15)), `level per 100 ms heard by the UI: ${profile(heard)}`).toBeLessThan(0.003);
    // What the other side got from the UI: its 700 Hz, then silence after the mute key.
    const sent = toneWindows(readWavSamples(heardFromUi), 700, [600, 350, 1400]);
    expect(sent.some((level) => level > 0.05)).toBe(true);
    expect(Math.max(...sent.slice(-10)), `700 Hz level per 100 ms heard from the UI: ${profile(sent)}`).toBeLessThan(0.01);
  }, 180_000);
});
