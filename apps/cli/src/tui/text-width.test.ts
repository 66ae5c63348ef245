import { describe, expect, it } from 'vitest';
import { sgr, stripAnsi } from './ansi.js';
import { columnsOf, fitLine, padColumns, tailColumns } from './text-width.js';

const CJK = '例えば田中太郎';
const EMOJI = '😀 Zoë';
const COMBINING = 'Jose\u0301 Mari\u0301a';

describe('columnsOf', () => {
  it('counts screen columns: CJK and emoji two, combining marks none, colours none', () => {
    expect(columnsOf('alice')).toBe(5);
    expect(columnsOf(CJK)).toBe(14);
    expect(columnsOf(EMOJI)).toBe(6);
    expect(columnsOf(COMBINING)).toBe(10);
    expect(columnsOf(sgr('1', CJK))).toBe(14);
  });
});

describe('fitLine', () => {
  it('never lets a line pass the last column, keeping colours and whole characters', () => {
    for (const text of [CJK.repeat(5), EMOJI.repeat(8), COMBINING.repeat(6), `ab${sgr('32', CJK)}cd`.repeat(4)]) {
      for (let width = 1; width < 40; width++) {
        const fitted = fitLine(text, width);
        expect(columnsOf(fitted)).toBeLessThanOrEqual(width);
        expect(columnsOf(fitted)).toBeGreaterThanOrEqual(width - 1); // a wide character may leave one cell
      }
    }
  });

  it('leaves a line that fits alone and resets colour after a cut', () => {
    expect(fitLine(sgr('1', 'short'), 20)).toBe(sgr('1', 'short'));
    expect(fitLine(`${'\x1b[32m'}${CJK}`, 5).endsWith('\x1b[0m')).toBe(true);
    expect(stripAnsi(fitLine(`${'\x1b[32m'}${CJK}`, 5))).toBe('例え');
  });
});

describe('padColumns and tailColumns', () => {
  it('pads and cuts by columns so rows line up whatever the script', () => {
    for (const name of [CJK, EMOJI, COMBINING, 'bob']) {
      for (const width of [4, 9, 12, 24]) expect(columnsOf(padColumns(name, width)), `${name} at ${width}`).toBe(width);
    }
    expect(padColumns(CJK, 9)).toBe('例えば田…');
  });

  it('keeps the end of a long line within the width', () => {
    const line = `${CJK}: ${'こんにちは'.repeat(10)}`;
    const tail = tailColumns(line, 21);
    expect(columnsOf(tail)).toBeLessThanOrEqual(21);
    expect(tail.startsWith('…')).toBe(true);
    expect(tail.endsWith('こんにちは')).toBe(true);
  });
});
