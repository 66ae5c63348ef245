/**
 * Control API latency and memory of two altod builds, measured in the same run: each is a real
 * `altod` process (the bundled dist/main.js) joined to a real livekit-server, driven by the fuzz
 * load of the daemon's tests (same seed, same requests) and by a plain `GET /v1/status` loop,
 * in alternating rounds so both see the same machine load.
 *
 *   node --conditions=@alto/source --import tsx apps/daemon/bench/http-api.ts \
 *     --baseline <other build>/apps/daemon/dist/main.js [--candidate apps/daemon/dist/main.js] [--requests 3000]
 *
 * Prints p50/p99 per request and RSS (idle, peak, after) for both, with candidate/baseline
 * ratios, and writes bench/results/http-api.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { freeTcpPort, repoRoot, startLivekitServer } from '@alto/harness';
import fc from 'fast-check';
import { requestArbitrary } from '../test/fuzz-arbitrary.js';

const { values } = parseArgs({
  options: {
    baseline: { type: 'string' },
    candidate: { type: 'string', default: 'apps/daemon/dist/main.js' },
    requests: { type: 'string', default: '3000' },
    rounds: { type: 'string', default: '3' },
  },
});
if (values.baseline === undefined) {
  process.stderr.write('give --baseline <altod dist/main.js of the build to compare with>\n');
  process.exit(2);
}
const TOKEN = 'bench-token-0123456789abcdef';
const REQUESTS = Number(values.requests);
const ROUNDS = Number(values.rounds);

interface Daemon {
  readonly name: string;
  readonly child: ChildProcess;
  readonly port: number;
  readonly recordings: string;
  readonly fuzzMs: number[];
  readonly statusMs: number[];
  readonly rssKb: number[];
  idleRssKb: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** One request; resolves with its status once the whole answer is read. */
function send(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<number> {
  return new Promise((resolvePromise) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolvePromise(res.statusCode ?? 0));
      res.on('error', () => resolvePromise(0));
    });
    req.on('error', () => resolvePromise(0));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

function rssKb(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
}

async function startDaemon(name: string, main: string, livekit: { url: string; apiKey: string; apiSecret: string }, work: string): Promise<Daemon> {
  const port = await freeTcpPort();
  const home = join(work, name);
  const recordings = join(home, 'recordings');
  mkdirSync(recordings, { recursive: true, mode: 0o700 });
  const child = spawn(process.execPath, [resolve(repoRoot(), main)], {
    env: {
      PATH: process.env.PATH,
      HOME: home,
      LIVEKIT_URL: livekit.url,
      LIVEKIT_API_KEY: livekit.apiKey,
      LIVEKIT_API_SECRET: livekit.apiSecret,
      ALTOD_ROOM: `bench-${name}`,
      ALTOD_IDENTITY: `altod-${name}`,
      ALTOD_INPUT_DEVICE: 'silence',
      ALTOD_OUTPUT_DEVICE: 'null',
      ALTOD_LISTEN: `127.0.0.1:${port}`,
      ALTOD_API_TOKEN: TOKEN,
      ALTOD_RECORDINGS_DIR: recordings,
      ALTOD_LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const daemon: Daemon = { name, child, port, recordings, fuzzMs: [], statusMs: [], rssKb: [], idleRssKb: 0 };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`${name} did not join within 30 s`);
    const answer = await new Promise<string>((resolvePromise) => {
      const req = request({ host: '127.0.0.1', port, path: '/v1/status', headers: { authorization: `Bearer ${TOKEN}` }, agent }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolvePromise(text));
      });
      req.on('error', () => resolvePromise(''));
      req.end();
    });
    if (answer.includes('"state":"connected"')) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await new Promise((r) => setTimeout(r, 2000));
  daemon.idleRssKb = rssKb(child.pid, 'VmRSS');
  return daemon;
}

type FuzzRequest = ReturnType<typeof requestArbitrary> extends fc.Arbitrary<infer T> ? T : never;

/** The fuzz tests' requests, the same for every daemon but for its recordings directory. */
function fuzzRequests(daemon: Daemon): FuzzRequest[] {
  return fc
    .sample(requestArbitrary(TOKEN, join(daemon.recordings, 'fuzz.wav')), { seed: 20_261_130, numRuns: REQUESTS })
    .filter((r) => !r.target.path.startsWith('/v1/events'));
}

async function runFuzz(daemon: Daemon, batch: readonly FuzzRequest[]): Promise<void> {
  for (const r of batch) {
    const headers: Record<string, string> = { ...r.extraHeaders };
    if (r.contentType !== '') headers['content-type'] = r.contentType;
    if (r.auth !== null) headers.authorization = `Bearer ${r.auth}`;
    const withBody = r.body !== undefined && r.target.method !== 'GET' && r.target.method !== 'HEAD';
    const t0 = performance.now();
    await send(daemon.port, r.target.method, r.target.path, headers, withBody ? r.body : undefined);
    daemon.fuzzMs.push(performance.now() - t0);
  }
}

