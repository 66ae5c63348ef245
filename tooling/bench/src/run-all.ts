/**
 * Runs every benchmark in sequence, each in its own process with a time limit (the LiveKit
 * native runtime and device hosts are released when that process ends, whatever happens).
 * `ALTO_BENCH_QUICK=1` for the ~3-minute smoke version; `ALTO_BENCH_ONLY=mouth-to-ear,scale` to pick.
 */
import { spawnSync } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { QUICK, say } from './report.js';

// The box is shared with other engineers' test runs (load averages of 8-14 on 2 cores were seen).
// Every benchmark process inherits this niceness (as do the native threads they start), so the
// numbers describe Alto rather than the scheduler; the device host raises its own priority too.
const NICE = Number(process.env.ALTO_BENCH_NICE ?? -10);
try {
  setPriority(NICE);
} catch {
  say(`note: could not set niceness ${NICE} (needs privileges); numbers include scheduler contention`);
}

const BENCHES: readonly { name: string; limitMin: number; quickLimitMin: number }[] = [
  { name: 'mixer', limitMin: 5, quickLimitMin: 5 },
  { name: 'mouth-to-ear', limitMin: 30, quickLimitMin: 8 },
  { name: 'latency', limitMin: 10, quickLimitMin: 3 },
  { name: 'scale', limitMin: 8, quickLimitMin: 2 },
  { name: 'resilience', limitMin: 4, quickLimitMin: 2 },
  { name: 'soak', limitMin: 13, quickLimitMin: 3 },
];
const only = process.env.ALTO_BENCH_ONLY?.split(',').map((s) => s.trim());
const failed: string[] = [];
for (const b of BENCHES) {
  if (only && !only.includes(b.name)) continue;
  const script = fileURLToPath(new URL(`./${b.name}.ts`, import.meta.url));
  const limitMs = (QUICK ? b.quickLimitMin : b.limitMin) * 60_000;
  say(`\n## ${b.name}${QUICK ? ' (quick)' : ''}`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--conditions=@alto/source', '--import', 'tsx', script], { stdio: 'inherit', timeout: limitMs, killSignal: 'SIGKILL' });
  const s = Math.round((performance.now() - t0) / 1000);
  if (r.status !== 0) {
    failed.push(b.name);
    say(`${b.name}: FAILED (${r.signal ? `killed by ${r.signal} after the ${limitMs / 60_000} min limit` : `exit ${r.status}`}) after ${s} s`);
  } else say(`${b.name}: done in ${s} s`);
}
if (failed.length > 0) {
  say(`\nfailed: ${failed.join(', ')}`);
  process.exit(1);
}
