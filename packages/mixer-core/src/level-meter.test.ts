import { describe, expect, it } from 'vitest';
import { AudioMixer } from './audio-mixer.js';
import { LevelMeter } from './level-meter.js';
import { sine } from '../test/signals.js';

const BLOCK = 480;

describe('levels', () => {
  it('reads a -6 dBFS sine as about -6 dBFS peak and -9 dBFS RMS, per stream and for the mix', () => {
    const m = new AudioMixer({ targetLatencyMs: 10 });
    m.addStream('a');
    // 1 kHz: 480 frames hold exactly 10 periods, so the block RMS is the sine's RMS.
    m.addAudioData('a', sine(BLOCK * 3, { amplitude: 0.5, freq: 1000 }));
    m.getAudioData(BLOCK);
    m.getAudioData(BLOCK);
    const metrics = m.getMetrics();
    const s = metrics.streams[0]!.level;
    expect(s.peakDbfs).toBeCloseTo(-6.02, 1);
    expect(s.rmsDbfs).toBeCloseTo(-9.03, 1);
    expect(metrics.level.peakDbfs).toBeCloseTo(-6.02, 1);
    expect(metrics.level.rmsDbfs).toBeCloseTo(-9.03, 1);
  });

  it('reports digital silence as -120 dBFS', () => {
    const m = new AudioMixer();
    m.addStream('a');
    m.getAudioData(BLOCK);
    const metrics = m.getMetrics();
    expect(metrics.level).toEqual({ peakDbfs: -120, rmsDbfs: -120, speaking: false });
    expect(metrics.streams[0]!.level.rmsDbfs).toBe(-120);
  });
});

describe('speaking flag', () => {
  const loud = (meter: LevelMeter, db: number) => {
    const rms = 10 ** (db / 20);
    meter.update(rms * rms * BLOCK, rms, BLOCK, BLOCK);
  };

  it('turns on after two blocks above -45 dBFS, not after one', () => {
    const meter = new LevelMeter(48000);
    loud(meter, -30);
    expect(meter.speaking).toBe(false);
    loud(meter, -120);
    loud(meter, -30);
    expect(meter.speaking).toBe(false);
    loud(meter, -40);
    expect(meter.speaking).toBe(true);
  });

  it('stays on through short pauses and between the thresholds, turns off after 300 ms below -55', () => {
    const meter = new LevelMeter(48000);
    loud(meter, -20);
    loud(meter, -20);
    for (let i = 0; i < 20; i++) loud(meter, -80); // 200 ms pause between words
    expect(meter.speaking).toBe(true);
    for (let i = 0; i < 100; i++) loud(meter, -50); // between -55 and -45: hold
    expect(meter.speaking).toBe(true);
    for (let i = 0; i < 29; i++) loud(meter, -80);
    expect(meter.speaking).toBe(true);
    loud(meter, -80);
    expect(meter.speaking).toBe(false);
  });

  it('drives the per-stream flag from the mixer', () => {
    const m = new AudioMixer({ targetLatencyMs: 10 });
    m.addStream('a');
    m.addAudioData('a', sine(BLOCK * 3, { amplitude: 0.1 }));
    for (let i = 0; i < 3; i++) m.getAudioData(BLOCK);
    expect(m.getMetrics().streams[0]!.level.speaking).toBe(true);
    for (let i = 0; i < 31; i++) m.getAudioData(BLOCK);
    expect(m.getMetrics().streams[0]!.level.speaking).toBe(false);
  });
});
