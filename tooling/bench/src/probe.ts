import { readFileSync, readdirSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sleep } from './report.js';

const TICK_MS = 10; // USER_HZ is 100 on Linux

function statFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm may contain spaces: fields start after the last ')'
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Pids whose parent is `ppid` (from /proc). */
export function childPids(ppid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const f = statFields(pid);
    if (f && Number(f[1]) === ppid) out.push(pid);
  }
  return out;
}

/** User + system CPU time of a process in ms (0 when it is gone). */
export function procCpuMs(pid: number): number {
  const f = statFields(pid);
  return f ? (Number(f[11]) + Number(f[12])) * TICK_MS : 0;
}

/** Resident set size of a process in MB (0 when it is gone). */
export function procRssMb(pid: number): number {
  try {
    const pages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    return (pages * 4096) / 2 ** 20;
  } catch {
    return 0;
  }
}

/** CPU ms per thread of this process, summed by thread name (from /proc/self/task). */
export function threadCpuMs(): Map<string, number> {
  const byName = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const text = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')')).trim();
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      byName.set(name, (byName.get(name) ?? 0) + (Number(f[11]) + Number(f[12])) * TICK_MS);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return byName;
}

/** What one measurement window saw. */
export interface WindowReading {
  /** This process's CPU as % of one core. */
  readonly cpuPct: number;
  /** The device host processes' CPU (mixer + device), % of one core. */
  readonly hostCpuPct: number;
  readonly rssMb: number;
  readonly hostRssMb: number;
  /** Event-loop delay p99 and max in ms (perf_hooks histogram, 10 ms resolution timer). */
  readonly lagP99Ms: number;
  readonly lagMaxMs: number;
  /** This process's JS main thread (Node's thread is named after the executable), % of one core. */
  readonly mainThreadPct: number;
  /** This process's CPU by thread name, % of one core, busiest first (the SDK's native threads: audio device, network, tokio, ...). */
  readonly threadsPct: Readonly<Record<string, number>>;
}

/** Measures CPU, RSS and event-loop lag of this process and of `hostPids` over `ms`. */
export async function measureWindow(ms: number, hostPids: readonly number[]): Promise<WindowReading> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const c0 = process.cpuUsage();
  const th0 = threadCpuMs();
  const host0 = hostPids.reduce((s, p) => s + procCpuMs(p), 0);
  const t0 = performance.now();
  await sleep(ms);
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const th1 = threadCpuMs();
  const threadsPct = Object.fromEntries(
    [...th1]
      .map(([name, ms]) => [name, ((ms - (th0.get(name) ?? 0)) / wall) * 100] as const)
      .filter(([, pct]) => pct > 0)
      .sort((a, b) => b[1] - a[1]),
  );
  const mainName = readFileSync('/proc/self/comm', 'utf8').trim();
  const host1 = hostPids.reduce((s, p) => s + procCpuMs(p), 0);
  h.disable();
  return {
    cpuPct: ((c.user + c.system) / 1000 / wall) * 100,
    hostCpuPct: ((host1 - host0) / wall) * 100,
    rssMb: process.memoryUsage().rss / 2 ** 20,
    hostRssMb: hostPids.reduce((s, p) => s + procRssMb(p), 0),
    lagP99Ms: h.percentile(99) / 1e6,
    lagMaxMs: h.max / 1e6,
    mainThreadPct: threadsPct[mainName] ?? 0,
    threadsPct,
  };
}
