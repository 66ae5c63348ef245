import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { DaemonConfig } from '../src/config.js';
import { startDaemon, type Daemon } from '../src/daemon.js';
import type { DaemonLogger } from '../src/logging.js';
import { runAltod, type RunEnvironment } from '../src/run.js';
import { fakeFactory } from './fake-client.js';

/**
 * Runs altod's entry point with `deps` and captures what a process would show: stdout, stderr,
 * log lines, exit codes, and the signal handlers it installed (call them to send a signal).
 */
export function runCaptured(deps: Parameters<typeof runAltod>[0], argv: string[], env: Record<string, string>) {
  const handlers = new Map<string, () => void>();
  const out: string[] = [];
  const err: string[] = [];
  const logs: string[] = [];
  const exits: number[] = [];
  const run: RunEnvironment = {
    argv,
    env,
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    logDestination: new Writable({
      write(chunk: Buffer, _enc, done) {
        logs.push(chunk.toString());
        done();
      },
    }),
    onSignal: (signal, handler) => handlers.set(signal, handler),
    exit: (code) => exits.push(code),
  };
  return { daemon: runAltod(deps, run), handlers, out, err, logs, exits };
}

/** A logger that keeps every line for assertions. */
export function memoryLogger(): DaemonLogger & { lines: { level: string; message: string; fields?: Record<string, unknown> }[] } {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const push = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(fields === undefined ? { level, message } : { level, message, fields });
  };
  return { lines, debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}

/** The API token every test daemon uses. */
export const TEST_TOKEN = 'test-token-0123456789abcdef';

/** The recordings directory of test daemons (created on first use, 0700). */
export const TEST_RECORDINGS_DIR = join(tmpdir(), `altod-test-recordings-${process.pid}`);

/** A valid config on a free loopback port. */
export function testConfig(overrides: Partial<DaemonConfig> = {}): DaemonConfig {
  return {
    url: 'ws://127.0.0.1:7880',
    apiKey: 'devkey',
    apiSecret: 'super-secret-value-that-must-not-leak',
    room: 'lobby',
    identity: 'altod-test',
    input: 'silence',
    output: 'null',
    masterVolume: 1,
    listen: { kind: 'tcp', host: '127.0.0.1', port: 0 },
    allowRemote: false,
    tokenFile: '/nonexistent/token',
    join: true,
    logLevel: 'info',
    filePolicy: { directory: TEST_RECORDINGS_DIR },
    ...overrides,
  };
}

/** Starts a daemon with a fake client factory. */
export async function startTestDaemon(overrides: Partial<DaemonConfig> = {}, devices: readonly object[] = [{ id: 0, name: 'vmic' }, { id: 1, name: 'vspeaker' }]) {
  const factory = fakeFactory();
  const logger = memoryLogger();
  const daemon: Daemon = await startDaemon({
    config: testConfig(overrides),
    deps: { createClient: factory.create, listDevices: () => Promise.resolve(devices) },
    apiToken: TEST_TOKEN,
    logger,
    backoff: { initialDelayMs: 10, maxDelayMs: 50 },
    levelIntervalMs: 100,
  });
  return { daemon, factory, logger, base: `http://${daemon.address}` };
}

/** Result of {@link call}. */
export interface CallResult {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  readonly json: unknown;
}

/** Makes a request with node:http (fetch normalises too much for header/method tests). */
export function call(
  base: string,
  method: string,
  path: string,
  options: { token?: string | null; body?: string | Buffer; headers?: Record<string, string>; socketPath?: string } = {},
): Promise<CallResult> {
  const url = new URL(base);
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? TEST_TOKEN : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        method,
        ...(options.socketPath !== undefined ? { socketPath: options.socketPath } : { host: url.hostname, port: url.port }),
        // Raw on purpose: the fuzz test sends paths that URL parsing would normalise.
        path,
        headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** Waits until `check` returns true (polling), or fails after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
