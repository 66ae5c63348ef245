/**
 * Mixer: mixer-core's own benchmark (`pnpm --filter @alto/mixer-core bench`) writes
 * bench/results/mixer.json; this script runs it when the file is missing, prints its table and
 * draws bench/results/mixer.svg.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@alto/harness';
import { resultsDir, say, table } from './report.js';
import { round } from './stats.js';
import { renderBarChart } from './svg.js';

interface MixerRow {
  readonly streams: number;
  readonly coreNs: number;
  readonly seedNs: number;
  readonly livekitNs: number;
  readonly coreBytesPerBlock: number;
}

const file = join(resultsDir(), 'mixer.json');
if (!existsSync(file) || process.env.ALTO_BENCH_RERUN_MIXER === '1') {
  say('mixer: running pnpm --filter @alto/mixer-core bench');
  spawnSync('pnpm', ['--filter', '@alto/mixer-core', 'bench'], { cwd: repoRoot(), stdio: 'inherit', timeout: 300_000 });
}
const data = JSON.parse(readFileSync(file, 'utf8')) as { date: string; rows: MixerRow[] };
const us = (ns: number): number => round(ns / 1000, 2);
say(`mixer-core bench of ${data.date} (CPU µs per 10 ms block)`);
say(
  table(
    ['streams', 'mixer-core µs', 'seed-style µs', 'rtc-node AudioMixer µs', 'seed/core', 'rtc-node/core', 'B allocated/block'],
    data.rows.map((r) => [r.streams, us(r.coreNs), us(r.seedNs), us(r.livekitNs), round(r.seedNs / r.coreNs, 1), round(r.livekitNs / r.coreNs, 1), round(r.coreBytesPerBlock, 2)]),
  ),
);
const svg = join(resultsDir(), 'mixer.svg');
writeFileSync(
  svg,
  renderBarChart({
    title: 'Mixer CPU per 10 ms block (µs), lower is better',
    yLabel: 'µs per block',
    series: ['mixer-core', 'seed-style', 'rtc-node AudioMixer'],
    groups: data.rows.map((r) => ({ label: `${r.streams} streams`, values: [us(r.coreNs), us(r.seedNs), us(r.livekitNs)] })),
  }),
);
say(`wrote ${svg}`);
