import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, startLivekitServer } from '@alto/harness';
import { listDevices } from '@alto/orchestrator';
import { chooseDemoDevices } from './choose-devices.js';

/**
 * `pnpm demo`: starts a local livekit-server, a bot that talks (the CLI looping a speech WAV),
 * and `alto` in the same room on this machine's default devices — or on a WAV file and
 * silence when there is no sound device, which it says on screen.
 */
const ROOM = 'alto-demo';
const DEV_SECRET = 'alto-demo-secret-0123456789abcdef0123456789';

function say(line: string): void {
  process.stderr.write(`demo: ${line}\n`);
}

function alto(args: readonly string[], env: NodeJS.ProcessEnv, interactive: boolean): ChildProcess {
  const entry = join(repoRoot(), 'apps', 'cli', 'src', 'main.ts');
  return spawn(process.execPath, ['--conditions=@alto/source', '--import', 'tsx', entry, ...args], {
    env,
    stdio: interactive ? 'inherit' : ['ignore', 'ignore', 'pipe'],
  });
}

function exited(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

async function main(): Promise<number> {
  say('starting a local LiveKit server (the first run builds it with Go: a few minutes)');
  const server = await startLivekitServer({ apiSecret: DEV_SECRET });
  const env = { ...process.env, LIVEKIT_URL: server.url, LIVEKIT_API_KEY: server.apiKey, LIVEKIT_API_SECRET: server.apiSecret };
  let bot: ChildProcess | undefined;
  try {
    const speech = join(repoRoot(), 'apps', 'cli', 'assets', 'demo-speech.wav');
    if (!existsSync(speech)) throw new Error(`missing ${speech}`);
    bot = alto(['--room-name', ROOM, '--identity', 'demo-bot', '--name', 'Demo Bot', '-i', `wav:${speech}?loop`, '--no-playback', '--no-tui'], env, false);
    bot.stderr?.resume();
    say(`server ${server.url}; a bot named demo-bot is talking in room '${ROOM}'`);

    const devices = await listDevices().catch(() => []);
    // pnpm runs scripts in the package's directory; INIT_CWD is where the user typed the command.
    const choice = chooseDemoDevices(devices, process.env['INIT_CWD'] ?? process.cwd());
    for (const notice of choice.notices) say(notice);
    say('joining as you (keys in the UI: m mute, up/down select, left/right volume, q quit)');
    // Ctrl+C reaches every process of the group; alto leaves by itself, the demo then cleans up.
    process.on('SIGINT', () => {});
    process.on('SIGTERM', () => {});
    const you = alto(['--room-name', ROOM, '--identity', 'you', '-i', choice.input, '-o', choice.output, ...(process.stdout.isTTY ? [] : ['--no-tui'])], env, true);
    return await exited(you);
  } finally {
    if (bot && bot.exitCode === null) {
      bot.kill('SIGTERM');
      await Promise.race([exited(bot), new Promise((r) => setTimeout(r, 2500))]);
      bot.kill('SIGKILL');
    }
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
