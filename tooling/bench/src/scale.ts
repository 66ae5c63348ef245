/**
 * Scale: one listener (this process, production topology) and N talking bots (child processes).
 * Per N: the listener's CPU, RSS, event-loop lag p99, underruns, and the device host's CPU
 * (where the mixer runs) over a measurement window.
 */
import { startLivekitServer } from '@alto/harness';
import { shutdownNetworkRuntime } from '@alto/orchestrator';
import { startBots } from './bots.js';
import { gapDelta, gaps, startListener } from './listener.js';
import { measureWindow, type WindowReading } from './probe.js';
import { QUICK, nowMs, say, sleep, table, writeResult } from './report.js';
import { round } from './stats.js';
import { renderBarChart } from './svg.js';

const SIZES = QUICK ? [1, 5] : [1, 10, 25, 50];
const WINDOW_MS = QUICK ? 5000 : 20_000;

interface Row extends WindowReading {
  readonly n: number;
  readonly joined: number;
  readonly streams: number;
  readonly deviceUnderruns: number;
  readonly mixUnderruns: number;
  readonly streamUnderruns: number;
}

const server = await startLivekitServer();
const rows: Row[] = [];
try {
  const room = `scale-${Date.now()}`;
  const listener = await startListener(server, room);
  say(`scale: listener host pids ${listener.hostPids.join(',')}; window ${WINDOW_MS} ms`);
  for (const n of SIZES) {
    const bots = await startBots({ ...server, room }, n);
    const deadline = nowMs() + 30_000;
    const playing = (): number => (listener.client.getMetrics().mixer?.streams ?? []).filter((s) => s.state === 'playing').length;
    while (playing() < bots.connected && nowMs() < deadline) await sleep(250);
    await sleep(3000);
    const g0 = gaps(listener.client);
    const w = await measureWindow(WINDOW_MS, listener.hostPids);
    const d = gapDelta(g0, gaps(listener.client));
    rows.push({ n, joined: bots.connected, streams: playing(), ...w, deviceUnderruns: d.device, mixUnderruns: d.mix, streamUnderruns: d.streams });
    say(`  N=${n}: joined ${bots.connected}, cpu ${round(w.cpuPct)}% (JS main thread ${round(w.mainThreadPct)}%) host ${round(w.hostCpuPct)}% lag p99 ${round(w.lagP99Ms)} ms`);
    say(`    threads: ${Object.entries(w.threadsPct).slice(0, 6).map(([k, v]) => `${k} ${round(v)}%`).join(', ')}`);
    await bots.stop();
    const gone = nowMs() + 15_000;
    while (listener.client.participants().length > 0 && nowMs() < gone) await sleep(250);
  }
  await listener.client.disconnect();
} finally {
  await shutdownNetworkRuntime().catch(() => {});
  await server.stop();
}

say(
  table(
    ['N bots', 'joined/playing', 'listener CPU %', 'of it JS main thread %', 'host (mixer) CPU %', 'listener RSS MB', 'host RSS MB', 'loop lag p99 ms', 'device underruns', 'mix underruns', 'stream underruns'],
    rows.map((r) => [
      r.n,
      `${r.joined}/${r.streams}`,
      round(r.cpuPct),
      round(r.mainThreadPct),
      round(r.hostCpuPct),
      round(r.rssMb),
      round(r.hostRssMb),
      round(r.lagP99Ms),
      r.deviceUnderruns,
      r.mixUnderruns,
      r.streamUnderruns,
    ]),
  ),
);
const first = rows[0];
const last = rows[rows.length - 1];
const perBot =
  first && last && last.n > first.n
    ? { cpuPct: (last.cpuPct - first.cpuPct) / (last.n - first.n), hostCpuPct: (last.hostCpuPct - first.hostCpuPct) / (last.n - first.n), rssMb: (last.rssMb - first.rssMb) / (last.n - first.n) }
    : undefined;
if (perBot) say(`growth per bot: listener ${round(perBot.cpuPct, 2)} %CPU, host ${round(perBot.hostCpuPct, 2)} %CPU, ${round(perBot.rssMb, 2)} MB RSS`);
const files = writeResult(
  'scale',
  { windowMs: WINDOW_MS, target: 'N=50: listener+host < 30 % of one core, no underruns', rows, perBot },
  renderBarChart({
    title: 'Scale: listener cost vs talking bots',
    yLabel: '% of one core / ms',
    series: ['listener CPU %', 'host (mixer) CPU %', 'loop lag p99 ms'],
    groups: rows.map((r) => ({ label: `N=${r.n}`, values: [r.cpuPct, r.hostCpuPct, r.lagP99Ms] })),
    target: { value: 30, label: 'target 30 % at N=50' },
  }),
);
say(`wrote ${files.json} and ${files.svg}`);
process.exit(0);
