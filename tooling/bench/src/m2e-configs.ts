/**
 * The configurations the mouth-to-ear benchmark compares, each started on the same PulseAudio
 * pipe microphone (`vmic`) and pipe speaker (`vspeaker`) and stopped after its segment.
 */
import type { LivekitServer } from '@alto/harness';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPaCallbackPassthrough, ensureAudify, lastProbeStats, statsSince, type ProbeStats } from './callback-layers.js';
import type { IsolatedNet } from './netns.js';
import { sleep } from './report.js';

/** Every configuration, in the order a round runs them. */
export const ALL_CONFIGS = [
  'pulse-loopback',
  'portaudio-passthrough',
  'portaudio-pump',
  'pa-callback-ring1',
  'pa-callback-ring2',
  'audify-queue1',
  'audify-queue2',
  'audify-pump1',
  'audify-pump2',
  'alto-fixed',
  'alto-adaptive',
  'alto-adaptive-p10',
  'alto-adaptive-lead10',
  'seed',
] as const;

/** Which path carries the audio. */
export type ConfigName = (typeof ALL_CONFIGS)[number];

/** What a run measures unless `ALTO_BENCH_CONFIGS` picks: the device-layer probes are opt-in. */
export const DEFAULT_CONFIGS: readonly ConfigName[] = ['pulse-loopback', 'portaudio-passthrough', 'alto-fixed', 'alto-adaptive', 'seed'];

/** The device-layer probes: pass-through programs whose counters are the layer's own. */
export const PROBES: readonly ConfigName[] = ['portaudio-passthrough', 'portaudio-pump', 'pa-callback-ring1', 'pa-callback-ring2', 'audify-queue1', 'audify-queue2', 'audify-pump1', 'audify-pump2'];

const LABELS: Record<ConfigName, string> = {
  'pulse-loopback': 'PulseAudio loopback (device path)',
  'portaudio-passthrough': 'PortAudio pass-through, 10 ms blocks',
  'portaudio-pump': "PortAudio pass-through, Alto's output model (naudiodon, 1 chunk queued)",
  'pa-callback-ring1': 'PortAudio callback + ring, depth 1 (C)',
  'pa-callback-ring2': 'PortAudio callback + ring, depth 2 (C)',
  'audify-queue1': 'audify (RtAudio callback), queue depth 1',
  'audify-queue2': 'audify (RtAudio callback), queue depth 2',
  'audify-pump1': "audify (RtAudio callback), Alto's model, 1 block ahead",
  'audify-pump2': "audify (RtAudio callback), Alto's model, 2 blocks ahead",
  'alto-fixed': 'alto, fixed 40 ms jitter + 4-block queue',
  'alto-adaptive': 'alto, adaptive budget (default)',
  'alto-adaptive-p10': 'alto, adaptive budget, 10 ms output periods',
  'alto-adaptive-lead10': 'alto, adaptive budget, writes not deferred',
  seed: 'seed-like settings (AltoClient)',
};

/** Human label of a configuration. */
export function configLabel(name: ConfigName): string {
  return LABELS[name];
}

/** Stage timestamps the audio hosts wrote (monotonic ms). */
export interface StageTrace {
  readonly capture: number[];
  readonly arrive: number[];
  readonly mixed: number[];
  readonly queued: number[];
}

/** A started configuration. */
export interface Running {
  /** Marks the start of the measured part (underrun counters count from here). */
  markStart(): void;
  trace(): StageTrace | undefined;
  /**
   * Underruns since `markStart`. For the device-layer probes, `deviceUnderruns` are the output
   * underflows the layer reported and `streamUnderruns` the blocks its queue starved or dropped.
   */
  counters(): { deviceUnderruns: number; streamUnderruns: number; budget: string };
  diagnostics(): string;
  stop(): Promise<void>;
}

const TSX = createRequire(import.meta.url).resolve('tsx');
const ALTO_MAIN = fileURLToPath(new URL('../../../apps/cli/src/main.ts', import.meta.url));
const CHILD = (name: string): string => fileURLToPath(new URL(`./children/${name}.ts`, import.meta.url));

interface Proc {
  readonly child: ChildProcess;
  out: string;
  err: string;
}

function node(script: string, args: readonly string[], env: Record<string, string>, net?: IsolatedNet): Proc {
  const argv = [process.execPath, '--conditions=@alto/source', '--import', TSX, script, ...args];
  const [command, rest] = net ? net.wrap(argv) : [argv[0]!, argv.slice(1)];
  const child = spawn(command, rest, {
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return capture(child);
}

function capture(child: ChildProcess): Proc {
  const p: Proc = { child, out: '', err: '' };
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (p.out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (p.err += d));
  return p;
}

async function stopProc(p: Proc, signal: NodeJS.Signals): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => p.child.once('exit', () => resolve()));
  p.child.kill(signal);
  const timeout = sleep(8000).then(() => 'timeout');
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    p.child.kill('SIGKILL');
    await exited;
  }
}

