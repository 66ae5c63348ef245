/**
 * App-to-app latency through a local livekit-server, in one process on one monotonic clock:
 * a click enters A's input handler (a PacedInput emitting real-time frames), is published,
 * received by B, mixed, and detected as it leaves B's output handler (an in-process AudioMixer
 * pulled by a real-time timer into a modelled double-buffered device). Run twice: with Alto's
 * settings and with the Python original's (50 ms blocks, 200 ms source queue, 50 ms mixer blocks).
 */
import { startLivekitServer } from '@alto/harness';
import { AltoClient, createDefaultComponents, shutdownNetworkRuntime, type ComponentFactory } from '@alto/orchestrator';
import { connectWithRetry } from './connect.js';
import { DiscardOutput, PacedInput, PulledOutput, spyMixer } from './components.js';
import { QUICK, nowMs, say, sleep, table, writeResult } from './report.js';
import { round, summarize, type Summary } from './stats.js';
import { renderBarChart } from './svg.js';

const SR = 48_000;
const CLICKS = Number(process.env.ALTO_BENCH_CLICKS ?? (QUICK ? 30 : 200));
// Wide enough that a click is matched even when the path has crept to most of a second (a loaded box).
const SPACING_MS = 1000;
const WARMUP_MS = 3000;
const THRESHOLD = 4000;
const CLICK = Array.from({ length: 240 }, (_, i) => Math.round(16000 * Math.sin((2 * Math.PI * 1000 * i) / SR)));

/** One configuration of the pipeline. */
interface Settings {
  readonly name: string;
  readonly captureMs: number;
  readonly sourceQueueMs: number | undefined;
  readonly mixerFrameMs: number;
  readonly mixerTargetMs: number;
}

/** Alto's mixer jitter target; `ALTO_BENCH_MIXER_TARGET_MS` tries another. */
const OURS_TARGET_MS = Number(process.env.ALTO_BENCH_MIXER_TARGET_MS ?? 30);
const OURS: Settings = { name: 'alto', captureMs: 10, sourceQueueMs: undefined, mixerFrameMs: 10, mixerTargetMs: OURS_TARGET_MS };
const SEED: Settings = { name: 'seed', captureMs: 50, sourceQueueMs: 200, mixerFrameMs: 50, mixerTargetMs: 50 };

interface Run {
  readonly settings: Settings;
  readonly sent: number;
  readonly matched: number;
  readonly total: Summary;
  readonly senderDropped: number;
  readonly senderFrames: number;
  readonly stages: Record<'capture' | 'network' | 'mixer' | 'output', Summary>;
}

