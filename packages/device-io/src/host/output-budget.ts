/**
 * How many 10 ms blocks the audio host keeps written ahead of PortAudio, sized from the host's
 * own measured scheduling slack.
 *
 * The device takes one block per period; naudiodon reports each block it accepts, so the n-th
 * acceptance is due at `start + n * blockMs`. How much later than that the host saw it (relative
 * to the earliest it ever was in the recent past, which absorbs clock drift) is how late this
 * process ran: the event loop was busy, or the scheduler gave the CPU to someone else. With
 * `blocks` written ahead, one more queued inside naudiodon and one playing, PortAudio's callback
 * waits for data once that lateness passes `(blocks + 1) * blockMs` (the ALSA buffer behind it
 * may still cover the wait, so this is the cautious estimate of a starvation).
 *
 * The budget grows by a block at once when a lateness comes within half a block of that limit,
 * and shrinks by one only after `holdMs` in which the worst lateness plus `guardMs` stayed
 * within what one block fewer allows. Growing is immediate, shrinking slow and conditional, so
 * it never oscillates.
 */
export interface OutputBudgetOptions {
  readonly blockMs: number;
  readonly startBlocks: number;
  readonly minBlocks: number;
  readonly maxBlocks: number;
  readonly guardMs: number;
  readonly holdMs: number;
}

/** Defaults of the adaptive output: start at 3 blocks, 1..6, shrink after 3 s of room. */
export const ADAPTIVE_OUTPUT: OutputBudgetOptions = {
  blockMs: 10,
  startBlocks: 3,
  minBlocks: 1,
  maxBlocks: 6,
  guardMs: 5,
  holdMs: 3000,
};

/** Acceptances ignored at the start: the prebuffer is accepted at once, not at the device's pace. */
const WARMUP = 10;

/** The adaptive count of blocks written ahead of the device. */
export class OutputBudget {
  /** Blocks to keep written ahead of the device now. */
  blocks: number;
  /** Acceptances so late that the device had most likely run out (estimated starvations). */
  starved = 0;
  /** Times the budget grew / shrank. */
  grew = 0;
  shrank = 0;
  /** Worst lateness seen in the current window, ms. */
  worstLateMs = 0;

  private accepted = 0;
  private originMs = 0;
  private minPrevious = Infinity;
  private minCurrent = Infinity;
  private calmMs = 0;

  constructor(private readonly o: OutputBudgetOptions) {
    this.blocks = o.startBlocks;
  }

  /** The device accepted one more block at `nowMs` (monotonic). */
  onAccepted(nowMs: number): void {
    const n = this.accepted++;
    if (n === 0) this.originMs = nowMs;
    if (n < WARMUP) return;
    const offset = nowMs - this.originMs - n * this.o.blockMs;
    if (offset < this.minCurrent) this.minCurrent = offset;
    const baseline = this.minPrevious < this.minCurrent ? this.minPrevious : this.minCurrent;
    const late = offset - baseline;
    if (late > this.worstLateMs) this.worstLateMs = late;
    const limit = (this.blocks + 1) * this.o.blockMs;
    if (late >= limit) this.starved++;
    if (late > limit - this.o.blockMs / 2) {
      this.grow();
      return;
    }
    this.calmMs += this.o.blockMs;
    if (this.calmMs < this.o.holdMs) return;
    const fewer = this.blocks * this.o.blockMs;
    if (this.blocks > this.o.minBlocks && this.worstLateMs + this.o.guardMs < fewer - this.o.blockMs / 2) {
      this.blocks--;
      this.shrank++;
    }
    this.newWindow();
  }

  /** Raises the budget to at least `blocks` (e.g. a call starts) and holds it for a window. */
  raise(blocks: number): void {
    const want = blocks < this.o.maxBlocks ? blocks : this.o.maxBlocks;
    if (want > this.blocks) this.blocks = want;
    this.calmMs = 0;
  }

  private grow(): void {
    if (this.blocks < this.o.maxBlocks) {
      this.blocks++;
      this.grew++;
    }
    // A device that ran dry restarts its clock: measure lateness afresh from here.
    this.minPrevious = Infinity;
    this.minCurrent = Infinity;
    this.newWindow();
  }

  private newWindow(): void {
    this.minPrevious = this.minCurrent;
    this.minCurrent = Infinity;
    this.calmMs = 0;
    this.worstLateMs = 0;
  }
}