function readTrace(file: string): { stages: StageTrace; stats: string[] } {
  const stages: StageTrace = { capture: [], arrive: [], mixed: [], queued: [] };
  const stats: string[] = [];
  if (!existsSync(file)) return { stages, stats };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [stage, value, ...rest] = line.split(' ');
    if (stage === 'stats') stats.push([value, ...rest].join(' '));
    else if (stage !== undefined && stage in stages) stages[stage as keyof StageTrace].push(Number(value));
  }
  return { stages, stats };
}

/** `stats` lines: `<streamUnderruns> <jitterTargetMs> <outputQueueMs>`. */
function parseStats(line: string | undefined): { streamUnderruns: number; budget: string } {
  const [u = '0', jitter = '', queue = ''] = (line ?? '').split(' ');
  return { streamUnderruns: Number(u) || 0, budget: jitter === '' ? '' : `jitter ${jitter} ms + output ${queue} ms` };
}

/** The longest wait between two frames of a stream at B's host over `lines` (stats lines), ms. */
function longestGap(lines: readonly string[]): number {
  let max = 0;
  for (const line of lines) {
    const gap = Number(line.split(' ')[3]);
    if (gap > max) max = gap;
  }
  return max;
}

const underrunLines = (text: string): number => (text.match(/underrun|output underflow/gi) ?? []).length;

/**
 * Underflows a naudiodon program reported since `mark()`: naudiodon prints PortAudio's status
 * flags ("output underflow") to stdout, ALSA its xruns to stderr.
 */
function naudiodonUnderflows(p: Proc): { mark: () => void; count: () => number } {
  let outMark = 0;
  let errMark = 0;
  return {
    mark: () => {
      outMark = p.out.length;
      errMark = p.err.length;
    },
    count: () => underrunLines(p.out.slice(outMark)) + underrunLines(p.err.slice(errMark)),
  };
}

/** A probe that prints `stats` lines (see callback-layers.ts): counters read from its stdout. */
function probe(p: Proc): Running {
  let mark: ProbeStats = lastProbeStats('');
  return {
    markStart: () => {
      mark = lastProbeStats(p.out);
    },
    trace: () => undefined,
    counters: () => {
      const s = statsSince(mark, lastProbeStats(p.out));
      return { deviceUnderruns: s.underflows, streamUnderruns: s.starved + s.dropped, budget: `starved ${s.starved}, dropped ${s.dropped}, input overflows ${s.overflows}` };
    },
    diagnostics: () => p.err.slice(-400),
    stop: () => stopProc(p, 'SIGTERM'),
  };
}

/** An ALSA config whose `default` PCM is the pipe microphone for capture and the pipe speaker for playback. */
function alsaDefaultToVirtual(env: Readonly<Record<string, string>>): string {
  const base = env['ALSA_CONFIG_PATH'];
  const dir = mkdtempSync(join(tmpdir(), 'alto-m2e-alsa-'));
  const file = join(dir, 'asound.conf');
  const text = base && existsSync(base) ? readFileSync(base, 'utf8') : '';
  writeFileSync(file, `${text}\npcm.!default { type asym capture.pcm "vmic" playback.pcm "vspeaker" }\n`);
  return file;
}

/** Starts a configuration; resolves once its processes are up (not necessarily joined). */
export function startConfig(
  name: ConfigName,
  ctx: { readonly server: LivekitServer; readonly env: Readonly<Record<string, string>>; readonly net?: IsolatedNet },
): Promise<Running> {
  return Promise.resolve(startSync(name, ctx));
}

