import { afterAll, describe, expect, inject, it } from 'vitest';
import { Tally } from '../src/tally.js';
import { descendantsOf, isAlive, killTree, spawnApp, waitFor } from '../src/index.js';

const tally = new Tally('shutdown', inject('tallyDir'));
const EXIT_BOUND_MS = 2000;
/** Delays after spawn that land in every phase: module loading, parsing, device hosts starting, connecting, publishing. */
const DELAYS_MS = [50, 300, 700, 1200, 2000, 3000];

/**
 * SIGINT at every phase of `alto` starting up, and once connected: it must exit within 2 s and
 * leave no process behind (audio host children included).
 */
describe('SIGINT during every phase of connecting', () => {
  afterAll(() => tally.flush((l) => process.stdout.write(l)));

  function args(identity: string): string[] {
    const lk = inject('livekit');
    return ['--url', lk.url, '--room-name', 'shutdown', '--identity', identity, '-i', 'tone:440', '-o', 'null', '--no-tui'];
  }

  /** Credentials the documented way (the environment), so nothing on stderr but failures. */
  function credentials(): NodeJS.ProcessEnv {
    const lk = inject('livekit');
    return { ...process.env, LIVEKIT_API_KEY: lk.apiKey, LIVEKIT_API_SECRET: lk.apiSecret };
  }

  async function interruptAfter(delayMs: number | 'connected', identity: string): Promise<void> {
    const app = spawnApp('cli', args(identity), { env: credentials() });
    const seen = new Set<number>();
    // Watch the process tree until the signal, so children started late are known too.
    const watch = setInterval(() => descendantsOf(app.pid).forEach((p) => seen.add(p)), 50);
    try {
      if (delayMs === 'connected') {
        expect(await waitFor(() => /quality|joined|connected/.test(app.stdout) || app.stdout.split('\n').length > 1, 20_000)).toBe(true);
        await new Promise((r) => setTimeout(r, 500));
      } else {
        await new Promise((r) => setTimeout(r, delayMs));
      }
      descendantsOf(app.pid).forEach((p) => seen.add(p));
      clearInterval(watch);
      const sentAt = performance.now();
      app.child.kill('SIGINT');
      tally.add('interrupts');
      const exit = await Promise.race([app.exited, new Promise<undefined>((r) => setTimeout(() => r(undefined), EXIT_BOUND_MS + 3000))]);
      const tookMs = exit ? exit.atMs - sentAt : Infinity;
      const orphans = await (async () => {
        await waitFor(() => [...seen].every((p) => !isAlive(p)), 500);
        return [...seen].filter(isAlive);
      })();
      process.stdout.write(`shutdown: SIGINT at ${String(delayMs)} → exit ${String(exit?.code ?? exit?.signal)} in ${Math.round(tookMs)} ms, children ${seen.size}, orphans ${orphans.length}\n`);
      if (!exit || tookMs > EXIT_BOUND_MS || orphans.length > 0) tally.add('lost');
      expect(tookMs, app.stderr).toBeLessThanOrEqual(EXIT_BOUND_MS);
      // Before Node has evaluated the entry module (tsx still loading it), SIGINT's default action
      // ends the process, as Ctrl+C does any program; from then on alto handles it and exits 0.
      expect(exit?.code === 0 || exit?.signal === 'SIGINT', `${String(exit?.code ?? exit?.signal)} ${app.stderr}`).toBe(true);
      expect(app.stderr).not.toMatch(/alto:|Error/);
      expect(orphans).toEqual([]);
    } finally {
      clearInterval(watch);
      killTree(app.pid);
    }
  }

  it.each(DELAYS_MS)('exits within 2 s with no orphan when interrupted %i ms after start', async (delayMs) => {
    await interruptAfter(delayMs, `early-${delayMs}`);
  });

  it('exits within 2 s with no orphan when interrupted while connected (device hosts running)', async () => {
    await interruptAfter('connected', 'connected');
  });
});
