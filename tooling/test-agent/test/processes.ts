import { freeTcpPort } from '@alto/harness';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startTestAgent, type TestAgent } from '../src/index.js';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const ALTO = fileURLToPath(new URL('../../../apps/cli/src/main.ts', import.meta.url));
const ALTOD = fileURLToPath(new URL('../../../apps/daemon/src/main.ts', import.meta.url));

/** The speech fixture: 0.5 s of silence, ~2.7 s of speech (espeak-ng), 5 s of silence; 16 kHz mono. */
export const SPEECH_FIXTURE = fileURLToPath(new URL('../fixtures/speech.wav', import.meta.url));
/** Where the speech starts in the fixture, and its length (the loop period). */
export const FIXTURE_SPEECH_ONSET_MS = 500;
export const FIXTURE_LENGTH_MS = 8183;

/** A running app (`alto` or `altod`) with its output collected. */
export interface AppProcess {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
  /** Lines of stdout so far, each without the ISO timestamp that leads alto's plain lines. */
  lines(): string[];
  /** Resolves with the index of the first stdout line matching `pattern` at or after line `from`. */
  waitForLine(pattern: RegExp, timeoutMs: number, from?: number): Promise<number>;
  /** SIGINT (Ctrl+C), then the exit code. */
  stop(): Promise<number | null>;
}

function startApp(main: string, args: readonly string[], env: Record<string, string>): AppProcess {
  const child = spawn(process.execPath, ['--conditions=@alto/source', '--import', TSX, main, ...args], {
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const proc: AppProcess = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.on('close', (code) => resolve(code))),
    lines: () => proc.stdout.split('\n').filter(Boolean).map((l) => l.replace(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /, '')),
    waitForLine: async (pattern, timeoutMs, from = 0) => {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const index = proc.lines().findIndex((l, i) => i >= from && pattern.test(l));
        if (index >= 0) return index;
        if (Date.now() > end) throw new Error(`never printed ${String(pattern)}; stdout:\n${proc.stdout}\nstderr: ${proc.stderr.slice(-1500)}`);
        if (child.exitCode !== null) throw new Error(`exited ${child.exitCode} before ${String(pattern)}; stdout:\n${proc.stdout}\nstderr: ${proc.stderr.slice(-1500)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await proc.exited;
      clearTimeout(timer);
      return code;
    },
  };
  child.stdout.setEncoding('utf8').on('data', (d: string) => (proc.stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (proc.stderr += d));
  return proc;
}

/** The shell command that runs `alto` from its sources (for tmux). */
export function altoCommand(): string {
  return `${process.execPath} --conditions=@alto/source --import ${TSX} ${ALTO}`;
}

/** Starts `alto` from its sources. */
export function startAlto(args: readonly string[], env: Record<string, string> = {}): AppProcess {
  return startApp(ALTO, args, env);
}

/** Starts `altod` from its sources. */
export function startAltod(args: readonly string[], env: Record<string, string> = {}): AppProcess {
  return startApp(ALTOD, args, env);
}

/** The PCM samples of a mono s16le WAV file. */
export function readWavSamples(path: string): Int16Array {
  const bytes = readFileSync(path);
  const at = bytes.indexOf('data', 12) + 8;
  const copy = Buffer.from(bytes.subarray(at));
  return new Int16Array(copy.buffer, copy.byteOffset, Math.floor(copy.length / 2));
}

/**
 * Where a tone starts in 48 kHz audio: the start (ms) of each 10 ms block at which `frequencyHz`
 * turns clearly present after at least 200 ms without it.
 */
export function toneOnsetsMs(samples: Int16Array, frequencyHz: number): number[] {
  const block = 480;
  const onsets: number[] = [];
  let quietBlocks = 20;
  for (let i = 0; i + block <= samples.length; i += block) {
    const present = tonePower(samples.subarray(i, i + block), frequencyHz) > 0.001;
    if (present && quietBlocks >= 20) onsets.push(i / 48);
    quietBlocks = present ? 0 : quietBlocks + 1;
  }
  return onsets;
}

/** Power of exactly `frequencyHz` in a block of 48 kHz samples (full-scale sine: 0.25). */
export function tonePower(block: Int16Array, frequencyHz: number): number {
  const k = 2 * Math.cos((2 * Math.PI * frequencyHz) / 48_000);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < block.length; i++) {
    const s0 = (block[i] ?? 0) / 32768 + k * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return (s1 * s1 + s2 * s2 - k * s1 * s2) / (block.length * block.length);
}

/**
 * Runs one test-agent worker for the file: started before its tests (registered with the
 * server in `livekit`), stopped after. Returns a getter for it.
 */
export function useTestAgent(livekit: { url: string; apiKey: string; apiSecret: string }, agentName: string, dir: string): () => TestAgent {
  let agent: TestAgent | undefined;
  beforeAll(async () => {
    agent = await startTestAgent({ ...livekit, agentName, healthPort: await freeTcpPort(), logFile: join(dir, `${agentName}.jsonl`) });
  });
  afterAll(async () => {
    await agent?.stop();
  });
  return () => {
    if (!agent) throw new Error('the test agent is not running');
    return agent;
  };
}
