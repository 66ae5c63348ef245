/**
 * Turns int16 chunks of any size into exact frames of `frameSamples` interleaved samples.
 * Devices and files hand over whatever they like; LiveKit and the mixer want exact 10 ms.
 */
export class Rechunker {
  private readonly frame: Int16Array;
  private filled = 0;

  /**
   * @param frameSamples samples per emitted frame (frames per channel × channels)
   * @param onFrame receives the internal frame buffer: copy it if you keep it past the call
   */
  constructor(
    readonly frameSamples: number,
    private readonly onFrame: (frame: Int16Array) => void,
  ) {
    this.frame = new Int16Array(frameSamples);
  }

  /** Samples held back until the next frame is complete. */
  get pendingSamples(): number {
    return this.filled;
  }

  /** Appends samples; emits every frame they complete. */
  push(samples: Int16Array): void {
    let offset = 0;
    const total = samples.length;
    while (offset < total) {
      const take = Math.min(this.frameSamples - this.filled, total - offset);
      for (let i = 0; i < take; i++) this.frame[this.filled + i] = samples[offset + i]!;
      this.filled += take;
      offset += take;
      if (this.filled === this.frameSamples) {
        this.filled = 0;
        this.onFrame(this.frame);
      }
    }
  }

  /** Drops any partial frame (after a reopen, so stale audio is not glued to new audio). */
  reset(): void {
    this.filled = 0;
  }
}
