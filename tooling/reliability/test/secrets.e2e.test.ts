import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freeTcpPort, startLivekitServer, type LivekitServer } from '@alto/harness';
import { mintToken } from '@alto/livekit-net';
import { Tally } from '../src/tally.js';
import { killTree, runApp, spawnApp, waitFor } from '../src/index.js';

const tally = new Tally('secrets', inject('tallyDir'));
const SECRET = 's3cr3t-ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789';
const API_TOKEN = 'altod-api-token-QWERTYUIOPASDFGHJKLZXCVBNM-9876';

/**
 * Runs alto and altod with a known API secret, LiveKit token and daemon API token, at debug log
 * level, through success and failure paths, and searches everything they wrote or answered.
 */
describe('secrets never appear in any output', () => {
  let server: LivekitServer;
  let token: string;
  let dir: string;
  const transcripts: Array<{ what: string; text: string }> = [];

  beforeAll(async () => {
    server = await startLivekitServer({ apiSecret: SECRET });
    token = await mintToken({ apiKey: server.apiKey, apiSecret: SECRET, room: 'secrets', identity: 'by-token' });
    dir = mkdtempSync(join(tmpdir(), 'alto-secrets-'));
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
    tally.flush((l) => process.stdout.write(l));
  });

  const secrets = (): Record<string, string> => ({
    'API secret': SECRET,
    'LiveKit token': token,
    // A JWT's signature alone identifies it; a log that printed part of the token still leaks.
    'LiveKit token signature': token.split('.')[2] ?? token,
    'daemon API token': API_TOKEN,
  });

  function record(what: string, text: string): void {
    transcripts.push({ what, text });
  }

  it('alto with key and secret from the environment, verbose, joined and left', async () => {
    const r = await runApp('cli', ['--url', server.url, '--room-name', 'secrets', '--identity', 'by-env', '-i', 'tone:440', '-o', 'null', '--no-tui', '--duration', '2', '-v'], {
      env: { ...process.env, LIVEKIT_API_KEY: server.apiKey, LIVEKIT_API_SECRET: SECRET },
      timeoutMs: 30_000,
    });
    record('alto env stdout', r.stdout);
    record('alto env stderr', r.stderr);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('connected'); // there was output to search
  });

  it('alto with the secret as a flag and a token as a flag, verbose', async () => {
    const a = await runApp('cli', ['--url', server.url, '--api-key', server.apiKey, '--api-secret', SECRET, '--room-name', 'secrets', '--identity', 'by-flag', '-i', 'silence', '-o', 'null', '--no-tui', '--duration', '1', '-v'], { timeoutMs: 30_000 });
    const b = await runApp('cli', ['--url', server.url, '--token', token, '-i', 'silence', '-o', 'null', '--no-tui', '--duration', '1', '-v'], { timeoutMs: 30_000 });
    for (const [n, r] of [['flag', a], ['token', b]] as const) {
      record(`alto ${n} stdout`, r.stdout);
      record(`alto ${n} stderr`, r.stderr);
      expect(r.code, r.stderr).toBe(0);
    }
  });

  it('alto failing: wrong key with the secret, unreachable server with the token, token subcommand', async () => {
    const failures = [
      ['--url', server.url, '--api-key', 'wrong-key', '--api-secret', SECRET, '--room-name', 'r', '--identity', 'x', '-i', 'silence', '-o', 'null', '--no-tui', '-v'],
      ['--url', 'ws://127.0.0.1:9', '--token', token, '-i', 'silence', '-o', 'null', '--no-tui', '-v'],
      ['--url', server.url, '--token', token, '--room-name', 'another', '-v'],
    ];
    for (const args of failures) {
      const r = await runApp('cli', args, { timeoutMs: 30_000 });
      record(`alto failing ${args[1]} stdout`, r.stdout);
      record(`alto failing ${args[1]} stderr`, r.stderr);
      expect(r.code).not.toBe(0);
    }
    // `alto token` prints a token on purpose (its own output), but its logs must not echo the secret.
    const t = await runApp('cli', ['token', '--room', 'r', '--identity', 'x', '--api-key', server.apiKey, '--api-secret', SECRET, '-v'], { timeoutMs: 20_000 });
    expect(t.code).toBe(0);
    record('alto token stderr', t.stderr);
  });

  it('altod at debug level: logs, API responses, events and metrics', async () => {
    const port = await freeTcpPort();
    const daemon = spawnApp('daemon', ['--url', server.url, '--room-name', 'secrets', '--identity', 'daemon', '--input-device', 'tone:660', '--output-device', 'null', '--listen', `127.0.0.1:${port}`, '--log-level', 'debug', '--token-file', join(dir, 'api-token')], {
      env: { ...process.env, LIVEKIT_API_KEY: server.apiKey, LIVEKIT_API_SECRET: SECRET, ALTOD_API_TOKEN: API_TOKEN },
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      const auth = { authorization: `Bearer ${API_TOKEN}` };
      const get = async (path: string, headers: Record<string, string> = auth): Promise<string> => {
        const res = await fetch(base + path, { headers, signal: AbortSignal.timeout(5000) });
        return `${res.status} ${await res.text()}`;
      };
      expect(await waitFor(async () => (await get('/v1/status').catch(() => '')).includes('"connected"'), 30_000, 250)).toBe(true);
      for (const path of ['/v1/status', '/v1/participants', '/metrics', '/v1/devices', '/healthz']) record(`altod GET ${path}`, await get(path));
      record('altod wrong token', await get('/v1/status', { authorization: `Bearer ${API_TOKEN}x` }));
      const join = await fetch(`${base}/v1/join`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ room: 'secrets-2' }) });
      record('altod POST /v1/join', await join.text());
      // A second of the event stream.
      const events = await fetch(`${base}/v1/events`, { headers: auth, signal: AbortSignal.timeout(1500) })
        .then(async (res) => {
          let text = '';
          const reader = res.body?.getReader();
          try {
            for (;;) {
              const chunk = await reader?.read();
              if (!chunk || chunk.done) break;
              text += new TextDecoder().decode(chunk.value as Uint8Array);
            }
          } catch {
            // the timeout ended the stream
          }
          return text;
        })
        .catch(() => '');
      record('altod events', events);
      expect(events).toContain('status');
      daemon.child.kill('SIGTERM');
      await Promise.race([daemon.exited, new Promise((r) => setTimeout(r, 5000))]);
    } finally {
      killTree(daemon.pid);
    }
    record('altod stdout', daemon.stdout);
    record('altod stderr', daemon.stderr);
    expect(daemon.stderr.length).toBeGreaterThan(0);
  });

  it('finds none of the secrets in anything captured', () => {
    const leaks: string[] = [];
    for (const { what, text } of transcripts) {
      for (const [name, value] of Object.entries(secrets())) {
        if (text.includes(value)) leaks.push(`${name} in ${what}`);
      }
    }
    const bytes = transcripts.reduce((n, t) => n + t.text.length, 0);
    process.stdout.write(`secrets: searched ${transcripts.length} outputs (${bytes} chars) for ${Object.keys(secrets()).length} secrets: ${leaks.length} leaks\n`);
    tally.add('lost', leaks.length);
    expect(transcripts.length).toBeGreaterThan(15);
    expect(leaks).toEqual([]);
  });
});
