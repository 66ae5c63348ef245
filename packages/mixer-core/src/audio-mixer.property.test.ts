import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AudioMixer } from './audio-mixer.js';

const int16 = fc.integer({ min: -32768, max: 32767 });

describe('AudioMixer properties', () => {
  it('never exceeds int16 or flips the sign of the sum, whatever the streams and gains', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(int16, { minLength: 96, maxLength: 96 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.double({ min: 0, max: 2, noNaN: true }), { minLength: 8, maxLength: 8 }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        (streams, volumes, master) => {
          const m = new AudioMixer({ targetLatencyMs: 1, masterVolume: master, fadeMs: 0.1 });
          streams.forEach((s, i) => {
            m.addStream(`s${i}`, { volume: volumes[i]! });
            m.addAudioData(`s${i}`, Int16Array.from(s));
          });
          const out = m.getAudioData(96);
          for (let k = 5; k < 96; k++) {
            let sum = 0;
            streams.forEach((s, i) => (sum += s[k]! * volumes[i]!));
            sum *= master;
            const v = out[k]!;
            expect(v).toBeGreaterThanOrEqual(-32768);
            expect(v).toBeLessThanOrEqual(32767);
            if (sum > 1) expect(v).toBeGreaterThanOrEqual(0);
            if (sum < -1) expect(v).toBeLessThanOrEqual(0);
            // Transparent below the knee: quiet sums come out as the sum itself.
            if (Math.abs(sum) < 29000) expect(Math.abs(v - sum)).toBeLessThanOrEqual(1.01);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('mixes any number of steady streams (grouped and single paths) to their exact gained sum', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 11 }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (count, channels, seed) => {
          const m = new AudioMixer({ channels, targetLatencyMs: 10 });
          let x = seed;
          const rand = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 2;
          const frames = 480;
          const gains: number[] = [];
          const data: Int16Array[] = [];
          for (let i = 0; i < count; i++) {
            gains.push(Math.round(Math.abs(rand()) * 8) / 4); // exact binary fractions 0..2
            const d = new Int16Array(frames * 3 * channels);
            for (let k = 0; k < d.length; k++) d[k] = Math.round(rand() * (2500 / count));
            data.push(d);
            m.addStream(`s${i}`, { volume: gains[i]! });
            m.addAudioData(`s${i}`, d);
          }
          m.getAudioData(frames); // first block carries the fade-in
          for (let block = 1; block < 3; block++) {
            const out = m.getAudioData(frames);
            for (let k = 0; k < out.length; k++) {
              let sum = 0;
              for (let i = 0; i < count; i++)
                sum += data[i]![block * frames * channels + k]! * gains[i]!;
              expect(Math.abs(out[k]! - sum)).toBeLessThanOrEqual(1);
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('accounts for every frame: in = out + buffered + dropped, and buffered never exceeds the max', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), frames: fc.integer({ min: 0, max: 2000 }) }),
      fc.record({ kind: fc.constant('read' as const), frames: fc.integer({ min: 1, max: 1500 }) }),
    );
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 200 }),
        fc.integer({ min: 1, max: 2 }),
        (ops, channels) => {
          const m = new AudioMixer({
            channels,
            targetLatencyMs: 20,
            maxLatencyMs: 60,
            drainAfterMs: 50,
          });
          m.addStream('a');
          for (const o of ops) {
            if (o.kind === 'push')
              m.addAudioData('a', new Int16Array(o.frames * channels).fill(100));
            else m.getAudioData(o.frames);
            const s = m.getMetrics().streams[0]!;
            expect(s.bufferedMs).toBeLessThanOrEqual(60);
            const buffered = Math.round((s.bufferedMs * 48000) / 1000);
            expect(s.framesIn).toBe(s.framesOut + buffered + s.droppedFrames);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
