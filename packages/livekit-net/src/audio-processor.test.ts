import { describe, expect, it } from 'vitest';
import { AudioProcessor } from './audio-processor.js';

const RATE = 48_000;
const FRAME = 480;

/** Deterministic PRNG (mulberry32) so every run feeds identical audio. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Speech-like far end: a few harmonics of a gliding pitch plus band-limited noise, amplitude
 * modulated at a syllable rate (4 Hz) with short pauses.
 */
function farEndSignal(samples: number, seed = 1): Float32Array {
  const rnd = prng(seed);
  const out = new Float32Array(samples);
  let phase = 0;
  let lp = 0;
  for (let i = 0; i < samples; i++) {
    const t = i / RATE;
    const f0 = 140 + 40 * Math.sin(2 * Math.PI * 0.7 * t);
    phase += (2 * Math.PI * f0) / RATE;
    let voiced = 0;
    for (let h = 1; h <= 12; h++) voiced += Math.sin(h * phase) / h;
    lp += 0.3 * (rnd() * 2 - 1 - lp);
    const syllable = Math.max(0, Math.sin(2 * Math.PI * 4 * t)) ** 0.5;
    out[i] = syllable * (0.25 * voiced + 0.15 * lp);
  }
  return out;
}

function toInt16(x: number): number {
  return Math.max(-32768, Math.min(32767, Math.round(x * 32767)));
}

/** Power of the component at `hz` (Goertzel), normalised to mean-square units. */
function tonePower(x: Int16Array, from: number, to: number, hz: number): number {
  const w = (2 * Math.PI * hz) / RATE;
  const c = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (let i = from; i < to; i++) {
    const s = (x[i] ?? 0) / 32768 + c * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  const n = to - from;
  return (2 * (s1 * s1 + s2 * s2 - c * s1 * s2)) / (n * n);
}

function power(x: Int16Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += ((x[i] ?? 0) / 32768) ** 2;
  return sum / (to - from);
}

const db = (ratio: number): number => 10 * Math.log10(ratio);

describe('AudioProcessor', () => {
  it('cancels a delayed, attenuated echo of the far end by at least 20 dB and keeps the near-end talker', () => {
    const seconds = 20;
    const n = seconds * RATE;
    const far = farEndSignal(n);
    const delay = (40 * RATE) / 1000;
    const echoGain = 0.5; // −6 dB
    // Near-end: a 1 kHz tone talking in alternate 2 s segments (double talk while on).
    const nearOn = (i: number): boolean => Math.floor(i / (2 * RATE)) % 2 === 1;
    const mic = new Int16Array(n);
    const echoOnly = new Int16Array(n);
    const nearOnly = new Int16Array(n);
    for (let i = 0; i < n; i++) {
      const echo = i >= delay ? echoGain * (far[i - delay] ?? 0) : 0;
      const near = nearOn(i) ? 0.1 * Math.sin((2 * Math.PI * 1000 * i) / RATE) : 0;
      echoOnly[i] = toInt16(echo);
      nearOnly[i] = toInt16(near);
      mic[i] = toInt16(echo + near);
    }
    const apm = AudioProcessor.create({ echoCancellation: true });
    apm.setStreamDelayMs(40);
    const farFrame = new Int16Array(FRAME);
    const micFrame = new Int16Array(FRAME);
    const out = new Int16Array(n);
    for (let f = 0; f + FRAME <= n; f += FRAME) {
      for (let i = 0; i < FRAME; i++) {
        farFrame[i] = toInt16(far[f + i] ?? 0);
        micFrame[i] = mic[f + i] ?? 0;
      }
      apm.processReverseStream(farFrame);
      apm.processStream(micFrame);
      out.set(micFrame, f);
    }
    apm.dispose();
    // ERLE over the near-end-silent segments of the last 8 s (after convergence).
    let echoIn = 0;
    let echoOut = 0;
    let nearIn = 0;
    let nearOut = 0;
    for (let seg = seconds / 2 - 4; seg < seconds / 2; seg++) {
      const from = seg * 2 * RATE + RATE / 4;
      const to = (seg + 1) * 2 * RATE - RATE / 4;
      if (nearOn(from)) {
        nearIn += tonePower(nearOnly, from, to, 1000);
        nearOut += tonePower(out, from, to, 1000);
      } else {
        echoIn += power(echoOnly, from, to);
        echoOut += power(out, from, to);
      }
    }
    const erle = db(echoIn / echoOut);
    const nearChange = db(nearOut / nearIn);
    console.log(`ERLE ${erle.toFixed(1)} dB; near-end tone change ${nearChange.toFixed(2)} dB`);
    expect(erle).toBeGreaterThanOrEqual(20);
    expect(Math.abs(nearChange)).toBeLessThanOrEqual(3);
  });

  it('lowers stationary white noise by at least 10 dB with noise suppression', () => {
    const rnd = prng(7);
    const seconds = 6;
    const n = seconds * RATE;
    const input = new Int16Array(n);
    for (let i = 0; i < n; i++) input[i] = toInt16(0.05 * (rnd() * 2 - 1));
    const apm = AudioProcessor.create({ noiseSuppression: true });
    const frame = new Int16Array(FRAME);
    const out = new Int16Array(n);
    for (let f = 0; f + FRAME <= n; f += FRAME) {
      frame.set(input.subarray(f, f + FRAME));
      apm.processStream(frame);
      out.set(frame, f);
    }
    apm.dispose();
    const from = (seconds - 3) * RATE;
    const reduction = db(power(input, from, n) / power(out, from, n));
    console.log(`noise suppression: ${reduction.toFixed(1)} dB on white noise`);
    expect(reduction).toBeGreaterThanOrEqual(10);
  });

  it('rejects a frame that is not 10 ms and any use after dispose, with a message saying why', () => {
    const apm = AudioProcessor.create({ channels: 2, highPassFilter: true });
    expect(apm.frameSamples).toBe(960);
    expect(() => apm.processStream(new Int16Array(480))).toThrow(/960 samples at 48000 Hz × 2 channel/);
    apm.processStream(new Int16Array(960));
    apm.dispose();
    apm.dispose();
    expect(() => apm.processReverseStream(new Int16Array(960))).toThrow(/disposed/);
  });
});
