import { concatInt16 } from '@alto/harness';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeWav, openAudioInput } from '../src/index.js';
import { fitAmplitude, spuriousDbfs, toneInt16 } from './resampler-quality.js';

const dir = mkdtempSync(join(tmpdir(), 'device-io-resampling-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resampling through the audio host', () => {
  it.each([44_100, 32_000, 16_000])(
    'a WAV file at %i Hz arrives as 48 kHz frames with every image below −80 dBFS',
    async (rate) => {
      // 15 kHz where the rate allows it (a plain interpolator images it at 18.9 kHz from 44.1 kHz).
      const toneHz = rate > 32_000 ? 15_000 : rate / 4;
      const path = join(dir, `tone-${rate}.wav`);
      writeFileSync(
        path,
        encodeWav({ sampleRate: rate, channels: 1, samples: toneInt16(toneHz, 1.5, rate, 0.9) }),
      );
      const frames: Int16Array[] = [];
      const input = openAudioInput(`wav:${path}`, {
        onFrame: (f) => frames.push(new Int16Array(f)),
      });
      await input.start();
      await new Promise((r) => setTimeout(r, 1300));
      await input.stop();
      const samples = concatInt16(frames.slice(0, 120));
      expect(samples.length).toBeGreaterThan(48_000);
      expect(
        fitAmplitude(samples, toneHz, 48_000, 4800, samples.length - 4800) / (0.9 * 32767),
      ).toBeCloseTo(1, 2);
      expect(spuriousDbfs(samples, 48_000, toneHz)).toBeLessThan(-80);
    },
    30_000,
  );
});
