/**
 * Mouth-to-ear through the production topology: two real `alto` processes on real PortAudio
 * (PulseAudio pipe microphone and pipe speaker, 10 ms blocks, a local livekit-server). A 5 ms
 * burst is written into A's microphone and timed leaving B's speaker on one clock. In the same
 * run, interleaved round by round: the device-path baselines (PulseAudio's own loopback on the
 * same pipes, a plain PortAudio pass-through with 10 ms blocks), Alto with today's fixed buffers
 * (`--jitter-buffer 40`, 4-block output queue), Alto with the adaptive budget (the default), and
 * the Python Alto Terminal-like settings for the ratio. With `ALTO_BENCH_LOSSY=1` (the default in the full run)
 * the Alto configurations also run through a UDP relay that drops 2 % and delays 0..40 ms
 * (20 ms mean, packets reorder), from inside a network namespace that has no other way out.
 *
 * Opt-in (`ALTO_BENCH_CONFIGS`), the device-layer probes: pass-throughs on naudiodon2 driven as
 * Alto's host drives it, on PortAudio's callback API with a lock-free ring (a C program), and on
 * audify (RtAudio), each with its own underflow and starvation counters (see m2e-configs.ts).
 *
 * `ALTO_BENCH_BURNERS=2` runs two busy loops throughout (the "busy machine" case).
 * `ALTO_BENCH_QUICK=1`: one round of 15 bursts per configuration, clean link only (~3 min); full:
 * 3 rounds of 40, clean and lossy (~18 min; needs root for the network namespace). `ALTO_BENCH_ROUNDS`, `ALTO_BENCH_BURSTS` override; `ALTO_BENCH_CONFIGS=alto-fixed,...`
 * picks configurations.
 */
import { startLivekitServer, startPulseAudio, type LivekitServer } from '@alto/harness';
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { BurstWriter, OnsetReader, matchEvents, monoMs } from './burst-rig.js';
import { ALL_CONFIGS, DEFAULT_CONFIGS, PROBES, configLabel, startConfig, type ConfigName, type Running } from './m2e-configs.js';
import { createIsolatedNet, mediaInterface, type IsolatedNet } from './netns.js';
import { startUdpRelay } from './udp-relay.js';
import { QUICK, say, sleep, table, writeResult } from './report.js';
import { round, summarize, type Summary } from './stats.js';
import { renderBarChart } from './svg.js';

const ROUNDS = Number(process.env.ALTO_BENCH_ROUNDS ?? (QUICK ? 1 : 3));
const BURSTS = Number(process.env.ALTO_BENCH_BURSTS ?? (QUICK ? 15 : 40));
const LOSSY = (process.env.ALTO_BENCH_LOSSY ?? (QUICK ? '0' : '1')) === '1';
/**
 * CPU burners running throughout, as on a busy machine: busy loops at the clients' own priority
 * (they inherit the benchmark's niceness, so they compete with Alto's main processes as equals).
 */
const BURNERS = Number(process.env.ALTO_BENCH_BURNERS ?? 0);
const SPACING_MS = 1000;
// Wide enough for a lossy link, where NetEq holds several hundred ms.
const MATCH_WINDOW_MS = 900;

type LinkName = 'clean' | 'lossy';
interface Segment {
  readonly config: ConfigName;
  readonly link: LinkName;
  readonly sent: number;
  readonly totals: number[];
  readonly stages: Record<string, number[]>;
  readonly deviceUnderruns: number;
  readonly streamUnderruns: number;
  readonly budget: string;
  readonly load: number;
}

const STAGES = ['mic → A host', 'A host → B host (network)', 'B jitter buffer', 'output queue', 'PortAudio → pipe speaker'] as const;

