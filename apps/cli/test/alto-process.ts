import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** The shell command that runs `alto` from sources (for tmux). */
export function altoCommand(): string {
  return `${process.execPath} --conditions=@alto/source --import ${TSX} ${MAIN}`;
}

/** Timestamp that leads every plain event line (ISO 8601, UTC, milliseconds). */
export const PLAIN_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /;

/** The event part of each plain line of `stdout` (the timestamp removed), in order. */
export function eventLines(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.replace(PLAIN_TIMESTAMP, ''));
}

/** A running `alto` process with its output collected. */
export interface AltoProcess {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
  /** Resolves when stdout has a line whose event part (after its timestamp) matches `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

/**
 * Starts `alto` from its TypeScript sources with `env` added to a clean environment.
 * `ownProcessGroup` makes it the leader of a new process group, as a shell does for a foreground
 * job, so a test can signal the whole group the way Ctrl+C in a terminal does.
 */
export function startAlto(args: readonly string[], env: Record<string, string>, ownProcessGroup = false): AltoProcess {
  const child = spawn(process.execPath, ['--conditions=@alto/source', '--import', TSX, MAIN, ...args], {
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: ownProcessGroup,
  });
  const proc: AltoProcess = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.on('close', (code) => resolve(code))),
    waitForLine: async (pattern, timeoutMs = 30_000) => {
      const end = Date.now() + timeoutMs;
      while (!eventLines(proc.stdout).some((l) => pattern.test(l))) {
        if (Date.now() > end) throw new Error(`alto never printed ${String(pattern)}; stdout: ${proc.stdout} stderr: ${proc.stderr.slice(-500)}`);
        if (child.exitCode !== null) throw new Error(`alto exited ${child.exitCode} before ${String(pattern)}: ${proc.stderr.slice(-500)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
  child.stdout.setEncoding('utf8').on('data', (d: string) => (proc.stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (proc.stderr += d));
  return proc;
}

/** The PCM samples of a WAV file (mono s16le, header located by its `data` chunk). */
export function readWavSamples(path: string): Int16Array {
  const bytes = readFileSync(path);
  const at = bytes.indexOf('data', 12) + 8;
  const copy = Buffer.from(bytes.subarray(at));
  return new Int16Array(copy.buffer, copy.byteOffset, Math.floor(copy.length / 2));
}

/** For each 100 ms window: the RMS (0..1) of the samples near `frequencyHz` dominating. */
export function toneWindows(samples: Int16Array, frequencyHz: number, others: readonly number[], sampleRate = 48_000): number[] {
  const size = sampleRate / 10;
  const out: number[] = [];
  for (let start = 0; start + size <= samples.length; start += size) {
    const w = samples.subarray(start, start + size);
    let sum = 0;
    for (let i = 0; i < w.length; i++) sum += ((w[i] ?? 0) / 32768) ** 2;
    const level = Math.sqrt(sum / w.length);
    out.push(dominates(w, frequencyHz, others, sampleRate) ? level : 0);
  }
  return out;
}

function power(w: Int16Array, f: number, sampleRate: number): number {
  const k = 2 * Math.cos((2 * Math.PI * f) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < w.length; i++) {
    const s0 = (w[i] ?? 0) + k * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - k * s1 * s2;
}

function dominates(w: Int16Array, f: number, others: readonly number[], sampleRate: number): boolean {
  const p = power(w, f, sampleRate);
  return others.every((o) => p > 10 * power(w, o, sampleRate));
}

/** Encodes mono s16le samples as a WAV file's bytes. */
export function monoWav(samples: Int16Array, sampleRate = 48_000): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + samples.byteLength, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(samples.byteLength, 40);
  return Buffer.concat([header, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength)]);
}

/** RMS (0..1) of each 100 ms window. */
export function levelWindows(samples: Int16Array, sampleRate = 48_000): number[] {
  const size = sampleRate / 10;
  const out: number[] = [];
  for (let start = 0; start + size <= samples.length; start += size) {
    let sum = 0;
    for (let i = start; i < start + size; i++) sum += ((samples[i] ?? 0) / 32768) ** 2;
    out.push(Math.sqrt(sum / size));
  }
  return out;
}