async function runStatus(daemon: Daemon, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await send(daemon.port, 'GET', '/v1/status', { authorization: `Bearer ${TOKEN}` });
    daemon.statusMs.push(performance.now() - t0);
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function summary(samples: readonly number[]): { p50: number; p99: number; mean: number; n: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), mean: round(sorted.reduce((a, b) => a + b, 0) / sorted.length), n: sorted.length };
}

const work = mkdtempSync(join(tmpdir(), 'altod-http-bench-'));
const livekit = await startLivekitServer();
const daemons: Daemon[] = [];
try {
  daemons.push(await startDaemon('baseline', values.baseline, livekit, work));
  daemons.push(await startDaemon('candidate', values.candidate, livekit, work));
  const sampler = setInterval(() => {
    for (const d of daemons) d.rssKb.push(rssKb(d.child.pid, 'VmRSS'));
  }, 100);
  const plans = new Map(daemons.map((d) => [d, fuzzRequests(d)]));
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate who goes first, so neither always runs on a warmer or busier machine.
    for (const d of round % 2 === 0 ? daemons : [...daemons].reverse()) {
      const plan = plans.get(d) ?? [];
      const size = Math.ceil(plan.length / ROUNDS);
      await runFuzz(d, plan.slice(round * size, (round + 1) * size));
      await runStatus(d, Math.ceil(REQUESTS / ROUNDS));
    }
  }
  clearInterval(sampler);
  const results = Object.fromEntries(
    daemons.map((d) => [
      d.name,
      {
        fuzzMs: summary(d.fuzzMs),
        statusMs: summary(d.statusMs),
        rssMb: { idle: Math.round(d.idleRssKb / 102.4) / 10, peak: Math.round(rssKb(d.child.pid, 'VmHWM') / 102.4) / 10, after: Math.round(rssKb(d.child.pid, 'VmRSS') / 102.4) / 10 },
      },
    ]),
  ) as Record<'baseline' | 'candidate', { fuzzMs: ReturnType<typeof summary>; statusMs: ReturnType<typeof summary>; rssMb: { idle: number; peak: number; after: number } }>;
  const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100;
  const { baseline: b, candidate: c } = results;
  const ratios = {
    fuzzP50: ratio(c.fuzzMs.p50, b.fuzzMs.p50),
    fuzzP99: ratio(c.fuzzMs.p99, b.fuzzMs.p99),
    statusP50: ratio(c.statusMs.p50, b.statusMs.p50),
    statusP99: ratio(c.statusMs.p99, b.statusMs.p99),
    rssIdle: ratio(c.rssMb.idle, b.rssMb.idle),
    rssPeak: ratio(c.rssMb.peak, b.rssMb.peak),
  };
  const lines = [
    `control API, ${REQUESTS} fuzz + ${REQUESTS} status requests each, ${ROUNDS} alternating rounds (candidate/baseline)`,
    `                 baseline      candidate     ratio`,
    `fuzz p50 ms      ${b.fuzzMs.p50.toFixed(3).padEnd(13)} ${c.fuzzMs.p50.toFixed(3).padEnd(13)} ${ratios.fuzzP50}`,
    `fuzz p99 ms      ${b.fuzzMs.p99.toFixed(3).padEnd(13)} ${c.fuzzMs.p99.toFixed(3).padEnd(13)} ${ratios.fuzzP99}`,
    `status p50 ms    ${b.statusMs.p50.toFixed(3).padEnd(13)} ${c.statusMs.p50.toFixed(3).padEnd(13)} ${ratios.statusP50}`,
    `status p99 ms    ${b.statusMs.p99.toFixed(3).padEnd(13)} ${c.statusMs.p99.toFixed(3).padEnd(13)} ${ratios.statusP99}`,
    `RSS idle MB      ${String(b.rssMb.idle).padEnd(13)} ${String(c.rssMb.idle).padEnd(13)} ${ratios.rssIdle}`,
    `RSS peak MB      ${String(b.rssMb.peak).padEnd(13)} ${String(c.rssMb.peak).padEnd(13)} ${ratios.rssPeak}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const out = join(repoRoot(), 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'http-api.json'), `${JSON.stringify({ date: new Date().toISOString(), requests: REQUESTS, rounds: ROUNDS, results, ratios }, null, 2)}\n`);
} finally {
  for (const d of daemons) d.child.kill('SIGTERM');
  await livekit.stop();
  rmSync(work, { recursive: true, force: true });
}
