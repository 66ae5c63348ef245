import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { HarnessError } from './errors.js';
import { freeTcpPort, freeUdpPort } from './free-port.js';
import { cacheDir } from './repo-root.js';

/** The livekit-server release the project pins. */
export const LIVEKIT_SERVER_VERSION = 'v1.13.5';
const MODULE = 'github.com/livekit/livekit-server/cmd/server';

function onPath(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Finds a livekit-server binary without installing anything: `LIVEKIT_SERVER_BIN`, then the
 * workspace cache, then `PATH`.
 */
export function findLivekitServerBinary(): string | undefined {
  const fromEnv = process.env['LIVEKIT_SERVER_BIN'];
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  const cached = join(cacheDir(), 'bin', 'livekit-server');
  if (existsSync(cached)) return cached;
  return onPath('livekit-server');
}

/**
 * Returns a livekit-server binary, building the pinned release with `go install` into the
 * workspace cache when none exists (a few minutes the first time).
 */
export function ensureLivekitServerBinary(log: (line: string) => void = () => {}): string {
  const found = findLivekitServerBinary();
  if (found) return found;
  if (process.env['LIVEKIT_SERVER_BIN']) {
    throw new HarnessError(
      'LIVEKIT_SERVER_MISSING',
      `LIVEKIT_SERVER_BIN points at ${process.env['LIVEKIT_SERVER_BIN']}, which does not exist`,
    );
  }
  const go = onPath('go') ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (!go) {
    throw new HarnessError(
      'LIVEKIT_SERVER_MISSING',
      'livekit-server not found and Go is not installed: install Go 1.26 (or `brew install livekit` on macOS), or set LIVEKIT_SERVER_BIN',
    );
  }
  const binDir = join(cacheDir(), 'bin');
  const staging = join(cacheDir(), `gobin-${process.pid}`);
  mkdirSync(staging, { recursive: true });
  log(`building livekit-server ${LIVEKIT_SERVER_VERSION} with go install (first run only)`);
  const result = spawnSync(go, ['install', `${MODULE}@${LIVEKIT_SERVER_VERSION}`], {
    env: { ...process.env, GOBIN: staging },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new HarnessError(
      'LIVEKIT_SERVER_INSTALL_FAILED',
      `go install ${MODULE}@${LIVEKIT_SERVER_VERSION} failed (exit ${String(result.status)})`,
    );
  }
  mkdirSync(binDir, { recursive: true });
  const target = join(binDir, 'livekit-server');
  renameSync(join(staging, 'server'), target);
  rmSync(staging, { recursive: true, force: true });
  return target;
}

/** How to start a server. Every port defaults to a free one on loopback. */
export interface LivekitServerOptions {
  readonly port?: number;
  readonly rtcTcpPort?: number;
  readonly rtcUdpPort?: number;
  readonly apiKey?: string;
  readonly apiSecret?: string;
  /** `host:port` of a Redis server, for a multi-node cluster. */
  readonly redisAddress?: string;
  /**
   * The address the server advertises in its ICE candidates (default 127.0.0.1). Pointing it at
   * a relay makes every media packet pass through that relay. `rtcTcpPort: 0` then keeps media
   * from falling back to TCP around it.
   */
  readonly nodeIp?: string;
  /** Addresses the signalling port listens on (default 127.0.0.1 only). */
  readonly bindAddresses?: readonly string[];
  /** Network interfaces the media socket binds (default: every non-loopback one). */
  readonly rtcInterfaces?: readonly string[];
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
  readonly readyTimeoutMs?: number;
}

/** A running livekit-server on loopback. */
export interface LivekitServer {
  /** WebSocket URL clients connect to, e.g. `ws://127.0.0.1:7880`. */
  readonly url: string;
  /** HTTP base URL of the same port (health check, Twirp API). */
  readonly httpUrl: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly port: number;
  /** PID of the current server process, or undefined while stopped. */
  readonly pid: number | undefined;
  /** Path of the file receiving the server's own log. */
  readonly logFile: string;
  /** Gracefully stops the server and waits for it to exit (SIGKILL after a grace period). */
  stop(): Promise<void>;
  /** Sends a signal to the server process (e.g. SIGKILL to crash it, SIGSTOP to freeze it). */
  signal(signal: NodeJS.Signals): void;
  /** Starts the server again on the same ports and keys after a stop or a kill. */
  restart(): Promise<void>;
}

type ExtraOptions = 'redisAddress' | 'nodeIp' | 'bindAddresses' | 'rtcInterfaces';
function configYaml(o: Required<Omit<LivekitServerOptions, ExtraOptions>> & Pick<LivekitServerOptions, ExtraOptions>): string {
  return [
    `port: ${o.port}`,
    `bind_addresses: ${JSON.stringify(o.bindAddresses ?? ['127.0.0.1'])}`,
    'rtc:',
    `  tcp_port: ${o.rtcTcpPort}`,
    `  udp_port: ${o.rtcUdpPort}`,
    '  use_external_ip: false',
    `  node_ip: ${o.nodeIp ?? '127.0.0.1'}`,
    ...(o.rtcInterfaces ? ['  interfaces:', `    includes: ${JSON.stringify(o.rtcInterfaces)}`] : []),
    'keys:',
    `  ${o.apiKey}: ${o.apiSecret}`,
    'logging:',
    `  level: ${o.logLevel}`,
    ...(o.redisAddress ? ['redis:', `  address: ${o.redisAddress}`] : []),
    '',
  ].join('\n');
}

async function waitUntilReady(httpUrl: string, child: ChildProcess, timeoutMs: number, logFile: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const log = readFileSync(logFile, 'utf8');
      const error = new HarnessError('LIVEKIT_SERVER_START_FAILED', `livekit-server exited during startup: ${log.trim().split('\n').pop() ?? ''}`);
      error.portInUse = /address already in use/.test(log);
      throw error;
    }
    try {
      const response = await fetch(httpUrl, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new HarnessError('LIVEKIT_SERVER_START_FAILED', `livekit-server not ready after ${timeoutMs} ms; see ${logFile}`);
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Starts livekit-server on loopback with a dev key and waits until it answers HTTP. Free ports
 * are picked by asking the OS, which races with other processes doing the same: a start that
 * loses the race is retried on new ports.
 */
export async function startLivekitServer(options: LivekitServerOptions = {}): Promise<LivekitServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      const portsChosen = options.port !== undefined || options.rtcTcpPort !== undefined || options.rtcUdpPort !== undefined;
      if (portsChosen || attempt >= 4 || !(error instanceof HarnessError) || !error.portInUse) throw error;
    }
  }
}

async function startOnce(options: LivekitServerOptions): Promise<LivekitServer> {
  const binary = ensureLivekitServerBinary();
  const settings = {
    port: options.port ?? (await freeTcpPort()),
    rtcTcpPort: options.rtcTcpPort ?? (await freeTcpPort()),
    rtcUdpPort: options.rtcUdpPort ?? (await freeUdpPort()),
    apiKey: options.apiKey ?? 'devkey',
    apiSecret: options.apiSecret ?? randomBytes(24).toString('hex'),
    logLevel: options.logLevel ?? 'warn',
    readyTimeoutMs: options.readyTimeoutMs ?? 20_000,
    ...(options.redisAddress ? { redisAddress: options.redisAddress } : {}),
    ...(options.nodeIp ? { nodeIp: options.nodeIp } : {}),
    ...(options.bindAddresses ? { bindAddresses: options.bindAddresses } : {}),
    ...(options.rtcInterfaces ? { rtcInterfaces: options.rtcInterfaces } : {}),
  };
  const dir = mkdtempSync(join(tmpdir(), 'alto-livekit-'));
  const configFile = join(dir, 'livekit.yaml');
  const logFile = join(dir, 'server.log');
  writeFileSync(configFile, configYaml(settings));
  const httpUrl = `http://127.0.0.1:${settings.port}/`;
  let child: ChildProcess | undefined;
  let dying: Promise<void> = Promise.resolve();

  const launch = async (): Promise<void> => {
    const out = openSync(logFile, 'a');
    child = spawn(binary, ['--config', configFile], { stdio: ['ignore', out, out], detached: false });
    await waitUntilReady(httpUrl, child, settings.readyTimeoutMs, logFile);
  };

  const stop = async (): Promise<void> => {
    await dying;
    const current = child;
    child = undefined;
    if (!current) return;
    current.kill('SIGCONT');
    current.kill('SIGTERM');
    if (!(await waitForExit(current, 3000))) {
      current.kill('SIGKILL');
      await waitForExit(current, 3000);
    }
  };

  try {
    await launch();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `ws://127.0.0.1:${settings.port}`,
    httpUrl,
    apiKey: settings.apiKey,
    apiSecret: settings.apiSecret,
    port: settings.port,
    get pid() {
      return child?.pid;
    },
    logFile,
    stop: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
    signal: (signal) => {
      child?.kill(signal);
      if (signal === 'SIGKILL' && child) {
        const dead = child;
        child = undefined;
        // A restart must wait until the dead process has released its ports.
        dying = waitForExit(dead, 3000).then(() => {});
      }
    },
    restart: async () => {
      await stop();
      await launch();
    },
  };
}