async function measureSegment(
  config: ConfigName,
  link: LinkName,
  server: LivekitServer,
  env: Record<string, string>,
  writer: BurstWriter,
  reader: OnsetReader,
  net?: IsolatedNet,
): Promise<Segment> {
  const running: Running = await startConfig(config, { server, env, ...(net ? { net } : {}) });
  try {
    // Warm up until a burst gets through, then let the buffers settle.
    const warmEnd = monoMs() + 30_000;
    let through = false;
    while (!through && monoMs() < warmEnd) {
      const before = reader.onsets.length;
      writer.fire();
      await sleep(SPACING_MS);
      through = reader.onsets.length > before;
    }
    if (!through) throw new Error(`${config} (${link}): no burst got through in 30 s; ${running.diagnostics()}`);
    await sleep(2000);
    running.markStart();
    const from = writer.sentAt.length;
    for (let i = 0; i < BURSTS; i++) {
      writer.fire();
      await sleep(SPACING_MS);
    }
    await sleep(MATCH_WINDOW_MS);
    const sent = writer.sentAt.slice(from);
    const out = matchEvents(sent, reader.onsets, MATCH_WINDOW_MS);
    const totals: number[] = [];
    const stages: Record<string, number[]> = Object.fromEntries(STAGES.map((s) => [s, []]));
    const trace = running.trace();
    const capture = trace ? matchEvents(sent, trace.capture, MATCH_WINDOW_MS) : [];
    const arrive = trace ? matchEvents(sent, trace.arrive, MATCH_WINDOW_MS) : [];
    const mixed = trace ? matchEvents(sent, trace.mixed, MATCH_WINDOW_MS) : [];
    const queued = trace ? matchEvents(sent, trace.queued, MATCH_WINDOW_MS) : [];
    sent.forEach((s, i) => {
      const o = out[i];
      if (o === undefined) return;
      totals.push(o - s);
      const c = capture[i];
      const a = arrive[i];
      const m = mixed[i];
      const q = queued[i];
      if (c === undefined || a === undefined || m === undefined || q === undefined || !(c <= a && a <= m && m <= q && q <= o)) return;
      stages[STAGES[0]]!.push(c - s);
      stages[STAGES[1]]!.push(a - c);
      stages[STAGES[2]]!.push(m - a);
      stages[STAGES[3]]!.push(q - m);
      stages[STAGES[4]]!.push(o - q);
    });
    const counters = running.counters();
    return { config, link, sent: sent.length, totals, stages, ...counters, load: loadavg()[0] ?? NaN };
  } finally {
    await running.stop();
  }
}

interface Row {
  readonly config: ConfigName;
  readonly link: LinkName;
  readonly sent: number;
  readonly total: Summary;
  readonly stages: Record<string, Summary>;
  readonly deviceUnderruns: number;
  readonly streamUnderruns: number;
  readonly budgets: string[];
}

function combine(segments: readonly Segment[]): Row[] {
  const rows: Row[] = [];
  for (const seg of segments) {
    if (rows.some((r) => r.config === seg.config && r.link === seg.link)) continue;
    const same = segments.filter((s) => s.config === seg.config && s.link === seg.link);
    rows.push({
      config: seg.config,
      link: seg.link,
      sent: same.reduce((n, s) => n + s.sent, 0),
      total: summarize(same.flatMap((s) => s.totals)),
      stages: Object.fromEntries(STAGES.map((st) => [st, summarize(same.flatMap((s) => s.stages[st] ?? []))])),
      deviceUnderruns: same.reduce((n, s) => n + s.deviceUnderruns, 0),
      streamUnderruns: same.reduce((n, s) => n + s.streamUnderruns, 0),
      budgets: same.map((s) => s.budget).filter((b) => b !== ''),
    });
  }
  return rows;
}

const picked = process.env.ALTO_BENCH_CONFIGS?.split(',').map((c) => c.trim());
const unknown = picked?.filter((c) => !(ALL_CONFIGS as readonly string[]).includes(c)) ?? [];
if (unknown.length > 0) {
  say(`mouth-to-ear: unknown configuration(s) in ALTO_BENCH_CONFIGS: ${unknown.join(', ')} (known: ${ALL_CONFIGS.join(', ')})`);
  process.exit(1);
}
const configs = picked ? ALL_CONFIGS.filter((c) => picked.includes(c)) : DEFAULT_CONFIGS;

const pulse = await startPulseAudio();
const server = await startLivekitServer();
// The lossy link: the Alto processes run in a network namespace that reaches the server only
// through the relay (the server advertises the relay's address as its node_ip).
const isolated = LOSSY ? createIsolatedNet() : undefined;
if (typeof isolated === 'string') say(`lossy link skipped: ${isolated}`);
const net = typeof isolated === 'object' ? isolated : undefined;
const media = mediaInterface();
const relay = net && media ? await startUdpRelay({ listenIp: net.hostIp, targetIp: media.address, lossRate: 0.02, jitterMs: 20, seed: 14 }) : undefined;
const lossyServer =
  relay && net && media
    ? await startLivekitServer({
        nodeIp: relay.advertisedIp,
        rtcUdpPort: relay.serverPort,
        rtcTcpPort: 0,
        bindAddresses: ['127.0.0.1', net.hostIp],
        rtcInterfaces: [media.name],
      })
    : undefined;
