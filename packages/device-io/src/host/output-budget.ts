/**
 * How much audio the audio host keeps ahead of PortAudio, sized from the host's own measured
 * scheduling slack.
 *
 * naudiodon2 holds written chunks in a native queue of a size fixed when the stream opens, and
 * only chunks already inside naudiodon (the queued one and the one waiting to enter) keep the
 * device fed while this process stalls: anything still in the JS stream needs this process to
 * run before it moves. So the adaptive output opens with a native queue of one chunk and varies
 * the chunk's length instead.
 *
 * Each chunk is accepted when the device took the one before, so acceptances come at the
 * device's pace. Written as soon as the previous one is accepted, a chunk waits a whole chunk
 * for the queue's slot and a whole chunk in it: `2 * blocks` blocks of slack against a stalled
 * host, and as much latency. At the shortest chunk the write can instead be deferred until
 * `leadMs` before the slot frees (the time follows from the device's pace): the chunk is mixed
 * later, from fresher audio, and its slack is one chunk plus the lead. With 10 ms chunks and a
 * 4 ms lead that is 6 ms less latency, for 14 ms of slack instead of 20.
 *
 * How late the host ran is measured twice: how much later than the device's pace an acceptance
 * came (relative to the earliest in the recent past, which absorbs clock drift), and how much
 * later than planned a deferred write happened. PortAudio's callback waits for data once that
 * lateness passes the slack (the ALSA buffer behind it may still cover the wait, so this is the
 * cautious estimate of a starvation).
 *
 * The budget is a ladder of steps ordered by slack: the deferred leads of the shortest chunk,
 * then chunks of 1..maxBlocks blocks written at once. It climbs a step at once when a lateness
 * comes within half a block of the slack. It comes down only after `holdMs` without such a
 * lateness, and then straight to the lowest step whose slack covers the worst lateness of that
 * window plus `guardMs`: a call that starts with headroom reaches its calm size after one window
 * instead of one window per step. Climbing is immediate, coming down slow and conditional, so it
 * never oscillates.
 */
export interface OutputBudgetOptions {
  readonly blockMs: number;
  readonly startBlocks: number;
  readonly minBlocks: number;
  readonly maxBlocks: number;
  readonly guardMs: number;
  readonly holdMs: number;
  /**
   * Shortest lead of a deferred write of a `minBlocks` chunk, ms. At least a chunk's length
   * (`minBlocks * blockMs`) turns deferring off.
   */
  readonly minLeadMs: number;
  /** Spacing of the deferred leads between `minLeadMs` and a whole chunk, ms. */
  readonly leadStepMs: number;
}

/**
 * Defaults of the adaptive output: chunks of 3 blocks at first, 1..4, shrink after 3 s of room;
 * at one block, writes deferred to 4, 7 ms ahead of the device.
 */
export const ADAPTIVE_OUTPUT: OutputBudgetOptions = {
  blockMs: 10,
  startBlocks: 3,
  minBlocks: 1,
  maxBlocks: 4,
  guardMs: 5,
  holdMs: 3000,
  minLeadMs: 4,
  leadStepMs: 3,
};

/** One step of the ladder: chunks of `blocks` blocks, written `leadMs` before the slot frees. */
interface Step {
  readonly blocks: number;
  readonly leadMs: number;
}

/** Acceptances ignored after a (re)start: the first chunk is accepted at once, not at the device's pace. */
const WARMUP = 4;

/** The adaptive chunk length of the output and how early each chunk is written. */
export class OutputBudget {
  /** Blocks per chunk now. */
  blocks: number;
  /** How long before the device frees the queue's slot the next chunk is written, ms. */
  leadMs: number;
  /** Acceptances so late that the device had most likely run out (estimated starvations). */
  starved = 0;
  /** Times the budget grew / shrank. */
  grew = 0;
  shrank = 0;
  /** Worst lateness seen in the current window, ms. */
  worstLateMs = 0;

  private readonly ladder: readonly Step[];
  private step: number;
  private sinceReset = 0;
  private originMs = 0;
  private expectedMs = 0;
  private minPrevious = Infinity;
  private minCurrent = Infinity;
  private calmMs = 0;
  private writeLateMs = 0;

  constructor(private readonly o: OutputBudgetOptions) {
    this.ladder = buildLadder(o);
    this.step = this.stepOfBlocks(o.startBlocks);
    this.blocks = this.ladder[this.step]!.blocks;
    this.leadMs = this.ladder[this.step]!.leadMs;
  }

