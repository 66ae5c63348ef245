/**
 * Calls `tick` once per 10 ms block at real-time pace, so file, tone and null backends behave
 * like a device. A timer wakes every few ms and catches up on the blocks that are due; if the
 * process was stalled for longer than `maxBurstBlocks`, it skips ahead and reports the skip.
 * `maxBurstBlocks = Infinity` never skips: a recording then keeps the call's length however long
 * the process was stalled.
 */
export class Pacer {
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private blocks = 0;

  constructor(
    private readonly tick: () => void,
    private readonly onSkip: (blocks: number) => void = () => {},
    private readonly blockMs = 10,
    private readonly maxBurstBlocks = 20,
  ) {}

  /** Blocks produced so far. */
  get blockCount(): number {
    return this.blocks;
  }

  start(): void {
    if (this.timer) return;
    this.startedAt = performance.now();
    this.blocks = 0;
    this.timer = setInterval(() => this.pump(), Math.max(1, this.blockMs / 2));
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private pump(): void {
    const due = Math.floor((performance.now() - this.startedAt) / this.blockMs) + 1;
    if (due - this.blocks > this.maxBurstBlocks) {
      const skipped = due - this.blocks - this.maxBurstBlocks;
      this.blocks += skipped;
      this.onSkip(skipped);
    }
    while (this.blocks < due) {
      this.blocks++;
      this.tick();
    }
  }
}
