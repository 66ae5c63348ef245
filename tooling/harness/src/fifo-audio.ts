import { closeSync, constants, createReadStream, openSync, writeSync, type ReadStream } from 'node:fs';
import { concatInt16 } from './signals.js';

/**
 * Feeds a PulseAudio pipe source (the virtual microphone) in real time: queued PCM first, then
 * silence, so the source never starves (a starved input makes naudiodon's quit() hang).
 */
export class MicFeeder {
  private readonly fd: number;
  private readonly timer: NodeJS.Timeout;
  private readonly startedAt = performance.now();
  private framesWritten = 0;
  private readonly queue: Int16Array[] = [];
  private queueOffset = 0;
  private readonly block: Int16Array;
  /** Frames the pipe refused because it was full. */
  droppedFrames = 0;

  constructor(
    fifo: string,
    private readonly sampleRate = 48_000,
    private readonly channels = 1,
    private readonly leadMs = 20,
  ) {
    this.fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    this.block = new Int16Array((sampleRate / 100) * channels);
    this.timer = setInterval(() => this.pump(), 5);
  }

  /** Queues interleaved int16 PCM to be played after what is already queued. */
  play(samples: Int16Array): void {
    this.queue.push(samples);
  }

  /** Frames still queued (not yet written). */
  get pendingFrames(): number {
    let total = -this.queueOffset;
    for (const q of this.queue) total += q.length;
    return total / this.channels;
  }

  private pump(): void {
    const dueFrames = Math.floor(((performance.now() - this.startedAt + this.leadMs) / 1000) * this.sampleRate);
    const frameSize = this.sampleRate / 100;
    while (this.framesWritten + frameSize <= dueFrames) {
      this.fill(this.block);
      try {
        writeSync(this.fd, this.block);
      } catch {
        this.droppedFrames += frameSize;
      }
      this.framesWritten += frameSize;
    }
  }

  private fill(block: Int16Array): void {
    let filled = 0;
    while (filled < block.length) {
      const head = this.queue[0];
      if (!head) {
        block.fill(0, filled);
        return;
      }
      const take = Math.min(block.length - filled, head.length - this.queueOffset);
      block.set(head.subarray(this.queueOffset, this.queueOffset + take), filled);
      filled += take;
      this.queueOffset += take;
      if (this.queueOffset >= head.length) {
        this.queue.shift();
        this.queueOffset = 0;
      }
    }
  }

  /** Stops writing and closes the FIFO. */
  close(): void {
    clearInterval(this.timer);
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
  }
}

/**
 * Reads what the PulseAudio pipe sink (the virtual speaker) plays. The pipe holds ~0.7 s of
 * stale audio when a reader arrives; {@link SpeakerTap.open} discards it.
 */
export class SpeakerTap {
  private chunks: Int16Array[] = [];
  private carry: Buffer | undefined;
  private recording = false;

  private constructor(
    private readonly stream: ReadStream,
    readonly channels: number,
  ) {
    stream.on('data', (data: Buffer | string) => this.onData(typeof data === 'string' ? Buffer.from(data) : data));
    stream.on('error', () => {});
  }

  /** Opens the speaker FIFO and waits until the stale burst is drained. */
  static async open(fifo: string, channels = 1, settleMs = 300): Promise<SpeakerTap> {
    const tap = new SpeakerTap(createReadStream(fifo, { highWaterMark: 4096 }), channels);
    await new Promise((r) => setTimeout(r, settleMs));
    return tap;
  }

  private onData(data: Buffer): void {
    if (!this.recording) return;
    let bytes = this.carry ? Buffer.concat([this.carry, data]) : data;
    const usable = bytes.length - (bytes.length % 2);
    this.carry = usable < bytes.length ? Buffer.from(bytes.subarray(usable)) : undefined;
    bytes = bytes.subarray(0, usable);
    const copy = new Int16Array(usable / 2);
    Buffer.from(copy.buffer).set(bytes);
    this.chunks.push(copy);
  }

  /** Records the next `durationMs` of played audio (by sample count, at `sampleRate`). */
  async record(durationMs: number, sampleRate = 48_000, timeoutMs = durationMs + 5000): Promise<Int16Array> {
    this.chunks = [];
    this.recording = true;
    const wanted = Math.round((durationMs / 1000) * sampleRate) * this.channels;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      let have = 0;
      for (const c of this.chunks) have += c.length;
      if (have >= wanted) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    this.recording = false;
    return concatInt16(this.chunks).subarray(0, wanted);
  }

  /** Stops reading and closes the FIFO. */
  close(): void {
    this.stream.destroy();
  }
}
