/** Parent side of the audio host: fork, pipes, IPC, and a kill that always works. */
import type { Logger } from '@alto/mixer-core';
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Readable, Writable } from 'node:stream';
import { AudioHostError } from './errors.js';
import type { HostReply, HostRequest } from './protocol.js';

/** Options shared by everything that starts a host. */
export interface HostOptions {
  /** Extra environment for the host (e.g. PULSE_SERVER, ALSA_CONFIG_PATH). */
  readonly env?: Readonly<Record<string, string>>;
  readonly logger: Logger;
  /** Which of the parent's fds the host gets as fd 6 (raw:- backends). */
  readonly rawFd?: 0 | 1;
}

// glibc buffers printf fully on a pipe, so PortAudio's status lines (our underrun counters)
// would arrive in 4 KiB bursts; coreutils' stdbuf preload makes the host's stdout line-buffered.
const STDBUF_LIBS = ['/usr/libexec/coreutils/libstdbuf.so', '/usr/lib/coreutils/libstdbuf.so'];

// The host sits at host/main.js beside this module: in dist/, and in an app bundle, which emits
// it as its own entry of that name next to the bundle (see the apps' tsup config).
function hostEntry(): { path: string; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSource ? './host/main.ts' : './host/main.js', import.meta.url);
  if (!fromSource) return { path: fileURLToPath(entry), execArgv: [] };
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { path: fileURLToPath(entry), execArgv: ['--conditions=@alto/source', '--import', tsx] };
}

/** Events of a {@link HostProcess}: listen right after constructing it. */
export interface HostProcessEvents {
  /** A control reply from the host (opened, metrics, error, devices). */
  reply: [reply: HostReply];
  /** The host process ended. */
  exit: [code: number | null, signal: NodeJS.Signals | null];
}

/** A running audio host process. */
export class HostProcess extends EventEmitter<HostProcessEvents> {
  readonly child: ChildProcess;
  /** Binary audio from the host. */
  readonly audioIn: Readable;
  /** Binary audio and mixer commands to the host. */
  readonly audioOut: Writable;
  /** PortAudio status lines seen on the host's stdout. */
  underflows = 0;
  overflows = 0;
  private exited = false;
  private readonly exitPromise: Promise<void>;

  constructor(options: HostOptions) {
    super();
    const { path, execArgv } = hostEntry();
    const env: Record<string, string | undefined> = { ...process.env, ...options.env };
    const stdbuf = STDBUF_LIBS.find((lib) => existsSync(lib));
    if (stdbuf && !env.LD_PRELOAD) {
      env.LD_PRELOAD = stdbuf;
      env._STDBUF_O = 'L';
    }
    const stdio: Array<'ignore' | 'pipe' | 'ipc' | number> = ['ignore', 'pipe', 'pipe', 'ipc', 'pipe', 'pipe'];
    if (options.rawFd !== undefined) stdio.push(options.rawFd);
    this.child = fork(path, [], { execArgv, env, stdio, serialization: 'json' });
    const pipes = this.child.stdio as unknown as ReadonlyArray<Readable | Writable | null | undefined>;
    const out = pipes[4];
    const input = pipes[5];
    if (!out || !input || !this.child.stdout || !this.child.stderr) {
      throw new AudioHostError('the audio host started without its pipes');
    }
    this.audioIn = out as Readable;
    this.audioOut = input as Writable;
    // The host dying must not take the parent down with EPIPE.
    this.audioOut.on('error', () => {});
    this.audioIn.on('error', () => {});
    const log = options.logger;
    lines(this.child.stdout, (line) => {
      if (/portAudio status/.test(line)) {
        if (/underflow/.test(line)) this.underflows++;
        if (/overflow/.test(line)) this.overflows++;
      }
      log.debug('audio host stdout', { line });
    });
    lines(this.child.stderr, (line) => log.warn('audio host stderr', { line }));
    this.child.on('message', (m: HostReply) => this.emit('reply', m));
    this.exitPromise = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exited = true;
        resolve();
        this.emit('exit', code, signal);
      });
    });
    this.child.on('error', (err) => log.warn('audio host process error', { error: err.message }));
  }

  /** True once the process has exited. */
  get hasExited(): boolean {
    return this.exited;
  }

  /** Sends a control message; false if the host is gone. */
  send(request: HostRequest): boolean {
    if (this.exited || !this.child.connected) return false;
    try {
      this.child.send(request);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Asks the host to stop, then SIGKILLs it after `graceMs`. Resolves when it has exited (or
   * after a last short wait: a SIGKILLed process cannot refuse to die).
   */
  async stop(graceMs = 500): Promise<void> {
    if (this.exited) return;
    this.send({ t: 'stop' });
    await Promise.race([this.exitPromise, delay(graceMs)]);
    if (this.exited) return;
    this.child.kill('SIGKILL');
    await Promise.race([this.exitPromise, delay(300)]);
  }

  /** Kills the host at once. */
  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function lines(stream: Readable, onLine: (line: string) => void): void {
  let carry = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (carry + chunk).split('\n');
    carry = parts.pop() ?? '';
    for (const part of parts) if (part.trim()) onLine(part);
  });
  stream.on('error', () => {});
}
