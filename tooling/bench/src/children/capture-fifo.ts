/**
 * The captured blocks a demand-driven pass-through plays: the output takes the oldest waiting
 * block when the device wants one. At most two wait (the oldest beyond that are dropped), so the
 * input and output clocks meeting at the same instant cost neither a gap nor a growing delay;
 * silence when none waits (counted as starved). The pass-through analogue of a jitter buffer.
 */
export class CaptureFifo {
  private readonly blocks: Buffer[] = [];
  private readonly silence: Buffer;
  starved = 0;
  dropped = 0;

  constructor(
    blockBytes: number,
    private readonly cap = 2,
  ) {
    this.silence = Buffer.alloc(blockBytes);
  }

  push(block: Buffer): void {
    this.blocks.push(block);
    while (this.blocks.length > this.cap) {
      this.blocks.shift();
      this.dropped++;
    }
  }

  /** The oldest waiting block, or silence. */
  take(): Buffer {
    const block = this.blocks.shift();
    if (block) return block;
    this.starved++;
    return this.silence;
  }
}
