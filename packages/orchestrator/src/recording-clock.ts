/**
 * Where a WAV recording's timeline starts, on a caller's clock. The recorder writes one 10 ms
 * block per tick from when its host starts, so `now - blocksWritten * 10 ms` is that start; the
 * block count arrives in snapshots that may be stale, which only makes an estimate late, so the
 * smallest estimate seen is the best.
 */
export class RecordingClock {
  #startMs = Number.POSITIVE_INFINITY;
  #timer: NodeJS.Timeout | undefined;

  /**
   * Starts estimating (again, for a new recording) every `intervalMs`.
   * @param nowMs the caller's clock
   * @param blocksWritten 10 ms blocks the recorder has written so far
   */
  start(nowMs: () => number, blocksWritten: () => number, intervalMs = 20): void {
    this.stop();
    this.#startMs = Number.POSITIVE_INFINITY;
    const estimate = (): void => {
      this.#startMs = Math.min(this.#startMs, Math.round(nowMs() - blocksWritten() * 10));
    };
    estimate();
    this.#timer = setInterval(estimate, intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** The recording's first sample on the caller's clock. */
  get startMs(): number {
    return this.#startMs;
  }
}
