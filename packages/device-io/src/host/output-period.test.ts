import { describe, expect, it } from 'vitest';
import { OutputPeriodError, chooseOutputPeriod } from './output-period.js';

const yes = (): boolean => true;
const no = (): boolean => false;

describe('chooseOutputPeriod', () => {
  it('runs an adaptive output at 5 ms periods only where the host may run real-time', () => {
    expect(chooseOutputPeriod(true, yes, undefined)).toBe(5);
    expect(chooseOutputPeriod(true, no, undefined)).toBe(10);
  });

  it('keeps a fixed output at 10 ms periods without asking the OS', () => {
    let asked = false;
    expect(
      chooseOutputPeriod(false, () => {
        asked = true;
        return true;
      }, undefined),
    ).toBe(10);
    expect(asked).toBe(false);
  });

  it('takes 5 or 10 from the override, whatever the scheduling', () => {
    expect(chooseOutputPeriod(true, yes, '10')).toBe(10);
    expect(chooseOutputPeriod(false, no, '5')).toBe(5);
    expect(chooseOutputPeriod(true, no, '')).toBe(10);
  });

  it('rejects any other override with a one-line message naming the variable', () => {
    for (const bad of ['7', '5ms', ' 5', '-10']) {
      const err = (() => {
        try {
          chooseOutputPeriod(true, yes, bad);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(OutputPeriodError);
      expect((err as Error).message).toBe(`ALTO_AUDIO_OUTPUT_PERIOD_MS must be 5 or 10, got ${JSON.stringify(bad)}`);
    }
  });
});