const burners = Array.from({ length: BURNERS }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
const writer = new BurstWriter(pulse.micFifo);
const reader = new OnsetReader(pulse.speakerFifo);
const segments: Segment[] = [];
const loadBefore = loadavg();
try {
  await sleep(1000);
  say(`mouth-to-ear: ${ROUNDS} round(s) x ${BURSTS} bursts per configuration${relay ? ', clean and lossy link' : ''}${BURNERS ? `, ${BURNERS} CPU burners` : ''}; load ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);
  for (let r = 0; r < ROUNDS; r++) {
    for (const config of configs) {
      const links: LinkName[] = lossyServer && config.startsWith('alto') ? ['clean', 'lossy'] : ['clean'];
      for (const link of links) {
        let seg: Segment;
        try {
          seg = await measureSegment(config, link, link === 'lossy' ? lossyServer! : server, pulse.env, writer, reader, link === 'lossy' ? net : undefined);
        } catch (err) {
          say(`  round ${r + 1} ${configLabel(config)} [${link}]: FAILED ${err instanceof Error ? err.message : String(err)}`);
          continue;
        }
        segments.push(seg);
        const s = summarize(seg.totals);
        say(`  round ${r + 1} ${configLabel(config)} [${link}]: ${seg.totals.length}/${seg.sent} bursts, p50 ${round(s.p50, 1)} ms, p95 ${round(s.p95, 1)} ms, underruns device ${seg.deviceUnderruns} stream ${seg.streamUnderruns}${seg.budget ? `, ${PROBES.includes(config) ? '' : 'budget '}${seg.budget}` : ''}, load ${seg.load.toFixed(2)}`);
      }
    }
  }
} finally {
  for (const b of burners) b.kill('SIGKILL');
  writer.close();
  reader.close();
  await server.stop();
  await lossyServer?.stop();
  relay?.close();
  net?.close();
  await pulse.stop();
}

const rows = combine(segments);
const r1 = (v: number): number => round(v, 1);
say(
  table(
    ['configuration', 'link', 'bursts', 'p50 ms', 'p95 ms', 'p95 - p50', ...STAGES.map((s) => `${s} p50`), 'device underruns', 'stream underruns'],
    rows.map((x) => [
      configLabel(x.config),
      x.link,
      `${x.total.n}/${x.sent}`,
      r1(x.total.p50),
      r1(x.total.p95),
      r1(x.total.p95 - x.total.p50),
      ...STAGES.map((s) => (x.stages[s]?.n ? r1(x.stages[s].p50) : '-')),
      x.config === 'pulse-loopback' ? '-' : x.deviceUnderruns,
      x.config === 'pulse-loopback' || x.config === 'portaudio-passthrough' ? '-' : x.streamUnderruns,
    ]),
  ),
);
const p50 = (config: ConfigName, link: LinkName = 'clean'): number => rows.find((x) => x.config === config && x.link === link)?.total.p50 ?? NaN;
const adaptive = p50('alto-adaptive');
say(`seed / alto-adaptive p50: ${r1(p50('seed') / adaptive)}x; alto-fixed / alto-adaptive: ${r1(p50('alto-fixed') / adaptive)}x`);
say(`alto-adaptive above the PortAudio pass-through: ${r1(adaptive - p50('portaudio-passthrough'))} ms; above PulseAudio's loopback: ${r1(adaptive - p50('pulse-loopback'))} ms`);
for (const layer of ['portaudio-pump', 'pa-callback-ring1', 'pa-callback-ring2', 'audify-queue1', 'audify-queue2', 'audify-pump1', 'audify-pump2'] as const) {
  if (rows.some((x) => x.config === layer)) say(`${configLabel(layer)} minus the naudiodon pass-through, p50: ${r1(p50(layer) - p50('portaudio-passthrough'))} ms`);
}
if (relay) say(`relay: ${JSON.stringify(relay.counts())}`);
say(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const files = writeResult(
  'mouth-to-ear',
  {
    method:
      '5 ms 1 kHz burst written into the PulseAudio pipe microphone, onset read from the pipe speaker, CLOCK_MONOTONIC; stages from the audio hosts (ALTO_LATENCY_TRACE): capture = A host got the 10 ms frame, arrive = B host got the frame, mixed = left the jitter buffer, queued = accepted into PortAudio\'s queue',
    rounds: ROUNDS,
    burstsPerSegment: BURSTS,
    burners: BURNERS,
    loadBefore,
    relay: relay?.counts(),
    rows,
    segments: segments.map((s) => ({ ...s, totals: s.totals.map((v) => r1(v)), stages: undefined })),
  },
  renderBarChart({
    title: 'Mouth-to-ear through real devices (ms)',
    yLabel: 'ms',
    series: rows.map((x) => `${configLabel(x.config)} ${x.link}`),
    groups: [
      { label: 'p50', values: rows.map((x) => x.total.p50) },
      { label: 'p95', values: rows.map((x) => x.total.p95) },
    ],
    target: { value: 115, label: 'target p50 115 ms' },
  }),
);
say(`wrote ${files.json} and ${files.svg}`);
process.exit(0);
