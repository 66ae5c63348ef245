/**
 * The mouth-to-ear rig on PulseAudio's pipe devices: a real-time writer that feeds the pipe
 * microphone silence with a 5 ms burst at known times, and a reader of the pipe speaker that
 * times each burst's onset. Both use `process.hrtime` (CLOCK_MONOTONIC), the clock the audio
 * host's stage trace uses too.
 */
import { closeSync, constants, createReadStream, openSync, writeSync, type ReadStream } from 'node:fs';

const SR = 48_000;
const BLOCK = 480;
const THRESHOLD = 8000;
/** An onset counts only after this much quiet, so one burst is one onset. */
const QUIET_MS = 150;

/** Monotonic ms on the clock shared by every process. */
export function monoMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** 5 ms of a 1 kHz tone at 0.6 of full scale. */
const BURST = Int16Array.from({ length: 240 }, (_, i) => Math.round(19_660 * Math.sin((2 * Math.PI * 1000 * i) / SR)));

/** Writes the pipe microphone in real time: silence, and a burst at the start of a block on request. */
export class BurstWriter {
  private readonly fd: number;
  private readonly timer: NodeJS.Timeout;
  private readonly startedAt = monoMs();
  private blocks = 0;
  private burstPending = false;
  private readonly silence = new Int16Array(BLOCK);
  private readonly burst = new Int16Array(BLOCK);
  /** Blocks the pipe refused (PulseAudio behind). */
  refused = 0;
  /** Monotonic ms at which each burst was written. */
  readonly sentAt: number[] = [];

  constructor(fifo: string) {
    this.fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    this.burst.set(BURST);
    this.timer = setInterval(() => this.pump(), 2);
  }

  /** Puts a burst into the next block written. */
  fire(): void {
    this.burstPending = true;
  }

  private pump(): void {
    const due = Math.floor((monoMs() - this.startedAt) / 10) + 1;
    while (this.blocks < due) {
      const burst = this.burstPending && this.blocks === due - 1;
      try {
        writeSync(this.fd, burst ? this.burst : this.silence);
        if (burst) {
          this.sentAt.push(monoMs());
          this.burstPending = false;
        }
      } catch {
        this.refused++;
      }
      this.blocks++;
    }
  }

  close(): void {
    clearInterval(this.timer);
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
  }
}

/** Reads the pipe speaker continuously and records when each burst's onset arrived. */
export class OnsetReader {
  private readonly stream: ReadStream;
  private lastLoud = -Infinity;
  private carry: Buffer | undefined;
  /** Monotonic ms at which each onset was read. */
  readonly onsets: number[] = [];

  constructor(fifo: string) {
    // One block per read keeps the time of a read close to the time its samples were played.
    this.stream = createReadStream(fifo, { highWaterMark: BLOCK * 2 });
    this.stream.on('data', (chunk: Buffer | string) => this.onData(chunk as Buffer));
    this.stream.on('error', () => {});
  }

  private onData(chunk: Buffer): void {
    const now = monoMs();
    const buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    const even = buf.length - (buf.length % 2);
    this.carry = even < buf.length ? Buffer.from(buf.subarray(even)) : undefined;
    let loud = false;
    for (let i = 0; i < even; i += 2) {
      if (Math.abs(buf.readInt16LE(i)) > THRESHOLD) {
        loud = true;
        break;
      }
    }
    if (!loud) return;
    if (now - this.lastLoud > QUIET_MS) this.onsets.push(now);
    this.lastLoud = now;
  }

  close(): void {
    this.stream.destroy();
  }
}

/** For each sent burst, the first event in [sent, sent + windowMs), or undefined. */
export function matchEvents(sent: readonly number[], events: readonly number[], windowMs: number): (number | undefined)[] {
  return sent.map((s) => events.find((e) => e >= s && e < s + windowMs));
}
