/**
 * Optional stage timestamps for mouth-to-ear measurements. When the audio host runs with
 * `ALTO_LATENCY_TRACE=<file>`, each stage appends `<stage> <monotonic ms>` to that file the first
 * time a loud burst (an isolated click used by a benchmark) passes it. The clock is
 * `process.hrtime` (CLOCK_MONOTONIC), shared by every process on the machine, so a benchmark can
 * line these up with its own timestamps. Off (and free) when the variable is unset.
 */
import { appendFileSync } from 'node:fs';

/** Stages of the audio host that can be traced. */
export type TraceStage = 'capture' | 'arrive' | 'mixed' | 'queued';

const BURST_THRESHOLD = 8000;
/** A burst is only reported again after this much quiet, so one click gives one line. */
const QUIET_MS = 150;

/** Monotonic time in ms on the clock every process shares. */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Reports the onset of each isolated burst seen at one stage. */
export class BurstTrace {
  private lastLoudMs = -Infinity;

  private constructor(
    private readonly stage: TraceStage,
    private readonly file: string,
  ) {}

  /** A trace for `stage`, or undefined when tracing is off. */
  static open(stage: TraceStage): BurstTrace | undefined {
    const file = process.env['ALTO_LATENCY_TRACE'];
    return file ? new BurstTrace(stage, file) : undefined;
  }

  /** Looks at samples passing this stage now; `atMs` overrides the time they passed. */
  check(samples: Int16Array, atMs?: number): void {
    let loud = false;
    for (let i = 0; i < samples.length; i++) {
      const v = samples[i]!;
      if (v > BURST_THRESHOLD || v < -BURST_THRESHOLD) {
        loud = true;
        break;
      }
    }
    if (!loud) return;
    const now = atMs ?? monotonicMs();
    if (now - this.lastLoudMs > QUIET_MS) {
      try {
        appendFileSync(this.file, `${this.stage} ${now.toFixed(3)}\n`);
      } catch {
        // tracing is best effort; audio never depends on it
      }
    }
    this.lastLoudMs = now;
  }
}

/** Appends a free-form line to the trace file when tracing is on (periodic stats, not audio). */
export function traceLine(line: string): void {
  const file = process.env['ALTO_LATENCY_TRACE'];
  if (!file) return;
  try {
    appendFileSync(file, `${line}\n`);
  } catch {
    // best effort
  }
}

/**
 * The longest wait between two frames of the same remote stream reaching the host, per stats
 * line: what the jitter buffer had to cover. Only kept while tracing.
 */
export class ArrivalGaps {
  private readonly last = new Map<number, number>();
  private maxMs = 0;

  /** A trace of gaps, or undefined when tracing is off. */
  static open(): ArrivalGaps | undefined {
    return process.env['ALTO_LATENCY_TRACE'] ? new ArrivalGaps() : undefined;
  }

  /** A frame of stream `index` arrived at `nowMs`. */
  frame(index: number, nowMs: number): void {
    const previous = this.last.get(index);
    if (previous !== undefined && nowMs - previous > this.maxMs) this.maxMs = nowMs - previous;
    this.last.set(index, nowMs);
  }

  /** The longest gap since the last call, ms, and starts a new period. */
  takeMaxMs(): number {
    const max = this.maxMs;
    this.maxMs = 0;
    return max;
  }
}
