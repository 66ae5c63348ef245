/**
 * PortAudio's period for a sound-device output. PortAudio's ALSA backend keeps two periods
 * buffered, and naudiodon's callback keeps that buffer full whenever a chunk is waiting, so the
 * period sets a delay every block pays: 20 ms at 10 ms periods, 10 ms at 5 ms periods. The
 * shorter period leaves the device thread half the time to refill, so it is only chosen where
 * that thread runs real-time (see priority.ts) and the output budget is adaptive; a fixed
 * output keeps 10 ms periods, as sized.
 */
/** An override of the output period that is not one the host runs at. */
export class OutputPeriodError extends Error {}

/** Periods the host can run an output at, ms. */
export type OutputPeriodMs = 5 | 10;

/** The variable that overrides the choice (`5` or `10`). */
export const OUTPUT_PERIOD_VARIABLE = 'ALTO_AUDIO_OUTPUT_PERIOD_MS';

/**
 * The period for an output: `override` (the variable's value) when given, else 5 ms for an
 * adaptive output whose host may run real-time, else 10 ms. Throws {@link OutputPeriodError} on
 * an override that is not 5 or 10.
 */
export function chooseOutputPeriod(adaptive: boolean, realtime: () => boolean, override: string | undefined): OutputPeriodMs {
  if (override !== undefined && override !== '') {
    if (override === '5' || override === '10') return Number(override) as OutputPeriodMs;
    throw new OutputPeriodError(`${OUTPUT_PERIOD_VARIABLE} must be 5 or 10, got ${JSON.stringify(override)}`);
  }
  return adaptive && realtime() ? 5 : 10;
}
