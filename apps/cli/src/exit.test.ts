import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { reportExit, toExit } from './exit.js';

class PackageError extends Error {
  readonly code = 'connect_failed' as const;
}

describe('toExit', () => {
  it('maps a UsageError to exit 2 with its message', () => {
    expect(toExit(new UsageError('bad flag; do this'), false)).toEqual({ code: 2, line: 'alto: bad flag; do this', stack: undefined });
  });

  it('maps a package error with a string code to exit 1 with its message', () => {
    const plan = toExit(new PackageError('cannot reach ws://x: connection refused; is the server running?'), false);
    expect(plan.code).toBe(1);
    expect(plan.line).toBe('alto: cannot reach ws://x: connection refused; is the server running?');
  });

  it('maps anything else to exit 1 with a generic line that points at -v', () => {
    expect(toExit(new TypeError('x is undefined'), false).line).toBe('alto: unexpected failure: x is undefined (run with -v for details)');
    expect(toExit('a string', false)).toEqual({ code: 1, line: 'alto: unexpected failure (run with -v for details)', stack: undefined });
    expect(toExit(undefined, false).code).toBe(1);
  });

  it('keeps multi-line messages to one line', () => {
    expect(toExit(new UsageError('first\nsecond\r\nthird'), false).line).toBe('alto: first second third');
  });

  it('includes the stack only when verbose', () => {
    const err = new UsageError('bad');
    expect(toExit(err, false).stack).toBeUndefined();
    expect(toExit(err, true).stack).toContain('UsageError: bad');
  });

  it('reportExit writes the line (and the stack when present) and returns the code', () => {
    let written = '';
    const code = reportExit(toExit(new UsageError('oops'), true), { write: (t: string) => (written += t) });
    expect(code).toBe(2);
    expect(written.split('\n')[0]).toBe('alto: oops');
    expect(written).toContain('    at ');
  });
});
