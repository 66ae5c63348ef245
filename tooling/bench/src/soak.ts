/**
 * Soak: a five-person call (this listener + 4 talking bots) for 10 minutes (1 in quick mode):
 * the listener's and its device host's RSS slope (MB/min, least squares) and the slope of each
 * stream's buffered ms (latency creep).
 */
import { startLivekitServer } from '@alto/harness';
import { shutdownNetworkRuntime } from '@alto/orchestrator';
import { startBots } from './bots.js';
import { gapDelta, gaps, startListener } from './listener.js';
import { procRssMb } from './probe.js';
import { QUICK, nowMs, say, sleep, table, writeResult } from './report.js';
import { linearFit, round, summarize } from './stats.js';
import { renderLineChart } from './svg.js';

const MINUTES = Number(process.env.ALTO_BENCH_SOAK_MINUTES ?? (QUICK ? 1 : 10));
const SAMPLE_MS = 5000;

const server = await startLivekitServer();
const samples: { min: number; rssMb: number; hostRssMb: number; buffered: Record<string, number> }[] = [];
let underruns = { device: 0, mix: 0, streams: 0 };
try {
  const room = `soak-${Date.now()}`;
  const listener = await startListener(server, room);
  const bots = await startBots({ ...server, room }, 4);
  const ready = nowMs() + 20_000;
  while ((listener.client.getMetrics().mixer?.streams ?? []).filter((s) => s.state === 'playing').length < bots.connected && nowMs() < ready) await sleep(250);
  await sleep(3000);
  const g0 = gaps(listener.client);
  const t0 = nowMs();
  while (nowMs() - t0 < MINUTES * 60_000) {
    await sleep(SAMPLE_MS);
    const buffered: Record<string, number> = {};
    for (const s of listener.client.getMetrics().mixer?.streams ?? []) buffered[s.label ?? s.id] = s.bufferedMs;
    samples.push({
      min: (nowMs() - t0) / 60_000,
      rssMb: process.memoryUsage().rss / 2 ** 20,
      hostRssMb: listener.hostPids.reduce((s, p) => s + procRssMb(p), 0),
      buffered,
    });
  }
  underruns = gapDelta(g0, gaps(listener.client));
  await bots.stop();
  await listener.client.disconnect();
} finally {
  await shutdownNetworkRuntime().catch(() => {});
  await server.stop();
}

const xs = samples.map((s) => s.min);
const rss = linearFit(xs, samples.map((s) => s.rssMb));
const hostRss = linearFit(xs, samples.map((s) => s.hostRssMb));
const streamIds = [...new Set(samples.flatMap((s) => Object.keys(s.buffered)))];
const streams = streamIds.map((id) => {
  const pts = samples.filter((s) => s.buffered[id] !== undefined);
  const values = pts.map((s) => s.buffered[id] ?? NaN);
  const fit = linearFit(pts.map((s) => s.min), values);
  const sum = summarize(values);
  return { id, slopeMsPerMin: fit.slope, meanMs: sum.mean, maxMs: sum.max };
});
say(
  table(
    ['minutes', 'listener RSS start → end MB', 'listener RSS slope MB/min', 'host RSS slope MB/min', 'worst buffered-ms slope ms/min', 'buffered ms mean (max)', 'underruns device/mix/stream'],
    [
      [
        MINUTES,
        `${round(samples[0]?.rssMb ?? NaN)} → ${round(samples[samples.length - 1]?.rssMb ?? NaN)}`,
        round(rss.slope, 2),
        round(hostRss.slope, 2),
        round(Math.max(...streams.map((s) => Math.abs(s.slopeMsPerMin))), 2),
        `${round(summarize(streams.map((s) => s.meanMs)).mean)} (${round(Math.max(...streams.map((s) => s.maxMs)))})`,
        `${underruns.device}/${underruns.mix}/${underruns.streams}`,
      ],
    ],
  ),
);
const files = writeResult(
  'soak',
  { minutes: MINUTES, sampleMs: SAMPLE_MS, rssSlopeMbPerMin: rss.slope, hostRssSlopeMbPerMin: hostRss.slope, streams, underruns, samples },
  renderLineChart({
    title: `Soak: five-person call, ${MINUTES} min`,
    xLabel: 'minutes',
    yLabel: 'MB / ms',
    series: [
      { name: 'listener RSS MB', points: samples.map((s) => [s.min, s.rssMb] as const) },
      { name: 'host RSS MB', points: samples.map((s) => [s.min, s.hostRssMb] as const) },
      ...streamIds.map((id) => ({ name: `${id} buffered ms`, points: samples.filter((s) => s.buffered[id] !== undefined).map((s) => [s.min, s.buffered[id] ?? 0] as const) })),
    ],
  }),
);
say(`wrote ${files.json} and ${files.svg}`);
process.exit(0);
