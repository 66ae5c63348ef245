import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError, InvalidRingLayoutError } from './errors.js';
import { RING_HEADER, SpscRing } from './spsc-ring.js';

describe('SpscRing', () => {
  it('holds exactly capacityFrames (one slot stays empty) and counts the overrun', () => {
    const ring = SpscRing.create({ capacityFrames: 4 });
    expect(ring.write(Float32Array.of(1, 2, 3))).toBe(3);
    expect(ring.write(Float32Array.of(4, 5, 6))).toBe(1);
    expect(ring.availableRead()).toBe(4);
    expect(ring.availableWrite()).toBe(0);
    expect(ring.overruns).toBe(1);
    expect(ring.overrunFrames).toBe(2);
    const out = new Float32Array(4);
    expect(ring.read(out)).toBe(4);
    expect([...out]).toEqual([1, 2, 3, 4]);
  });

  it('fills an underrun with silence and counts it', () => {
    const ring = SpscRing.create({ capacityFrames: 8, channels: 2, format: 'int16' });
    ring.write(Int16Array.of(1, -1, 2, -2));
    const out = new Int16Array(8).fill(99);
    expect(ring.read(out)).toBe(2);
    expect([...out]).toEqual([1, -1, 2, -2, 0, 0, 0, 0]);
    expect(ring.underruns).toBe(1);
    expect(ring.underrunFrames).toBe(2);
  });

  it('attaches to an existing SharedArrayBuffer and sees the same data', () => {
    const a = SpscRing.create({ capacityFrames: 16, channels: 2 });
    const b = new SpscRing(a.buffer);
    expect(b.channels).toBe(2);
    expect(b.capacityFrames).toBe(16);
    expect(b.format).toBe('float32');
    a.write(Float32Array.of(0.5, -0.5));
    const out = new Float32Array(2);
    expect(b.read(out)).toBe(1);
    expect([...out]).toEqual([0.5, -0.5]);
    expect(a.availableRead()).toBe(0);
  });

  it('rejects a buffer that is not a ring and bad options, saying what to do', () => {
    expect(() => new SpscRing(new SharedArrayBuffer(64))).toThrow(InvalidRingLayoutError);
    expect(() => new SpscRing(new SharedArrayBuffer(8))).toThrow(/SpscRing.create/);
    expect(() => SpscRing.create({ capacityFrames: 0 })).toThrow(InvalidOptionError);
    const a = SpscRing.create({ capacityFrames: 8 });
    const header = new Int32Array(a.buffer, 0, 12);
    expect(header[RING_HEADER.CAPACITY]).toBe(8);
  });

  it('behaves like a bounded FIFO over random writes and reads, across wrap-around (property)', () => {
    const op = fc.oneof(
      fc.record({ w: fc.integer({ min: 0, max: 12 }) }),
      fc.record({ r: fc.integer({ min: 0, max: 12 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.array(op, { maxLength: 300 }), (cap, ops) => {
        const ring = SpscRing.create({ capacityFrames: cap, format: 'int16' });
        const model: number[] = [];
        let next = 1;
        let dropped = 0;
        let silence = 0;
        for (const o of ops) {
          if ('w' in o) {
            const src = new Int16Array(o.w);
            for (let i = 0; i < o.w; i++) src[i] = next++ % 30000;
            const n = ring.write(src);
            const fit = Math.min(o.w, cap - model.length);
            expect(n).toBe(fit);
            for (let i = 0; i < fit; i++) model.push(src[i]!);
            dropped += o.w - fit;
          } else {
            const dst = new Int16Array(o.r).fill(-1);
            const n = ring.read(dst);
            const expected = model.splice(0, o.r);
            expect(n).toBe(expected.length);
            expect([...dst.slice(0, n)]).toEqual(expected);
            expect(dst.slice(n).every((v) => v === 0)).toBe(true);
            silence += o.r - n;
          }
          expect(ring.availableRead()).toBe(model.length);
        }
        expect(ring.overrunFrames).toBe(dropped);
        expect(ring.underrunFrames).toBe(silence);
      }),
    );
  });
});
