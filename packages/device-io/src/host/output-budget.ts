/**
 * How much audio the audio host keeps ahead of PortAudio, sized from the host's own measured
 * scheduling slack.
 *
 * naudiodon2 holds written chunks in a native queue of a size fixed when the stream opens, and
 * only chunks already inside naudiodon (the queued one and the one waiting to enter) keep the
 * device fed while this process stalls: anything still in the JS stream needs this process to
 * run before it moves. So the adaptive output opens with a native queue of one chunk and varies
 * the chunk's length instead: `blocks` 10 ms blocks per chunk give `2 * blocks` blocks of real
 * slack, and as much latency.
 *
 * Each chunk is accepted when the device took the one before, so acceptances come at the
 * device's pace. How much later than that pace the host saw one (relative to the earliest in the
 * recent past, which absorbs clock drift) is how late this process ran: a busy event loop, or
 * the scheduler giving the CPU to someone else. PortAudio's callback waits for data once that
 * lateness passes the slack (the ALSA buffer behind it may still cover the wait, so this is the
 * cautious estimate of a starvation).
 *
 * The budget grows by a block at once when a lateness comes within half a block of the slack.
 * It shrinks only after `holdMs` without such a lateness, and then straight to the fewest blocks
 * whose slack covers the worst lateness of that window plus `guardMs`: a call that starts with
 * headroom reaches its calm size after one window instead of one window per block. Growing is
 * immediate, shrinking slow and conditional, so it never oscillates.
 */
export interface OutputBudgetOptions {
  readonly blockMs: number;
  readonly startBlocks: number;
  readonly minBlocks: number;
  readonly maxBlocks: number;
  readonly guardMs: number;
  readonly holdMs: number;
}

/** Defaults of the adaptive output: chunks of 3 blocks at first, 1..4, shrink after 3 s of room. */
export const ADAPTIVE_OUTPUT: OutputBudgetOptions = {
  blockMs: 10,
  startBlocks: 3,
  minBlocks: 1,
  maxBlocks: 4,
  guardMs: 5,
  holdMs: 3000,
};

/** Acceptances ignored after a (re)start: the first chunk is accepted at once, not at the device's pace. */
const WARMUP = 4;

/** The adaptive chunk length of the output, in blocks. */
export class OutputBudget {
  /** Blocks per chunk now. */
  blocks: number;
  /** Acceptances so late that the device had most likely run out (estimated starvations). */
  starved = 0;
  /** Times the budget grew / shrank. */
  grew = 0;
  shrank = 0;
  /** Worst lateness seen in the current window, ms. */
  worstLateMs = 0;

  private sinceReset = 0;
  private originMs = 0;
  private expectedMs = 0;
  private minPrevious = Infinity;
  private minCurrent = Infinity;
  private calmMs = 0;

  constructor(private readonly o: OutputBudgetOptions) {
    this.blocks = o.startBlocks;
  }

  /** Slack, ms, that `blocks` per chunk give against a stalled host. */
  slackMs(blocks = this.blocks): number {
    return 2 * blocks * this.o.blockMs;
  }

  /** naudiodon accepted a chunk of `chunkBlocks` blocks at `nowMs` (monotonic). */
  onAccepted(nowMs: number, chunkBlocks: number): void {
    const n = this.sinceReset++;
    if (n === 0) {
      this.originMs = nowMs;
      this.expectedMs = 0;
    }
    const offset = nowMs - this.originMs - this.expectedMs;
    this.expectedMs += chunkBlocks * this.o.blockMs;
    if (n < WARMUP) return;
    if (offset < this.minCurrent) this.minCurrent = offset;
    const baseline = this.minPrevious < this.minCurrent ? this.minPrevious : this.minCurrent;
    const late = offset - baseline;
    if (late > this.worstLateMs) this.worstLateMs = late;
    const slack = this.slackMs();
    if (late >= slack) this.starved++;
    if (late > slack - this.o.blockMs / 2) {
      if (this.blocks < this.o.maxBlocks) {
        this.blocks++;
        this.grew++;
      }
      this.restart();
      return;
    }
    this.calmMs += chunkBlocks * this.o.blockMs;
    if (this.calmMs < this.o.holdMs) return;
    const fewest = this.fewestBlocksCovering(this.worstLateMs + this.o.guardMs);
    if (fewest < this.blocks) {
      this.blocks = fewest;
      this.shrank++;
      this.restart();
      return;
    }
    this.minPrevious = this.minCurrent;
    this.minCurrent = Infinity;
    this.calmMs = 0;
    this.worstLateMs = 0;
  }

  /** The fewest blocks per chunk whose slack keeps `lateMs` more than half a block away from it. */
  private fewestBlocksCovering(lateMs: number): number {
    let blocks = this.o.minBlocks;
    while (blocks < this.blocks && lateMs >= this.slackMs(blocks) - this.o.blockMs / 2) blocks++;
    return blocks;
  }

  /** Raises the budget to at least `blocks` (e.g. a call starts) and holds it for a window. */
  raise(blocks: number): void {
    const want = blocks < this.o.maxBlocks ? blocks : this.o.maxBlocks;
    if (want > this.blocks) {
      this.blocks = want;
      this.restart();
    }
    this.calmMs = 0;
  }

  /** The pace changed (a different chunk length, or the device ran dry): measure afresh. */
  private restart(): void {
    this.sinceReset = 0;
    this.minPrevious = Infinity;
    this.minCurrent = Infinity;
    this.calmMs = 0;
    this.worstLateMs = 0;
  }
}
