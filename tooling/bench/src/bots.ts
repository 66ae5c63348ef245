import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sleep } from './report.js';

/** A running group of bot processes. */
export interface Bots {
  readonly pids: readonly number[];
  readonly connected: number;
  stop(): Promise<void>;
}

/** What the bots join. */
export interface BotTarget {
  readonly url: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly room: string;
}

const BOT_SCRIPT = fileURLToPath(new URL('./bot.ts', import.meta.url));

/** Starts `count` bots split over processes of at most `perProcess`, and waits until they joined. */
export async function startBots(target: BotTarget, count: number, perProcess = 25, prefix = 'bot'): Promise<Bots> {
  const children: ChildProcess[] = [];
  const ready: Promise<number>[] = [];
  for (let start = 0, p = 0; start < count; start += perProcess, p++) {
    const n = Math.min(perProcess, count - start);
    const child = fork(BOT_SCRIPT, [JSON.stringify({ ...target, count: n, prefix: `${prefix}${p}-`, baseHz: 200 + 600 * p })], {
      execArgv: ['--conditions=@alto/source', '--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    children.push(child);
    ready.push(
      new Promise<number>((resolve, reject) => {
        child.on('message', (m: { type?: string; connected?: number }) => {
          if (m.type === 'ready') resolve(m.connected ?? 0);
        });
        child.on('exit', (code) => reject(new Error(`bot process exited with ${code} before joining`)));
      }),
    );
  }
  const connected = (await Promise.all(ready)).reduce((a, b) => a + b, 0);
  return {
    pids: children.map((c) => c.pid ?? 0),
    connected,
    stop: async () => {
      await Promise.all(
        children.map(async (c) => {
          if (c.exitCode !== null) return;
          const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
          c.send('stop');
          await Promise.race([exited, sleep(10_000)]);
          if (c.exitCode === null) c.kill('SIGKILL');
        }),
      );
    },
  };
}
