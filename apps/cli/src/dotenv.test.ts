import { describe, expect, it } from 'vitest';
import { parseDotenv } from './dotenv.js';
import { UsageError } from './errors.js';

describe('parseDotenv', () => {
  it('reads bare, quoted and exported values, skipping comments and blank lines', () => {
    const text = [
      '# LiveKit dev server',
      '',
      'LIVEKIT_URL=ws://localhost:7880',
      'export LIVEKIT_API_KEY = devkey   # the dev key',
      `LIVEKIT_API_SECRET='se#cret "x"'`,
      'GREETING="line1\\nline2 \\"q\\""',
      'EMPTY=',
    ].join('\n');
    expect(parseDotenv(text, '.env')).toEqual({
      LIVEKIT_URL: 'ws://localhost:7880',
      LIVEKIT_API_KEY: 'devkey',
      LIVEKIT_API_SECRET: 'se#cret "x"',
      GREETING: 'line1\nline2 "q"',
      EMPTY: '',
    });
  });

  it('accepts CRLF line endings and lets a later duplicate win', () => {
    expect(parseDotenv('A=1\r\nA=2\r\n', 'f')).toEqual({ A: '2' });
  });

  it.each([
    ['no equals sign', 'JUST_A_WORD', /f\.env:1: expected KEY=value/],
    ['bad variable name', '1ABC=x', /f\.env:1: invalid variable name '1ABC'/],
    ['unterminated quote', 'A="open', /f\.env:1: unterminated " quote/],
    ['text after the closing quote', "A='x' y", /f\.env:1: unexpected text after the closing quote/],
    ['unknown escape', 'A="\\q"', /unknown escape '\\q'/],
    ['stray quote', 'A=it"s', /stray quote in an unquoted value/],
  ])('rejects %s with the file and line', (_name, line, message) => {
    const run = (): unknown => parseDotenv(line, 'f.env');
    expect(run).toThrow(UsageError);
    expect(run).toThrow(message);
  });

  it('reports the right line number past comments', () => {
    expect(() => parseDotenv('# a\n\nOK=1\nbroken line\n', 'x.env')).toThrow(/^x\.env:4: /);
  });
});
