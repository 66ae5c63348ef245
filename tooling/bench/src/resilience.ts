/**
 * Resilience: the listener's main event loop is blocked (a busy loop) for 100, 250 and 500 ms
 * once a second while one bot talks. Two listeners in this process suffer the same stalls:
 * - alto: the production topology (mixer + device in the device host process, null sink);
 * - naive: an in-process AudioMixer pulled by a main-thread timer into a modelled device with the
 *   same 40 ms of output queue (4 blocks); a block the timer did not deliver in time is an underrun.
 */
import { startLivekitServer } from '@alto/harness';
import { AltoClient, createDefaultComponents, shutdownNetworkRuntime, type ComponentFactory } from '@alto/orchestrator';
import { startBots } from './bots.js';
import { PulledOutput } from './components.js';
import { connectWithRetry } from './connect.js';
import { gapDelta, gaps, startListener } from './listener.js';
import { QUICK, nowMs, say, sleep, table, writeResult } from './report.js';
import { renderBarChart } from './svg.js';

const STALLS = [0, 100, 250, 500];
const SECONDS = QUICK ? 5 : 15;

function busy(ms: number): void {
  const end = nowMs() + ms;
  while (nowMs() < end) {
    // deliberately blocking the event loop
  }
}

interface Row {
  readonly stallMs: number;
  readonly stalls: number;
  readonly alto: { readonly deviceUnderruns: number; readonly silentMixBlocks: number; readonly streamUnderruns: number };
  readonly naive: { readonly lateBlocks: number; readonly silentMixBlocks: number; readonly streamUnderruns: number };
}

const server = await startLivekitServer();
const rows: Row[] = [];
try {
  const room = `resilience-${Date.now()}`;
  const alto = await startListener(server, room);
  const naiveOut = new PulledOutput({ frameMs: 10, targetLatencyMs: 30, queueBlocks: 4 });
  const real = createDefaultComponents();
  const factory: ComponentFactory = { ...real, openOutput: () => Promise.resolve(naiveOut) };
  const naive = new AltoClient({ url: server.url, apiKey: server.apiKey, apiSecret: server.apiSecret, room, identity: 'naive', input: false, output: 'modelled' }, factory);
  await connectWithRetry(naive);
  const bots = await startBots({ ...server, room }, 1);
  const deadline = nowMs() + 20_000;
  while ((alto.client.getMetrics().mixer?.streams ?? []).every((s) => s.state !== 'playing') && nowMs() < deadline) await sleep(250);
  await sleep(3000);
  for (const stallMs of STALLS) {
    const a0 = gaps(alto.client);
    const n0 = gaps(naive);
    const late0 = naiveOut.metrics().underruns;
    for (let s = 0; s < SECONDS; s++) {
      await sleep(1000 - stallMs);
      busy(stallMs);
    }
    // let the host's metrics snapshot catch up before reading
    await sleep(1000);
    const a = gapDelta(a0, gaps(alto.client));
    const n = gapDelta(n0, gaps(naive));
    rows.push({
      stallMs,
      stalls: stallMs > 0 ? SECONDS : 0,
      alto: { deviceUnderruns: a.device, silentMixBlocks: a.mix, streamUnderruns: a.streams },
      naive: { lateBlocks: naiveOut.metrics().underruns - late0, silentMixBlocks: n.mix, streamUnderruns: n.streams },
    });
    say(`  stall ${stallMs} ms: alto device ${a.device} mix ${a.mix}; naive late ${naiveOut.metrics().underruns - late0} mix ${n.mix}`);
  }
  await bots.stop();
  await naive.disconnect();
  await alto.client.disconnect();
} finally {
  await shutdownNetworkRuntime().catch(() => {});
  await server.stop();
}

say(
  table(
    ['stall ms (1/s)', 'stalls', 'alto device underruns', 'alto silent mix blocks', 'alto stream underruns', 'naive late blocks', 'naive silent mix blocks', 'naive stream underruns'],
    rows.map((r) => [r.stallMs, r.stalls, r.alto.deviceUnderruns, r.alto.silentMixBlocks, r.alto.streamUnderruns, r.naive.lateBlocks, r.naive.silentMixBlocks, r.naive.streamUnderruns]),
  ),
);
const files = writeResult(
  'resilience',
  { secondsPerStall: SECONDS, rows },
  renderBarChart({
    title: 'Main-loop stalls once a second: gap blocks (10 ms) per run',
    yLabel: '10 ms blocks',
    series: ['alto device underruns', 'alto silent mix blocks', 'naive late blocks', 'naive silent mix blocks'],
    groups: rows.map((r) => ({ label: `${r.stallMs} ms`, values: [r.alto.deviceUnderruns, r.alto.silentMixBlocks, r.naive.lateBlocks, r.naive.silentMixBlocks] })),
  }),
);
say(`wrote ${files.json} and ${files.svg}`);
process.exit(0);
