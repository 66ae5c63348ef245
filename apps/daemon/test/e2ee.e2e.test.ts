import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AltoClient, shutdownNetworkRuntime, type AltoClientOptions } from '@alto/orchestrator';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { toSsePayload } from '../src/sse.js';
import type { E2eeStatusView } from '../src/supervisor.js';
import { call, runCaptured, until } from './helpers.js';

const livekit = inject('livekit');
const dir = mkdtempSync(join(tmpdir(), 'altod-e2ee-'));
const ENV = { LIVEKIT_URL: livekit.url, LIVEKIT_API_KEY: livekit.apiKey, LIVEKIT_API_SECRET: livekit.apiSecret };
const PASSPHRASE = 'correct horse battery staple';

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await shutdownNetworkRuntime();
});

function keyFile(name: string, passphrase: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, `${passphrase}\n`);
  chmodSync(path, mode);
  return path;
}

/** Runs altod's entry point with the real client; what it prints, logs and exits with. */
function altod(argv: string[], env: Record<string, string> = ENV) {
  return runCaptured({ createClient: (options: AltoClientOptions) => new AltoClient(options), listDevices: () => Promise.resolve([]) }, argv, env);
}

async function e2eeOf(base: string, token: string): Promise<E2eeStatusView> {
  const status = await call(base, 'GET', '/v1/status', { token });
  expect(status.status).toBe(200);
  return (status.json as { e2ee: E2eeStatusView }).e2ee;
}

describe('altod --e2ee-key-file through the real server', () => {
  it('reports e2ee enabled in /v1/status, whose audio decrypts and whose does not', async () => {
    const room = `altod-e2ee-${Date.now()}`;
    const tokenFile = join(dir, 'api-token');
    const run = altod(['--room-name', room, '--identity', 'altod', '--input-device', 'tone:440', '--output-device', 'null', '--listen', '127.0.0.1:0', '--token-file', tokenFile, '--e2ee-key-file', keyFile('altod.key', PASSPHRASE)]);
    const daemon = await run.daemon;
    expect(daemon).toBeDefined();
    const base = `http://${daemon!.address}`;
    const token = readFileSync(tokenFile, 'utf8').trim();
    const peers: AltoClient[] = [];
    try {
      await until(() => daemon!.supervisor.status().state === 'connected', 20_000, 'joined');
      expect(await e2eeOf(base, token)).toMatchObject({ enabled: true });
      for (const [identity, e2eeKey] of [['friend', PASSPHRASE], ['stranger', 'a different passphrase entirely']] as const) {
        const peer = new AltoClient({ url: livekit.url, apiKey: livekit.apiKey, apiSecret: livekit.apiSecret, room, identity, input: 'tone:1000', output: 'null', e2eeKey });
        peers.push(peer);
        await peer.connect();
      }
      const deadline = Date.now() + 10_000;
      let e2ee = await e2eeOf(base, token);
      while (Object.keys(e2ee.participants).length < 2 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        e2ee = await e2eeOf(base, token);
      }
      expect(e2ee).toEqual({ enabled: true, local: 'ok', participants: { friend: 'ok', stranger: 'decryption-failed' } });
    } finally {
      for (const peer of peers) await peer.disconnect();
      run.handlers.get('SIGTERM')?.();
      await until(() => run.exits.length > 0, 5000, 'exit');
    }
    expect(run.exits).toEqual([0]);
    expect(run.logs.join('')).not.toContain(PASSPHRASE);
  }, 60_000);

  it('reports e2ee off without a key file', async () => {
    const tokenFile = join(dir, 'api-token-off');
    const run = altod(['--no-join', '--listen', '127.0.0.1:0', '--token-file', tokenFile]);
    const daemon = await run.daemon;
    expect(await e2eeOf(`http://${daemon!.address}`, readFileSync(tokenFile, 'utf8').trim())).toEqual({ enabled: false, local: null, participants: {} });
    await daemon!.stop();
  });

  it.each([
    ['a missing key file', () => join(dir, 'none.key'), /e2ee key file .*none\.key does not exist/],
    ['a key file others can read', () => keyFile('open.key', PASSPHRASE, 0o644), /accessible by other users \(mode 0644\); run chmod 600/],
    ['a too-short passphrase', () => keyFile('short.key', 'hunter2'), /7-byte passphrase; use at least 16 bytes/],
    ['an empty key file', () => keyFile('empty.key', ''), /is empty/],
  ])('prints one line and exits 2 for %s', async (_name, path, message) => {
    const run = altod(['--no-join', '--listen', '127.0.0.1:0', '--token-file', join(dir, 'unused-token')], { ...ENV, ALTO_E2EE_KEY_FILE: path() });
    expect(await run.daemon).toBeUndefined();
    expect(run.exits).toEqual([2]);
    expect(run.err.join('')).toMatch(/^altod: [^\n]+\n$/);
    expect(run.err.join('')).toMatch(message);
    expect(run.err.join('')).not.toContain(PASSPHRASE);
  });

  it('streams each change of a participant\'s E2EE state as an `e2ee` server-sent event', () => {
    expect(toSsePayload({ type: 'e2ee', identity: 'stranger', local: false, state: 'decryption-failed' })).toEqual({
      name: 'e2ee',
      data: { identity: 'stranger', local: false, state: 'decryption-failed' },
    });
  });
});