async function measure(s: Settings, server: { url: string; apiKey: string; apiSecret: string }): Promise<Run> {
  const room = `latency-${s.name}-${Date.now()}`;
  const clickAt: number[] = [];
  const emitAt: number[] = [];
  const arrivals: number[] = [];
  const outputs: { handed: number; playMs: number }[] = [];
  const frameSamples = (SR * s.captureMs) / 1000;
  const warmupFrames = WARMUP_MS / s.captureMs;
  const every = SPACING_MS / s.captureMs;
  let pendingClick = false;

  const input = new PacedInput(frameSamples, s.captureMs, (k, out, startMs) => {
    if (k >= warmupFrames && (k - warmupFrames) % every === 0 && clickAt.length < CLICKS) {
      for (let i = 0; i < CLICK.length; i++) out[i] = CLICK[i] ?? 0;
      clickAt.push(startMs);
      pendingClick = true;
    }
  });
  input.on('frame', () => {
    if (!pendingClick) return;
    pendingClick = false;
    emitAt.push(nowMs());
  });
  let lastArrival = -Infinity;
  const onArrival = (_id: string, samples: Int16Array): void => {
    const now = nowMs();
    if (now - lastArrival < 200) return;
    for (let i = 0; i < samples.length; i++) {
      if (Math.abs(samples[i] ?? 0) > THRESHOLD) {
        arrivals.push(now);
        lastArrival = now;
        return;
      }
    }
  };
  let lastOut = -Infinity;
  const output = new PulledOutput({
    frameMs: s.mixerFrameMs,
    targetLatencyMs: s.mixerTargetMs,
    // Double buffering (one block playing, one queued), as PortAudio does for both programs.
    queueBlocks: 2,
    onBlock: (block, handed, index) => {
      if (handed - lastOut < 200) return;
      for (let i = 0; i < block.length; i++) {
        if (Math.abs(block[i] ?? 0) > THRESHOLD) {
          outputs.push({ handed, playMs: output.blockStartMs(index) + (i / SR) * 1000 });
          lastOut = handed;
          return;
        }
      }
    },
  });

  const real = createDefaultComponents(s.sourceQueueMs === undefined ? {} : { sourceQueueMs: s.sourceQueueMs });
  const factoryA: ComponentFactory = {
    ...real,
    openOutput: () => Promise.resolve(new DiscardOutput()),
    openInput: () => Promise.resolve(input),
  };
  const factoryB: ComponentFactory = {
    ...real,
    openOutput: () => Promise.resolve(output),
    createNetwork: (settings, mixer, format, logger) => real.createNetwork(settings, spyMixer(mixer, onArrival), format, logger),
  };
  const common = { url: server.url, apiKey: server.apiKey, apiSecret: server.apiSecret, room };
  const b = new AltoClient({ ...common, identity: 'B', input: false, output: 'pulled' }, factoryB);
  const a = new AltoClient({ ...common, identity: 'A', input: 'clicks', output: false }, factoryA);
  await connectWithRetry(b);
  await connectWithRetry(a);
  const deadline = nowMs() + WARMUP_MS + CLICKS * SPACING_MS + 5000;
  const buffered: number[] = [];
  const senderBacklog: number[] = [];
  while (clickAt.length < CLICKS && nowMs() < deadline) {
    await sleep(200);
    const st = output.mixer.getMetrics().streams[0];
    if (st) buffered.push(round(st.bufferedMs));
    const am = a.getMetrics();
    senderBacklog.push((am.input?.framesCaptured ?? 0) - am.network.framesSent);
  }
  if (process.env.ALTO_BENCH_DEBUG) say(`bufferedMs: ${buffered.join(' ')}\nsender captured-sent frames: ${senderBacklog.join(' ')}`);
  await sleep(1000);
  const am = a.getMetrics();
  // livekit-net's capture pump keeps at most a few frames pending and drops the oldest beyond
  // that: captured - sent is (almost entirely) frames the sender dropped, i.e. gaps the far end hears.
  const senderDropped = Math.max(0, (am.input?.framesCaptured ?? 0) - am.network.framesSent);
  await a.disconnect();
  await b.disconnect();

  if (process.env.ALTO_BENCH_DEBUG) say(JSON.stringify({ c: clickAt.map((t) => round(t - (clickAt[0] ?? 0))), e: emitAt.map((t) => round(t - (clickAt[0] ?? 0))), a: arrivals.map((t) => round(t - (clickAt[0] ?? 0))), o: outputs.map((o) => round(o.playMs - (clickAt[0] ?? 0))) }));
  const total: number[] = [];
  const st = { capture: [] as number[], network: [] as number[], mixer: [] as number[], output: [] as number[] };
  clickAt.forEach((c, j) => {
    const e = emitAt[j];
    const arr = arrivals.find((t) => t >= c && t < c + SPACING_MS - 10);
    const out = outputs.find((o) => o.playMs >= c && o.playMs < c + SPACING_MS - 10);
    if (e === undefined || arr === undefined || out === undefined || out.handed < arr) return;
    st.capture.push(e - c);
    st.network.push(arr - e);
    st.mixer.push(out.handed - arr);
    st.output.push(out.playMs - out.handed);
    total.push(out.playMs - c);
  });
  return {
    settings: s,
    sent: clickAt.length,
    matched: total.length,
    total: summarize(total),
    senderDropped,
    senderFrames: am.input?.framesCaptured ?? 0,
    stages: { capture: summarize(st.capture), network: summarize(st.network), mixer: summarize(st.mixer), output: summarize(st.output) },
  };
}

const server = await startLivekitServer();
let runs: Run[] = [];
try {
  say(`latency: ${CLICKS} clicks per setting, ${SPACING_MS} ms apart`);
  runs = [await measure(OURS, server), await measure(SEED, server)];
} finally {
  await shutdownNetworkRuntime().catch(() => {});
  await server.stop();
}
const [ours, seed] = runs as [Run, Run];
const ratio = seed.total.p50 / ours.total.p50;
const r = (v: number): number => round(v, 1);
say(
  table(
    ['settings', 'clicks matched', 'p50 ms', 'p95 ms', 'p99 ms', 'capture p50', 'source queue + network + SDK jitter p50', 'mixer buffer p50', 'output p50', 'sender frames dropped'],
    runs.map((x) => [
      x.settings.name,
      `${x.matched}/${x.sent}`,
      r(x.total.p50),
      r(x.total.p95),
      r(x.total.p99),
      r(x.stages.capture.p50),
      r(x.stages.network.p50),
      r(x.stages.mixer.p50),
      r(x.stages.output.p50),
      `${x.senderDropped}/${x.senderFrames}`,
    ]),
  ),
);
say(`seed/alto p50 ratio: ${r(ratio)}x (target >= 3x; alto p50 target <= 60 ms)`);
const stageNames = ['capture', 'network', 'mixer', 'output'] as const;
const files = writeResult(
  'latency',
  {
    method:
      'click at a known hrtime enters A input handler; detected leaving B output handler (in-process AudioMixer pulled by a real-time timer, device modelled with 2 blocks of buffering; output stage = from hand-over to the click sample playing)',
    clicks: CLICKS,
    spacingMs: SPACING_MS,
    runs,
    ratioP50: ratio,
  },
  renderBarChart({
    title: 'App-to-app latency (ms), Alto vs the Python Alto Terminal settings',
    yLabel: 'ms',
    series: ['alto (10 ms blocks)', 'seed (50 ms blocks, 200 ms queue)'],
    groups: [
      ...stageNames.map((n) => ({ label: `${n} p50`, values: [ours.stages[n].p50, seed.stages[n].p50] })),
      { label: 'total p50', values: [ours.total.p50, seed.total.p50] },
      { label: 'total p95', values: [ours.total.p95, seed.total.p95] },
      { label: 'total p99', values: [ours.total.p99, seed.total.p99] },
    ],
    target: { value: 60, label: 'target p50 60 ms' },
  }),
);
say(`wrote ${files.json} and ${files.svg}`);
process.exit(0);
