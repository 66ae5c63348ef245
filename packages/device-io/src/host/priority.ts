/**
 * Scheduling priority for the audio host: the device must get its next block on time even when
 * the machine is busy. Two steps, each kept only where the OS permits it:
 * 1. a negative nice value (needs CAP_SYS_NICE or an RLIMIT_NICE allowance);
 * 2. round-robin real-time scheduling at a low real-time priority for every thread of the host
 *    (needs CAP_SYS_NICE or an RLIMIT_RTPRIO allowance, e.g. the `audio` group's limits.conf),
 *    set with util-linux `chrt` once a sound device runs (PortAudio's callback thread included;
 *    threads started later, such as libuv's pool, inherit it). File, tone and null backends
 *    stay at step 1. The kernel's real-time throttling (95 % by default) still bounds a
 *    runaway thread. An unprivileged user on a stock system gets neither and runs at normal
 *    priority, which works, with a larger adaptive output budget on a busy machine.
 */
import { spawnSync } from 'node:child_process';
import { setPriority } from 'node:os';

const NICE = -11;
const RT_PRIORITY = 5;

/** Lowers this process's nice value where permitted (at startup); returns what it got. */
export function raiseNice(): string {
  try {
    setPriority(NICE);
    return `nice ${NICE}`;
  } catch {
    return 'normal';
  }
}

let permitted: boolean | undefined;

/**
 * Whether {@link raiseRealtime} would succeed here, asked once of the OS by starting a trivial
 * program at the real-time priority the host uses (same user, same limits, same capabilities).
 */
export function realtimePermitted(): boolean {
  if (process.platform !== 'linux' || process.env['ALTO_AUDIO_REALTIME'] === '0') return false;
  permitted ??= spawnSync('chrt', ['--rr', String(RT_PRIORITY), 'true'], { stdio: 'ignore', timeout: 2000 }).status === 0;
  return permitted;
}

/**
 * Moves every thread of this process to round-robin real-time scheduling where permitted. Called
 * once a sound device is open and running, so start-up work (loading modules, opening the device)
 * never runs real-time, and PortAudio's callback thread, which exists by then, is included.
 * Returns what the process runs at afterwards, given `current` from {@link raiseNice}.
 */
export function raiseRealtime(current: string): string {
  if (process.platform !== 'linux' || process.env['ALTO_AUDIO_REALTIME'] === '0') return current;
  const rt = spawnSync(
    'chrt',
    ['--all-tasks', '--rr', '--pid', String(RT_PRIORITY), String(process.pid)],
    {
      stdio: 'ignore',
      timeout: 2000,
    },
  );
  return rt.status === 0 ? `SCHED_RR ${RT_PRIORITY}` : current;
}
