/**
 * Scheduling priority for the audio host: the device must get its next block on time even when
 * the machine is busy. Two steps, each kept only where the OS permits it:
 * 1. a negative nice value (needs CAP_SYS_NICE or an RLIMIT_NICE allowance);
 * 2. round-robin real-time scheduling at a low real-time priority for the threads that move
 *    audio (needs CAP_SYS_NICE or an RLIMIT_RTPRIO allowance, e.g. the `audio` group's
 *    limits.conf), set with util-linux `chrt` once a sound device runs: the main thread and
 *    every thread started since the process began (PortAudio's callback thread, the sound
 *    server's client thread, libuv's pool; threads started later inherit it). The threads the
 *    process started with stay at normal priority: they are V8's platform workers, which
 *    compile optimised code and mark garbage for tens of ms at a time, and a real-time worker
 *    keeps its core for up to a 100 ms round-robin slice against the audio threads of the same
 *    priority. File, tone and null backends stay at step 1. The kernel's real-time throttling
 *    (95 % by default) still bounds a runaway thread. An unprivileged user on a stock system
 *    gets neither and runs at normal priority, which works, with a larger adaptive output budget
 *    on a busy machine.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
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

/** Task ids of this process's threads (Linux); empty where /proc cannot tell. */
export function threadIds(): number[] {
  try {
    return readdirSync('/proc/self/task').map(Number).filter((tid) => Number.isInteger(tid));
  } catch {
    return [];
  }
}

/** The threads this process started with: read when this module loads, before any device opens. */
const STARTUP_THREADS = new Set(process.platform === 'linux' ? threadIds() : []);

/**
 * The threads {@link raiseRealtime} moves: the main thread and every thread started since this
 * module loaded, not the ones the process started with (V8's workers).
 */
export function audioThreadIds(): number[] {
  return [process.pid, ...threadIds().filter((tid) => tid !== process.pid && !STARTUP_THREADS.has(tid))];
}

/**
 * Moves the audio threads of this process (see {@link audioThreadIds}) to round-robin real-time
 * scheduling where permitted. Called once a sound device is open and running, so start-up work
 * (loading modules, opening the device) never runs real-time, and PortAudio's callback thread,
 * which exists by then, is included. Returns what the process runs at afterwards, given
 * `current` from {@link raiseNice}.
 */
export function raiseRealtime(current: string): string {
  if (process.platform !== 'linux' || process.env['ALTO_AUDIO_REALTIME'] === '0') return current;
  const audio = audioThreadIds();
  // One shell for all threads: a spawn per thread would hold up the host for each.
  const rt = spawnSync(
    'sh',
    ['-c', 'for tid in "$@"; do chrt --rr --pid "$0" "$tid" || exit 1; done', String(RT_PRIORITY), ...audio.map(String)],
    { stdio: 'ignore', timeout: 2000 },
  );
  return rt.status === 0 ? `SCHED_RR ${RT_PRIORITY} for ${audio.length} of ${threadIds().length} threads` : current;
}
