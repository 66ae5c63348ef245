import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { formatCounts, sumTallies } from './tally.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Directory where each reliability test file stores its tally. */
    tallyDir: string;
  }
}

/**
 * vitest globalSetup: a directory for the per-file tallies, and at the end of the run one
 * summary line (faults injected/recovered, bad inputs, churn, interrupts, lost) on stdout.
 */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'alto-reliability-'));
  const startedAt = Date.now();
  project.provide('tallyDir', dir);
  return () => {
    const { files, counts } = sumTallies(dir);
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(0);
    process.stdout.write(`\nreliability summary (${files} files, ${seconds} s): ${formatCounts(counts)}\n`);
    rmSync(dir, { recursive: true, force: true });
  };
}
