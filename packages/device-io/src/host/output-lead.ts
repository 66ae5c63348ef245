/**
 * How early an adaptive sound-device output writes its next 10 ms chunk: the shortest lead its
 * budget may defer a write to (see OutputBudget). A short lead takes up to 6 ms out of every
 * block's path to the speaker but leaves the host less time to be late, so it is only chosen
 * where the host runs real-time (see priority.ts); elsewhere writes are not deferred.
 */
import { ADAPTIVE_OUTPUT } from './output-budget.js';

/** An override of the lead that is not one the host can run at. */
export class OutputLeadError extends Error {}

/** The variable that overrides the choice: a whole number of ms from 2 to 10 (10: never defer). */
export const OUTPUT_LEAD_VARIABLE = 'ALTO_AUDIO_OUTPUT_LEAD_MS';

const SHORTEST_MS = 2;

/**
 * The shortest lead for an output, ms: `override` (the variable's value) when given, else the
 * budget's default where the host may run real-time, else a whole block (writes not deferred).
 * Throws {@link OutputLeadError} on an override that is not a whole number from 2 to 10.
 */
export function chooseOutputLead(realtime: () => boolean, override: string | undefined): number {
  if (override !== undefined && override !== '') {
    const ms = /^\d+$/.test(override) ? Number(override) : NaN;
    if (ms >= SHORTEST_MS && ms <= ADAPTIVE_OUTPUT.blockMs) return ms;
    throw new OutputLeadError(
      `${OUTPUT_LEAD_VARIABLE} must be a whole number from ${SHORTEST_MS} to ${ADAPTIVE_OUTPUT.blockMs}, got ${JSON.stringify(override)}`,
    );
  }
  return realtime() ? ADAPTIVE_OUTPUT.minLeadMs : ADAPTIVE_OUTPUT.blockMs;
}
