/**
 * Resampler benchmark: CPU per 10 ms block and quality, SincResampler against LinearResampler in
 * the same run, at the rates devices and WAV files come in. CPU is process CPU time
 * (process.cpuUsage), so other load on a shared machine inflates it less than wall time would.
 * Writes bench/results/resampler.json at the workspace root.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { LinearResampler } from '../src/resampler.js';
import { SincResampler } from '../src/sinc-resampler.js';
import {
  passbandRippleDb,
  sweepSpuriousDbfs,
  toneSpuriousDbfs,
  type Convert,
} from '../test/resampler-quality.js';

const BLOCKS = Number(process.env.RESAMPLER_BENCH_BLOCKS ?? 5000);
const AUDIBLE = [20, 100, 1000, 5000, 10_000, 15_000, 18_000, 19_000, 19_500, 20_000];
const CASES: Array<[number, number, number]> = [
  [48_000, 44_100, 1],
  [44_100, 48_000, 1],
  [44_100, 48_000, 2],
  [16_000, 48_000, 1],
  [48_000, 16_000, 1],
];

/** CPU microseconds per 10 ms input block of a streaming resampler step. */
function cpuPerBlockUs(
  step: (block: Int16Array) => void,
  inputRate: number,
  channels: number,
): number {
  const block = new Int16Array((inputRate / 100) * channels);
  for (let i = 0; i < block.length; i++) block[i] = Math.round(12_000 * Math.sin(i / 7));
  for (let i = 0; i < Math.min(2000, BLOCKS); i++) step(block);
  const before = process.cpuUsage();
  for (let i = 0; i < BLOCKS; i++) step(block);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / BLOCKS;
}

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;
const rows = CASES.map(([from, to, channels]) => {
  const sinc = new SincResampler(from, to, channels);
  const sincOut = new Int16Array(sinc.maxOutputFrames(from / 100) * channels);
  const linear = new LinearResampler(from, to, channels);
  const sincUs = cpuPerBlockUs((b) => sinc.processInto(b, sincOut), from, channels);
  const linearUs = cpuPerBlockUs((b) => linear.process(b), from, channels);
  return {
    conversion: `${from} → ${to} Hz, ${channels} ch`,
    sincCpuUsPerBlock: round(sincUs, 1),
    linearCpuUsPerBlock: round(linearUs, 1),
    cpuRatio: round(sincUs / linearUs, 1),
    sincShareOfBlockPercent: round(sincUs / 100, 2),
    sincLatencyMs: round(sinc.latencyMs, 2),
    taps: sinc.latencyFrames * 2,
  };
});

const sincConvert: Convert = (input, from, to) => SincResampler.convert(input, from, to, 1);
const linearConvert: Convert = (input, from, to) => LinearResampler.convert(input, from, to, 1);
const quality = [
  [48_000, 44_100],
  [44_100, 48_000],
].flatMap(([from, to]) =>
  (
    [
      ['sinc', sincConvert],
      ['linear', linearConvert],
    ] as const
  ).map(([name, convert]) => ({
    resampler: name,
    conversion: `${from} → ${to} Hz`,
    tone15kSpuriousDbfs: round(toneSpuriousDbfs(convert, 15_000, from!, to!), 1),
    sweepSpuriousDbfs: round(sweepSpuriousDbfs(convert, from!, to!), 1),
    rippleTo20kDb: round(passbandRippleDb(convert, AUDIBLE, from!, to!), 4),
  })),
);

const result = {
  date: new Date().toISOString(),
  machine: 'shared 2-core dev box',
  loadAverage: loadavg().map((l) => round(l, 2)),
  blocksTimed: BLOCKS,
  cpu: rows,
  quality,
  notes:
    'CPU: process CPU time per 10 ms block (processInto for sinc, process for linear). Quality: worst spurious FFT bin (aliases, images) for a 0.9 FS 15 kHz tone and a 0.9 FS sweep 20 Hz → input Nyquist; ripple = max − min gain of tones 20 Hz–20 kHz.',
};
const dir = fileURLToPath(new URL('../../../bench/results/', import.meta.url));
mkdirSync(dir, { recursive: true });
writeFileSync(`${dir}resampler.json`, `${JSON.stringify(result, null, 2)}\n`);
console.table(rows);
console.table(quality);
