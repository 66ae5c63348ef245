import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@alto/harness';

/** True when `ALTO_BENCH_QUICK=1`: shorter runs for development (~3 min for everything). */
export const QUICK = process.env.ALTO_BENCH_QUICK === '1';

/** `bench/results` at the workspace root (gitignored), created on demand. */
export function resultsDir(): string {
  const dir = join(repoRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes `<name>.json` (with date, node version and quick flag) and `<name>.svg`; returns the paths. */
export function writeResult(name: string, data: object, svg: string): { json: string; svg: string } {
  const dir = resultsDir();
  const json = join(dir, `${name}.json`);
  const svgPath = join(dir, `${name}.svg`);
  writeFileSync(json, `${JSON.stringify({ bench: name, date: new Date().toISOString(), node: process.version, quick: QUICK, loadavg: loadavg(), ...data }, null, 2)}\n`);
  writeFileSync(svgPath, svg);
  return { json, svg: svgPath };
}

/** Formats rows as a Markdown table (also readable on a terminal). */
export function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cell = (v: string | number): string => (typeof v === 'number' ? (Number.isFinite(v) ? String(v) : 'n/a') : v);
  const lines = [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`];
  for (const r of rows) lines.push(`| ${r.map(cell).join(' | ')} |`);
  return lines.join('\n');
}

/** Progress and tables go to stdout (benchmarks are programs, not library code). */
export function say(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Monotonic milliseconds (CLOCK_MONOTONIC via hrtime; comparable across processes on Linux). */
export const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;
