import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startLivekitServer, type LivekitServer } from '@alto/harness';
import { afterAll, describe, expect, it } from 'vitest';
import { altoCommand, eventLines, startAlto } from './alto-process.js';
import { TEXT_LINE } from './plain-format.js';
import { TmuxPane } from './tmux.js';

const dir = mkdtempSync(join(tmpdir(), 'alto-tui-reconnect-'));
const pane = new TmuxPane('tui-reconnect');
const BOTS = fileURLToPath(new URL('./fixtures/room-bots.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const servers: LivekitServer[] = [];

afterAll(async () => {
  pane.kill();
  for (const server of servers) await server.stop();
  rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
});

/** The row of `name` in the captured pane with its SGR attributes (`capture-pane -e`). */
function styledRow(name: string): string {
  return pane.styled().split('\n').find((l) => l.includes(name)) ?? '';
}

describe('the terminal UI when the server goes away (own server, tmux)', () => {
  it('shows reconnecting with the attempt and the old list greyed, connected again after a restart, and a wrong key in words (TUI and plain lines)', async () => {
    const server = await startLivekitServer();
    servers.push(server);
    const room = `tui-reconnect-${Date.now()}`;
    const bots = spawn(process.execPath, ['--conditions=@alto/source', '--import', TSX, BOTS, server.url, server.apiKey, server.apiSecret, room, 'bob=Bob Builder'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    try {
      await new Promise<void>((resolve) => bots.stdout.setEncoding('utf8').on('data', (d: string) => d.includes('ready') && resolve()));
      const script = join(dir, 'run.sh');
      const vars = `LIVEKIT_URL=${server.url} LIVEKIT_API_KEY=${server.apiKey} LIVEKIT_API_SECRET=${server.apiSecret}`;
      writeFileSync(script, `${vars} ${altoCommand()} --room-name ${room} --identity ui -i silence -o null --tui 2> ${join(dir, 'stderr.txt')}; echo ALTO-EXIT=$?; sleep 60\n`);
      pane.start(`sh ${script}`, 100, 30);
      // A script's view of the same story, in plain lines.
      const plain = startAlto(['--room-name', room, '--identity', 'script', '--listen-only', '-o', 'null', '--no-tui'], {
        LIVEKIT_URL: server.url,
        LIVEKIT_API_KEY: server.apiKey,
        LIVEKIT_API_SECRET: server.apiSecret,
      });
      await pane.until('connected with Bob listed', (s) => s.includes('● connected') && s.includes('Bob Builder'), 60_000);
      await plain.waitForLine(/^joined bob \(Bob Builder\)$/, 60_000);
      expect(styledRow('Bob Builder')).not.toContain('\x1b[2m○ Bob');

      // The server dies: reconnecting with an attempt count, the list kept and greyed.
      server.signal('SIGKILL');
      const killedAt = Date.now();
      await pane.until('reconnecting with an attempt count', (s) => /^alto ● reconnecting, attempt \d+, \d+ s/m.test(s), 10_000);
      const shownAfterMs = Date.now() - killedAt;
      console.log(`reconnecting shown ${shownAfterMs} ms after the server was killed`);
      const lost = pane.lines().join('\n');
      expect(lost).toContain(`lost the room on ${server.url}`);
      expect(lost).toContain('from before the room was lost');
      expect(lost).not.toMatch(/quality excellent/);
      expect(styledRow('Bob Builder')).toContain('\x1b[2m○ Bob Builder');
      await pane.until('the reason of a failed attempt', (s) => /reconnecting, attempt \d+, \d+ s: unreachable/.test(s), 60_000);
      await plain.waitForLine(/^reconnecting attempt \d+: unreachable$/, 60_000);

      // Back on the same address: connected again, Bob live again.
      await server.restart();
      await pane.until('connected again', (s) => s.includes('● connected') && s.includes('Bob Builder'), 90_000);
      await pane.until('Bob no longer greyed', () => (styledRow('Bob Builder').includes('\x1b[2m○ Bob') ? undefined : true), 30_000);
      await pane.until('the script connected again', () => (eventLines(plain.stdout).filter((l) => l === 'connected').length >= 2 ? true : undefined), 90_000);

      // It dies again and comes back with another secret: the reason is said in words.
      server.signal('SIGKILL');
      await pane.until('reconnecting again', (s) => s.includes('● reconnecting'), 10_000);
      await new Promise((r) => setTimeout(r, 1000));
      const rekeyed = await startLivekitServer({ port: server.port, apiKey: server.apiKey, apiSecret: 'another-secret-that-is-long-enough-0123456789' });
      servers.push(rekeyed);
      await pane.until('the wrong key in words', (s) => /● failed: wrong key/.test(s) && /gave up on .*: wrong key; press q to quit/.test(s), 120_000);
      pane.keys('q');
      await pane.until('alto to exit 1', (s) => s.includes('ALTO-EXIT=1'), 15_000);

      // The script saw: reconnecting with attempts and the reason, connected again, then the
      // failure in words, and alto exited 1 by itself with the reason on stderr.
      expect(await plain.exited).toBe(1);
      expect(plain.stderr).toMatch(/^alto: left the room: wrong key$/m);
      const lines = eventLines(plain.stdout);
      for (const line of plain.stdout.trimEnd().split('\n')) expect(line).toMatch(TEXT_LINE);
      const firstLoss = lines.findIndex((l) => /^reconnecting attempt 1$/.test(l));
      expect(firstLoss, lines.join('\n')).toBeGreaterThan(0);
      expect(lines.slice(firstLoss).some((l) => /^reconnecting attempt \d+: unreachable$/.test(l))).toBe(true);
      const back = lines.indexOf('connected', firstLoss);
      expect(back).toBeGreaterThan(firstLoss);
      expect(lines.at(-1)).toBe('failed: wrong key');
      // No state repeated without a change in between.
      for (let i = 1; i < lines.length; i++) expect(lines[i], `line ${i}`).not.toBe(lines[i - 1]);
    } finally {
      bots.kill('SIGTERM');
    }
  }, 400_000);
});