  /** Slack, ms, against a stalled host: one chunk plus the lead (`2 * blocks` blocks undeferred). */
  slackMs(step = this.step): number {
    const s = this.ladder[step]!;
    return s.blocks * this.o.blockMs + s.leadMs;
  }

  /**
   * When to write the next chunk (monotonic ms): `leadMs` before the device is due to free the
   * queue's slot. Undefined means at once: writes are not deferred at this step, or the device's
   * pace is not known yet.
   */
  writeAt(): number | undefined {
    if (this.leadMs >= this.blocks * this.o.blockMs || this.sinceReset < WARMUP) return undefined;
    const baseline = this.minPrevious < this.minCurrent ? this.minPrevious : this.minCurrent;
    if (baseline === Infinity) return undefined;
    return this.originMs + this.expectedMs + baseline - this.leadMs;
  }

  /** A deferred write planned for `plannedMs` happened at `nowMs`; its lateness counts with its acceptance. */
  onWrite(nowMs: number, plannedMs: number): void {
    this.writeLateMs = nowMs > plannedMs ? nowMs - plannedMs : 0;
  }

  /** naudiodon accepted a chunk of `chunkBlocks` blocks at `nowMs` (monotonic). */
  onAccepted(nowMs: number, chunkBlocks: number): void {
    const writeLate = this.writeLateMs;
    this.writeLateMs = 0;
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
    const acceptLate = offset - baseline;
    const late = acceptLate > writeLate ? acceptLate : writeLate;
    if (late > this.worstLateMs) this.worstLateMs = late;
    const slack = this.slackMs();
    if (late >= slack) this.starved++;
    if (late > slack - this.o.blockMs / 2) {
      if (this.step < this.ladder.length - 1) {
        this.moveTo(this.step + 1);
        this.grew++;
      }
      this.restart();
      return;
    }
    this.calmMs += chunkBlocks * this.o.blockMs;
    if (this.calmMs < this.o.holdMs) return;
    const lowest = this.lowestStepCovering(this.worstLateMs + this.o.guardMs);
    if (lowest < this.step) {
      this.moveTo(lowest);
      this.shrank++;
      // A shorter lead keeps the device's pace: only a shorter chunk changes it.
      if (this.ladder[lowest]!.blocks !== chunkBlocks) this.restart();
      else this.startWindow();
      return;
    }
    this.startWindow();
  }

  /** Raises the budget to chunks of at least `blocks` (e.g. a call starts) and holds it for a window. */
  raise(blocks: number): void {
    const want = this.stepOfBlocks(blocks < this.o.maxBlocks ? blocks : this.o.maxBlocks);
    if (want > this.step) {
      this.moveTo(want);
      this.restart();
    }
    this.calmMs = 0;
  }

  /** The lowest step whose slack keeps `lateMs` more than half a block away from it. */
  private lowestStepCovering(lateMs: number): number {
    let step = 0;
    while (step < this.step && lateMs >= this.slackMs(step) - this.o.blockMs / 2) step++;
    return step;
  }

  /** The undeferred step with chunks of `blocks` blocks. */
  private stepOfBlocks(blocks: number): number {
    const i = this.ladder.findIndex((s) => s.blocks === blocks && s.leadMs >= blocks * this.o.blockMs);
    return i >= 0 ? i : this.ladder.length - 1;
  }

  private moveTo(step: number): void {
    this.step = step;
    this.blocks = this.ladder[step]!.blocks;
    this.leadMs = this.ladder[step]!.leadMs;
  }

  private startWindow(): void {
    this.minPrevious = this.minCurrent;
    this.minCurrent = Infinity;
    this.calmMs = 0;
    this.worstLateMs = 0;
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

/** The steps in order of slack: deferred leads of the shortest chunk, then each chunk length undeferred. */
function buildLadder(o: OutputBudgetOptions): Step[] {
  const steps: Step[] = [];
  const shortestMs = o.minBlocks * o.blockMs;
  for (let lead = o.minLeadMs; lead < shortestMs; lead += Math.max(1, o.leadStepMs)) {
    steps.push({ blocks: o.minBlocks, leadMs: lead });
  }
  for (let blocks = o.minBlocks; blocks <= o.maxBlocks; blocks++) steps.push({ blocks, leadMs: blocks * o.blockMs });
  return steps;
}
