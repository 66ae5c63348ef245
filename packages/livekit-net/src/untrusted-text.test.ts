import { describe, expect, it } from 'vitest';
import { hasUnsafeCharacters, sanitizeLabelValue, sanitizeText, stringifyJsonSafe } from './untrusted-text.js';

const HOSTILE_NAME = '\x1b]0;pwned\x07\x1b[2J evil';

describe('sanitizeText', () => {
  it('turns ESC, BEL, CR, LF and C1 CSI into spaces so no escape sequence survives', () => {
    const out = sanitizeText(`${HOSTILE_NAME}\r\nnext\u009b31m`);
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(out).toContain('evil');
    expect(out).toContain('next');
  });

  it('removes bidi overrides, isolates and marks', () => {
    expect(sanitizeText('abc\u202egnp.exe\u202c')).toBe('abcgnp.exe');
    expect(sanitizeText('\u2066x\u2069\u200f\u061c')).toBe('x');
  });

  it('removes zero-width and invisible characters', () => {
    expect(sanitizeText('ad\u200bm\u200di\u2060n\ufeff\u00ad')).toBe('admin');
  });

  it('cuts towers of combining marks to two per character, keeping ordinary accents', () => {
    expect(sanitizeText('e\u0301')).toBe('e\u0301');
    expect(sanitizeText(`Z${'\u0300\u0301\u0302\u0303'.repeat(10)}`)).toBe('Z\u0300\u0301');
  });

  it('keeps printable text, including wide characters and emoji', () => {
    expect(sanitizeText('Zoë 日本語 🎧')).toBe('Zoë 日本語 🎧');
  });
});

describe('outputs', () => {
  it('label values carry no controls and are bounded', () => {
    const v = sanitizeLabelValue(HOSTILE_NAME + 'x'.repeat(500));
    // eslint-disable-next-line no-control-regex
    expect(v).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect([...v].length).toBe(128);
  });

  it('JSON escapes C1, bidi and separators and still round-trips', () => {
    const value = { name: 'a\u009b2Jb\u202ec\u2028d\x1b' };
    const text = stringifyJsonSafe(value);
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e\u2028]/);
    expect(text).toContain('\\u009b');
    expect(JSON.parse(text)).toEqual(value);
  });

  it('detects unsafe characters', () => {
    expect(hasUnsafeCharacters('/tmp/a\nb.wav')).toBe(true);
    expect(hasUnsafeCharacters('/tmp/a\u202eb.wav')).toBe(true);
    expect(hasUnsafeCharacters('/tmp/ab.wav')).toBe(false);
  });
});
