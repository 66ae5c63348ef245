import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { SPEECH_FIXTURE, altoCommand, useTestAgent } from './processes.js';

const livekit = inject('livekit');
const dir = mkdtempSync(join(tmpdir(), 'alto-agent-tui-'));
const SOCKET = `alto-agent-tui-${process.pid}`;
// Short: the TUI's name column is narrow, and the state goes next to the name.
const agentName = `tui${process.pid % 100_000}`;
const agent = useTestAgent(livekit, agentName, dir);

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

const screen = (): string => tmux('capture-pane', '-p');

async function until(what: string, probe: (text: string) => boolean, timeoutMs: number): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const text = screen();
    if (probe(text)) return text;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; screen:\n${text}\nagent: ${agent().output().slice(-1500)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

afterAll(async () => {
  try {
    tmux('kill-server');
  } catch {
    // Already gone.
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('the terminal UI talking to a real agent (tmux)', () => {
  it('shows the agent state next to the agent and the conversation, and sends typed text on Enter', async () => {
    const room = `tui-agent-${process.pid}-${Date.now()}`;
    const script = join(dir, 'run-ui.sh');
    writeFileSync(
      script,
      `LIVEKIT_URL=${livekit.url} LIVEKIT_API_KEY=${livekit.apiKey} LIVEKIT_API_SECRET=${livekit.apiSecret} ` +
        `${altoCommand()} --room-name ${room} --identity ana --agent ${agentName} --agent-wait 60 -i wav:${SPEECH_FIXTURE}?loop -o null --tui; ` +
        'echo ALTO-EXIT=$?; sleep 60\n',
    );
    tmux('new-session', '-d', '-x', '120', '-y', '40', `sh ${script}`);

    await until('the agent row with its state', (s) => new RegExp(`${agentName} · (listening|thinking|speaking)`).test(s), 150_000);
    await until('the spoken turn, as the user', (s) => /you: user spoke for [\d.]+ seconds/.test(s), 60_000);
    await until("the agent's reply and its latency", (s) => new RegExp(`${agentName}: You spoke for [\\d.]+ seconds\\.`).test(s) && /reply \d+ ms \(p50 \d+/.test(s), 60_000);
    expect(screen()).toContain('t type to the agent');

    // t opens the entry line; its letters (m, q) must not mute or quit; Enter sends.
    tmux('send-keys', 't');
    await until('the entry line', (s) => s.includes('say> '), 10_000);
    tmux('send-keys', '-l', 'quick mq');
    await until('typed text', (s) => s.includes('say> quick mq'), 10_000);
    tmux('send-keys', 'Enter');
    await until('our chat line and its reply', (s) => s.includes('you: quick mq') && new RegExp(`${agentName}: You wrote 2 words\\.`).test(s), 60_000);
    expect(screen()).not.toContain('MUTED');

    tmux('send-keys', 'q');
    const end = await until('alto to exit', (s) => s.includes('ALTO-EXIT='), 20_000);
    expect(end).toContain('ALTO-EXIT=0');
    expect(end).toMatch(/latency p50 \d+ ms p95 \d+ ms over \d+ turns?/);
  });
});
