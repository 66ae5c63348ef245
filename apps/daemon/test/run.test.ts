import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeFactory } from './fake-client.js';
import { call, runCaptured, until } from './helpers.js';

function harness(argv: string[], env: Record<string, string>) {
  const factory = fakeFactory();
  return { factory, ...runCaptured({ createClient: factory.create, listDevices: () => Promise.resolve([]) }, argv, env) };
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'altod-run-'));
}

const ENV = { LIVEKIT_URL: 'ws://127.0.0.1:1', LIVEKIT_API_KEY: 'devkey', LIVEKIT_API_SECRET: 'the-secret-that-must-not-leak' };

describe('altod process', () => {
  it('prints one line and exits 2 on a bad flag or setting', async () => {
    const bad = harness(['--listen', '0.0.0.0:7690', '--room-name', 'r'], ENV);
    expect(await bad.daemon).toBeUndefined();
    expect(bad.exits).toEqual([2]);
    expect(bad.err.join('')).toMatch(/^altod: .*--allow-remote.*\n$/);
    const unknown = harness(['--bogus'], ENV);
    await unknown.daemon;
    expect(unknown.exits).toEqual([2]);
  });

  it('prints help and exits 0', async () => {
    const h = harness(['--help'], {});
    await h.daemon;
    expect(h.exits).toEqual([0]);
    expect(h.out.join('')).toContain('--allow-remote');
  });

  it('creates the token file, serves the API, leaves on SIGTERM and exits 0', async () => {
    const dir = tempDir();
    const tokenFile = join(dir, 'token');
    const h = harness(['--room-name', 'r', '--listen', '127.0.0.1:0', '--token-file', tokenFile, '--input-device', 'silence'], ENV);
    const daemon = await h.daemon;
    expect(daemon).toBeDefined();
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const token = readFileSync(tokenFile, 'utf8').trim();
    await until(() => h.factory.clients[0]?.state === 'connected');
    const status = await call(`http://${daemon!.address}`, 'GET', '/v1/status', { token });
    expect(status.status).toBe(200);
    h.handlers.get('SIGTERM')?.();
    await until(() => h.exits.length > 0, 2000, 'exit');
    expect(h.exits).toEqual([0]);
    expect(h.factory.clients[0]?.disconnected).toBe(true);
    const logText = h.logs.join('');
    expect(logText).toContain('"msg":"shutting down"');
    expect(logText).not.toContain('the-secret-that-must-not-leak');
    expect(logText).not.toContain(token);
  });

  it('reloads the config file on SIGHUP: volume in place, a new room by rejoining', async () => {
    const dir = tempDir();
    const configPath = join(dir, 'altod.json');
    writeFileSync(configPath, JSON.stringify({ room: 'one', masterVolume: 1, listen: '127.0.0.1:0', tokenFile: join(dir, 't') }));
    const h = harness(['--config', configPath], ENV);
    const daemon = await h.daemon;
    await until(() => h.factory.clients[0]?.state === 'connected');
    writeFileSync(configPath, JSON.stringify({ room: 'one', masterVolume: 0.2, listen: '127.0.0.1:0', tokenFile: join(dir, 't') }));
    h.handlers.get('SIGHUP')?.();
    await until(() => h.factory.clients[0]?.masterVolume === 0.2, 2000, 'volume applied');
    expect(h.factory.clients).toHaveLength(1);
    writeFileSync(configPath, JSON.stringify({ room: 'two', masterVolume: 0.2, listen: '127.0.0.1:0', tokenFile: join(dir, 't') }));
    h.handlers.get('SIGHUP')?.();
    await until(() => h.factory.clients.length === 2 && h.factory.latest().state === 'connected', 2000, 'rejoined');
    expect(h.factory.latest().options.room).toBe('two');
    writeFileSync(configPath, '{ broken');
    h.handlers.get('SIGHUP')?.();
    await until(() => h.logs.join('').includes('config reload failed'), 2000, 'reload failure logged');
    expect(h.factory.clients).toHaveLength(2);
    expect(h.logs.join('')).toContain('"changed":["room"]');
    await daemon!.stop();
  });

  it('refuses to start with a token file others can read (exit 2)', async () => {
    const dir = tempDir();
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, 'a-token-that-is-long-enough\n');
    chmodSync(tokenFile, 0o644);
    const h = harness(['--room-name', 'r', '--listen', '127.0.0.1:0', '--token-file', tokenFile], ENV);
    expect(await h.daemon).toBeUndefined();
    expect(h.exits).toEqual([2]);
    expect(h.err.join('')).toContain('chmod 600');
  });
});
