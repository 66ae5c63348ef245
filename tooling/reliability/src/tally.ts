import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What one test file injected, tried and saw. */
export interface TallyCounts {
  /** Faults injected into a real part (server killed or frozen, PulseAudio killed, device removed). */
  faultsInjected: number;
  /** Faults after which every affected client came back (audio flowing, device reopened). */
  faultsRecovered: number;
  /** Bad inputs handed to the real CLI or daemon. */
  badInputs: number;
  /** Bad inputs answered by one clean error line, in time, with no file left behind. */
  badInputsHandled: number;
  /** Bot join/leave cycles run against a listener. */
  churnCycles: number;
  /** SIGINTs delivered to a running `alto`. */
  interrupts: number;
  /** Things that did not come back: a client that never recovered, an orphan, a leaked secret. */
  lost: number;
}

const EMPTY: TallyCounts = {
  faultsInjected: 0,
  faultsRecovered: 0,
  badInputs: 0,
  badInputsHandled: 0,
  churnCycles: 0,
  interrupts: 0,
  lost: 0,
};

/**
 * Counts for one test file. Each file writes its counts into a shared directory when it ends;
 * the suite's global teardown adds them up and prints one summary line for the closing note.
 */
export class Tally {
  readonly counts: TallyCounts = { ...EMPTY };

  constructor(
    private readonly file: string,
    private readonly dir: string | undefined,
  ) {}

  add(key: keyof TallyCounts, n = 1): void {
    this.counts[key] += n;
  }

  /** Prints this file's counts and stores them for the global summary. */
  flush(write: (line: string) => void): void {
    write(`reliability tally [${this.file}] ${formatCounts(this.counts)}\n`);
    if (this.dir === undefined) return;
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(join(this.dir, `${this.file}.json`), JSON.stringify(this.counts));
  }
}

/** One line, `key=value` pairs, for logs and the closing note. */
export function formatCounts(c: TallyCounts): string {
  return (Object.keys(EMPTY) as Array<keyof TallyCounts>).map((k) => `${k}=${c[k]}`).join(' ');
}

/** Adds up every file's counts stored in `dir`. */
export function sumTallies(dir: string): { files: number; counts: TallyCounts } {
  const counts: TallyCounts = { ...EMPTY };
  let files = 0;
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return { files, counts };
  }
  for (const name of names) {
    const part = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Partial<TallyCounts>;
    files++;
    for (const key of Object.keys(EMPTY) as Array<keyof TallyCounts>) counts[key] += part[key] ?? 0;
  }
  return { files, counts };
}
