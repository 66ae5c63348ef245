import { describe, expect, it } from 'vitest';
import { OutputLeadError, chooseOutputLead } from './output-lead.js';

const yes = (): boolean => true;
const no = (): boolean => false;

describe('chooseOutputLead', () => {
  it('defers writes to 4 ms ahead only where the host may run real-time', () => {
    expect(chooseOutputLead(yes, undefined)).toBe(4);
    expect(chooseOutputLead(no, undefined)).toBe(10);
    expect(chooseOutputLead(no, '')).toBe(10);
  });

  it('takes an override from 2 to 10 ms whatever the scheduling', () => {
    expect(chooseOutputLead(no, '2')).toBe(2);
    expect(chooseOutputLead(yes, '10')).toBe(10);
    expect(chooseOutputLead(yes, '6')).toBe(6);
  });

  it('refuses any other override with a one-line error', () => {
    for (const bad of ['1', '11', '4.5', '-3', 'fast', ' 4']) {
      const err = (() => {
        try {
          chooseOutputLead(yes, bad);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(OutputLeadError);
      expect((err as Error).message).toBe(`ALTO_AUDIO_OUTPUT_LEAD_MS must be a whole number from 2 to 10, got ${JSON.stringify(bad)}`);
    }
  });
});
