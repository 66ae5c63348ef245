import { expect } from 'vitest';

/** A plain text line as the README documents it: ISO timestamp, event, who, details. */
export const TEXT_LINE = new RegExp(
  '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z ' +
    '(connected|disconnected|reconnecting attempt \\d+(: [a-z ]+)?|failed(: [a-z ]+)?|quality (excellent|good|poor|lost|unknown)|' +
    '(joined|left|speaking|stopped-speaking|muted|unmuted|not-heard|heard-again|decrypting|cannot-decrypt) [^ ()]+( \\(.+\\))?|transcript [^ ()]+( \\(.+\\))?: .*|warning: .+|device (input|output) (reopened|fallback|restored))$',
);

const PERSON_EVENTS = ['joined', 'left', 'speaking', 'stopped-speaking', 'muted', 'unmuted', 'not-heard', 'heard-again', 'decrypting', 'cannot-decrypt', 'transcript'];

/** Checks one `--json` object against the README's schema. */
export function checkJsonEvent(o: Record<string, unknown>): void {
  expect(o['time']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  const event = String(o['event']);
  const allowed = new Set(['time', 'event']);
  if (PERSON_EVENTS.includes(event)) {
    expect(typeof o['identity']).toBe('string');
    ['identity', 'name', 'text'].forEach((k) => allowed.add(k));
    if ('name' in o) expect(o['name']).not.toBe(o['identity']);
  } else if (event === 'reconnecting') {
    expect(Number.isInteger(o['attempt'])).toBe(true);
    ['attempt', 'reason'].forEach((k) => allowed.add(k));
  } else if (event === 'failed') {
    allowed.add('reason');
  } else if (event === 'quality') {
    expect(['excellent', 'good', 'poor', 'lost', 'unknown']).toContain(o['quality']);
    allowed.add('quality');
  } else if (event === 'warning') {
    allowed.add('text');
  } else if (event === 'device') {
    expect(['input', 'output']).toContain(o['device']);
    expect(['reopened', 'fallback', 'restored']).toContain(o['change']);
    ['device', 'change'].forEach((k) => allowed.add(k));
  } else {
    expect(['connected', 'disconnected']).toContain(event);
  }
  for (const key of Object.keys(o)) expect(allowed.has(key), `${key} in ${JSON.stringify(o)}`).toBe(true);
}