function startSync(
  name: ConfigName,
  ctx: { readonly server: LivekitServer; readonly env: Readonly<Record<string, string>>; readonly net?: IsolatedNet },
): Running {
  const env = { ...ctx.env };
  if (name === 'pulse-loopback') {
    const load = spawnSync('pactl', ['load-module', 'module-loopback', 'source=mic', 'sink=spkpipe', 'latency_msec=1'], { env: { ...process.env, ...env }, encoding: 'utf8' });
    const index = load.stdout.trim();
    if (load.status !== 0) throw new Error(`pactl load-module module-loopback failed: ${load.stderr}`);
    return {
      markStart: () => {},
      trace: () => undefined,
      counters: () => ({ deviceUnderruns: 0, streamUnderruns: 0, budget: '' }),
      diagnostics: () => `module ${index}`,
      stop: () => {
        spawnSync('pactl', ['unload-module', index], { env: { ...process.env, ...env } });
        return sleep(300);
      },
    };
  }
  if (name === 'portaudio-passthrough') {
    const p = node(CHILD('portaudio-passthrough'), ['vmic', 'vspeaker', '2'], env);
    const underflows = naudiodonUnderflows(p);
    return {
      markStart: underflows.mark,
      trace: () => undefined,
      counters: () => ({ deviceUnderruns: underflows.count(), streamUnderruns: 0, budget: '' }),
      diagnostics: () => p.err.slice(-400),
      // naudiodon's quit() can hang; the process is killed instead.
      stop: () => stopProc(p, 'SIGKILL'),
    };
  }
  if (name === 'pa-callback-ring1' || name === 'pa-callback-ring2') {
    const exe = buildPaCallbackPassthrough();
    const child = spawn(exe, ['vmic', 'vspeaker', name === 'pa-callback-ring1' ? '1' : '2'], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return probe(capture(child));
  }
  if (name === 'portaudio-pump') {
    // SIGKILL as for the plain pass-through: naudiodon's quit() can hang.
    const p = node(CHILD('portaudio-passthrough'), ['vmic', 'vspeaker', '1', 'pump'], env);
    const counted = probe(p);
    const underflows = naudiodonUnderflows(p);
    return {
      ...counted,
      markStart: () => {
        counted.markStart();
        underflows.mark();
      },
      // The pump counts its own starved and dropped blocks; naudiodon reports underflows as text.
      counters: () => ({ ...counted.counters(), deviceUnderruns: underflows.count() }),
      stop: () => stopProc(p, 'SIGKILL'),
    };
  }
  if (name.startsWith('audify-')) {
    const audify = ensureAudify();
    const alsa = alsaDefaultToVirtual(env);
    const [, mode, depth] = /^audify-(queue|pump)(\d)$/.exec(name) ?? [];
    const p = node(CHILD('audify-passthrough'), [audify, depth ?? '1', mode ?? 'queue'], { ...env, ALSA_CONFIG_PATH: alsa });
    return { ...probe(p), stop: () => stopProc(p, 'SIGTERM').then(() => rmSync(dirname(alsa), { recursive: true, force: true })) };
  }
  const dir = mkdtempSync(join(tmpdir(), 'alto-m2e-'));
  const traceA = join(dir, 'a.trace');
  const traceB = join(dir, 'b.trace');
  const room = `m2e-${name}-${Date.now()}`;
  const { apiKey, apiSecret } = ctx.server;
  // Inside the namespace the server is reached at the host's end of its link.
  const url = ctx.net ? ctx.server.url.replace('127.0.0.1', ctx.net.hostIp) : ctx.server.url;
  const net = ctx.net;
  let a: Proc;
  let b: Proc;
  if (name === 'seed') {
    const common = { url, apiKey, apiSecret, room, env };
    b = node(CHILD('seed-endpoint'), [JSON.stringify({ ...common, identity: 'B', input: false, output: 'vspeaker' })], { ...env, ALTO_LATENCY_TRACE: traceB }, net);
    a = node(CHILD('seed-endpoint'), [JSON.stringify({ ...common, identity: 'A', input: 'vmic', output: false })], { ...env, ALTO_LATENCY_TRACE: traceA }, net);
  } else {
    const common = ['--url', url, '--api-key', apiKey, '--api-secret', apiSecret, '--room-name', room, '--no-tui', '--no-aec'];
    const fixed = name === 'alto-fixed' ? ['--jitter-buffer', '40'] : [];
    // Where the host runs real-time the default output has 5 ms periods and defers its writes to
    // 4 ms ahead of the device; these configs pin 10 ms periods, or writes as soon as there is room.
    const tuning =
      name === 'alto-adaptive-p10'
        ? { ALTO_AUDIO_OUTPUT_PERIOD_MS: '10' }
        : name === 'alto-adaptive-lead10'
          ? { ALTO_AUDIO_OUTPUT_LEAD_MS: '10' }
          : {};
    b = node(ALTO_MAIN, [...common, '--identity', 'B', '--listen-only', '-o', 'vspeaker', ...fixed], { ...env, ...tuning, ALTO_LATENCY_TRACE: traceB }, net);
    a = node(ALTO_MAIN, [...common, '--identity', 'A', '-i', 'vmic', '-o', 'null', ...fixed], { ...env, ALTO_LATENCY_TRACE: traceA }, net);
  }
  let errMark = 0;
  let statsMark = { streamUnderruns: 0, budget: '' };
  let statsLinesMark = 0;
  return {
    markStart: () => {
      errMark = b.err.length;
      const stats = readTrace(traceB).stats;
      statsMark = parseStats(stats.at(-1));
      statsLinesMark = stats.length;
    },
    trace: () => {
      const ta = readTrace(traceA).stages;
      const tb = readTrace(traceB).stages;
      return { capture: ta.capture, arrive: tb.arrive, mixed: tb.mixed, queued: tb.queued };
    },
    counters: () => {
      const stats = readTrace(traceB).stats;
      const now = parseStats(stats.at(-1));
      return {
        deviceUnderruns: underrunLines(b.err.slice(errMark)),
        streamUnderruns: now.streamUnderruns - statsMark.streamUnderruns,
        budget: now.budget === '' ? '' : `${now.budget}, longest frame gap ${longestGap(stats.slice(statsLinesMark))} ms`,
      };
    },
    diagnostics: () => `A: ${a.err.slice(-300)} B: ${b.err.slice(-300)}`,
    stop: async () => {
      await Promise.all([stopProc(a, 'SIGINT'), stopProc(b, 'SIGINT')]);
      const keep = process.env['ALTO_BENCH_KEEP_TRACES'];
      if (keep) cpSync(dir, join(keep, `${name}-${Date.now()}`), { recursive: true });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
