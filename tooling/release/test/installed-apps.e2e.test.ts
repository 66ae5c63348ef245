import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeTcpPort } from '@alto/harness';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { npmInstall, runCommand, secondsOfTone, startCommand, wavSamples, workspaceManifest, PUBLISHABLE } from '../src/index.js';

const { tarballs } = inject('packed');
const livekit = inject('livekit');
const pulse = inject('pulse');
const root = mkdtempSync(join(tmpdir(), 'alto-installed-'));
const prefix = join(root, 'prefix');
const alto = join(prefix, 'bin', 'alto');
const altod = join(prefix, 'bin', 'altod');
// naudiodon2 cannot be built under a path with spaces on Linux (its binding.gyp hands the
// linker an unquoted absolute path), so npm installs into `prefix`; a copy of the installed
// package under a path with spaces then shows that the bundle finds its device host from there.
const spacedAlto = join(root, 'Program Files', 'alto', 'bin', 'alto.js');
const server = { LIVEKIT_URL: livekit.url, LIVEKIT_API_KEY: livekit.apiKey, LIVEKIT_API_SECRET: livekit.apiSecret };
const versionOf = (name: string): string => workspaceManifest(PUBLISHABLE.find((p) => p.name === name)!).version;

beforeAll(async () => {
  const install = await npmInstall(['-g', '--prefix', prefix, tarballs['@alto/cli'] as string, tarballs['@alto/daemon'] as string], root);
  expect(install.code, install.output).toBe(0);
  console.info(`npm i -g of @alto/cli and @alto/daemon from their tarballs took ${(install.durationMs / 1000).toFixed(1)} s`);
  cpSync(join(prefix, 'lib', 'node_modules', '@alto', 'cli'), join(root, 'Program Files', 'alto'), { recursive: true, verbatimSymlinks: true });
}, 300_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('alto and altod installed with npm i -g from their tarballs', () => {
  it('print the versions of their packages', async () => {
    const cli = await runCommand(alto, ['--version']);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toBe(`alto ${versionOf('@alto/cli')}\n`);
    const daemon = await runCommand(altod, ['--version']);
    expect(daemon.code, daemon.stderr).toBe(0);
    expect(daemon.stdout.trim()).toBe(`altod ${versionOf('@alto/daemon')}`);
  });

  it('alto --help lists the options; bare alto with nothing configured says how to reach a server', async () => {
    const help = await runCommand(alto, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage:');
    expect(help.stdout).toContain('--list-devices');
    const bare = await runCommand(alto, [], { cwd: root });
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('LIVEKIT_URL');
    expect(bare.stderr).toContain('.env');
    expect(bare.stdout).toBe('');
  });

  it('alto --list-devices lists the PulseAudio virtual devices, installed and from a path with spaces', async () => {
    for (const [file, args] of [[alto, ['--list-devices']], [process.execPath, [spacedAlto, '--list-devices']]] as const) {
      const run = await runCommand(file, args, { env: { ...pulse.env } });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/\bvmic\b/);
      expect(run.stdout).toMatch(/\bvspeaker\b/);
    }
  });

  it('a call between two installed altos: the recording holds the talker\'s 440 Hz for as long as it talked', async () => {
    const room = `installed-call-${Date.now()}`;
    const recording = join(root, 'heard.wav');
    const listener = startCommand(process.execPath, [spacedAlto, '--room-name', room, '--identity', 'listener', '--listen-only', '-o', 'null', '--record', recording, '--no-tui'], { env: server, cwd: root });
    // Plain lines lead with an ISO timestamp.
    await listener.waitForLine(/^\d{4}-\d\d-\d\dT\S+Z connected$/);
    const talker = await runCommand(alto, ['--room-name', room, '--identity', 'talker', '-i', 'tone:440', '--no-playback', '--no-tui', '--duration', '4'], { env: server, cwd: root });
    expect(talker.code, talker.stderr).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    listener.child.kill('SIGINT');
    expect(await listener.exited, listener.stderr).toBe(0);
    const heard = secondsOfTone(wavSamples(recording), 440, [220, 660, 880]);
    expect(heard).toBeGreaterThan(2.5);
    expect(heard).toBeLessThan(4.5);
  });

  it('altod joins a room with a tone and answers /healthz', async () => {
    const port = await freeTcpPort();
    const apiToken = 'installed-altod-api-token-0123456789';
    const daemon = startCommand(altod, ['--room-name', `installed-altod-${Date.now()}`, '--identity', 'kiosk', '--input-device', 'tone:440', '--output-device', 'none', '--listen', `127.0.0.1:${port}`], {
      env: { ...server, ALTOD_API_TOKEN: apiToken, HOME: root },
      cwd: root,
    });
    try {
      const deadline = Date.now() + 30_000;
      let health = 0;
      let state = '';
      while (Date.now() < deadline && (health !== 200 || state !== 'connected')) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        health = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0);
        state = await fetch(`http://127.0.0.1:${port}/v1/status`, { headers: { authorization: `Bearer ${apiToken}` } }).then(
          async (r) => ((await r.json()) as { state?: string }).state ?? '',
          () => '',
        );
      }
      expect(health, daemon.stderr.slice(-800)).toBe(200);
      expect(state, daemon.stderr.slice(-800)).toBe('connected');
    } finally {
      daemon.child.kill('SIGTERM');
    }
    expect(await daemon.exited, daemon.stderr.slice(-800)).toBe(0);
  });
});
