import { describe, expect, it } from 'vitest';
import { Rechunker } from './rechunker.js';

describe('Rechunker', () => {
  it('turns chunks of any size into exact frames, in order, keeping the remainder', () => {
    const frames: number[][] = [];
    const r = new Rechunker(4, (f) => frames.push(Array.from(f)));
    r.push(Int16Array.from([1, 2, 3]));
    expect(frames).toEqual([]);
    r.push(Int16Array.from([4, 5, 6, 7, 8, 9, 10, 11]));
    expect(frames).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ]);
    expect(r.pendingSamples).toBe(3);
    r.push(Int16Array.from([12]));
    expect(frames[2]).toEqual([9, 10, 11, 12]);
  });

  it('re-chunks 441-frame device buffers into 480-frame frames without losing a sample', () => {
    let count = 0;
    let next = 0;
    let ok = true;
    const r = new Rechunker(480, (f) => {
      count++;
      for (const v of f) if (v !== (next++ & 0x7fff)) ok = false;
    });
    let value = 0;
    for (let b = 0; b < 480; b++) {
      const chunk = new Int16Array(441);
      for (let i = 0; i < chunk.length; i++) chunk[i] = value++ & 0x7fff;
      r.push(chunk);
    }
    expect(count).toBe(441);
    expect(ok).toBe(true);
  });

  it('drops a partial frame on reset', () => {
    const frames: number[][] = [];
    const r = new Rechunker(2, (f) => frames.push(Array.from(f)));
    r.push(Int16Array.from([1]));
    r.reset();
    r.push(Int16Array.from([2, 3]));
    expect(frames).toEqual([[2, 3]]);
  });
});
