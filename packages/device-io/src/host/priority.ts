/**
 * Scheduling priority for the audio host: the device must get its next block on time even when
 * the machine is busy. Two steps, each kept only where the OS permits it:
 * 1. a negative nice value (needs CAP_SYS_NICE or an RLIMIT_NICE allowance);
 * 2. round-robin real-time scheduling at a low real-time priority for every thread of the host
 *    (needs CAP_SYS_NICE or an RLIMIT_RTPRIO allowance, e.g. the `audio` group's limits.conf),
 *    set with util-linux `chrt`; threads started later (PortAudio's callback thread, libuv's
 *    pool) inherit it. The kernel's real-time throttling (95 % by default) still bounds a
 *    runaway thread. An unprivileged user on a stock system gets neither and runs at normal
 *    priority, which works, with a larger adaptive output budget on a busy machine.
 */
import { spawnSync } from 'node:child_process';
import { setPriority } from 'node:os';

const NICE = -11;
const RT_PRIORITY = 5;

/** Raises this process's priority as far as permitted; returns what it got. */
export function raiseSchedulingPriority(): string {
  let got = 'normal';
  try {
    setPriority(NICE);
    got = `nice ${NICE}`;
  } catch {
    // not permitted
  }
  if (process.platform !== 'linux' || process.env['ALTO_AUDIO_REALTIME'] === '0') return got;
  const rt = spawnSync(
    'chrt',
    ['--all-tasks', '--rr', '--pid', String(RT_PRIORITY), String(process.pid)],
    {
      stdio: 'ignore',
      timeout: 2000,
    },
  );
  return rt.status === 0 ? `SCHED_RR ${RT_PRIORITY}` : got;
}
