import { describe, expect, it } from 'vitest';
import { AudioMixer } from './audio-mixer.js';
import { InvalidOptionError } from './errors.js';
import { constant } from '../test/signals.js';

const BLOCK = 480; // 10 ms at 48 kHz
const FRAME = constant(BLOCK, 4000);
const out = new Int16Array(BLOCK);

function stream(m: AudioMixer) {
  const s = m.getMetrics().streams[0];
  if (!s) throw new Error('no stream');
  return s;
}

/**
 * Plays `blocks` device reads. Frames arrive one per read, except that every `burstEvery`-th
 * read gets nothing and the next one gets the missing frames too (jitter of `burst` blocks).
 */
function play(m: AudioMixer, blocks: number, burst = 0, burstEvery = 10): void {
  let owed = 0;
  for (let i = 0; i < blocks; i++) {
    if (burst > 0 && i % burstEvery < burst) {
      owed++;
    } else {
      for (; owed > 0; owed--) m.addAudioData('a', FRAME);
      m.addAudioData('a', FRAME);
    }
    m.readInto(out);
  }
}

describe('AudioMixer adaptive jitter target', () => {
  it('keeps a fixed target unless asked to adapt', () => {
    const m = new AudioMixer({ targetLatencyMs: 20 });
    m.addStream('a');
    play(m, 600, 3);
    expect(stream(m).targetMs).toBe(20);
  });

  it('grows when frames arrive in bursts and the stream runs dry', () => {
    const m = new AudioMixer({ targetLatencyMs: 10, adaptiveLatency: true });
    m.addStream('a');
    play(m, 50);
    const before = stream(m).underruns;
    play(m, 400, 3);
    const s = stream(m);
    expect(s.underruns).toBeGreaterThan(before);
    expect(s.targetMs).toBeGreaterThan(10);
    // Once grown, the same jitter no longer causes gaps.
    const settled = s.underruns;
    play(m, 400, 3);
    expect(stream(m).underruns).toBe(settled);
  });

  it('shrinks back step by step after the jitter stops, and no lower than the minimum', () => {
    const m = new AudioMixer({ targetLatencyMs: 60, adaptiveLatency: { minMs: 10, holdMs: 500 } });
    m.addStream('a');
    play(m, 100);
    expect(stream(m).targetMs).toBeLessThan(60);
    play(m, 2000);
    const s = stream(m);
    expect(s.targetMs).toBeGreaterThanOrEqual(10);
    expect(s.targetMs).toBeLessThanOrEqual(15);
    // The drift drain takes the buffered excess away, so the delay really went down.
    expect(s.bufferedMs).toBeLessThanOrEqual(25);
    expect(s.underruns).toBe(0);
  });

  it('does not shrink within the hold time after growing (hysteresis)', () => {
    const m = new AudioMixer({ targetLatencyMs: 10, adaptiveLatency: { holdMs: 5000 } });
    m.addStream('a');
    play(m, 30);
    play(m, 100, 2);
    const grown = stream(m).targetMs;
    expect(grown).toBeGreaterThan(10);
    play(m, 300); // 3 s calm: shorter than the 5 s hold
    expect(stream(m).targetMs).toBe(grown);
  });

  it('shrinks in one calm window by the spare it measured, not one step per window', () => {
    // Steady one-frame-per-read delivery needs no more than a block; a 60 ms target kept 50 ms
    // that no read touched.
    const m = new AudioMixer({ targetLatencyMs: 60, adaptiveLatency: { minMs: 10, holdMs: 500 } });
    m.addStream('a');
    // 0.6 s of playback: one whole calm window.
    play(m, 60);
    expect(stream(m).targetMs).toBeLessThanOrEqual(20);
    expect(stream(m).underruns).toBe(0);
  });

  it('sets no floor for the bursts at the start of a stream, but holds one for jitter later', () => {
    const m = new AudioMixer({ targetLatencyMs: 10, adaptiveLatency: { holdMs: 500, settleMs: 1000, floorHoldMs: 60_000 } });
    m.addStream('a');
    // A bursty start: the target grows, then comes down in the next calm windows.
    play(m, 30);
    play(m, 40, 3);
    const early = stream(m).targetMs;
    expect(early).toBeGreaterThan(10);
    play(m, 300);
    expect(stream(m).targetMs).toBeLessThan(early);
    // The same jitter well into the stream: the grown size stays for the floor's hold.
    play(m, 40, 3);
    const later = stream(m).targetMs;
    expect(later).toBeGreaterThan(10);
    play(m, 1000);
    expect(stream(m).targetMs).toBe(later);
  });

  it('does not grow for a stall no buffer should cover, only for jitter', () => {
    const m = new AudioMixer({ targetLatencyMs: 20, adaptiveLatency: true });
    m.addStream('a');
    play(m, 50);
    // The sender stalls for 300 ms once: the stream runs dry for far longer than coverMs.
    for (let i = 0; i < 30; i++) m.readInto(out);
    play(m, 50);
    expect(stream(m).underruns).toBe(1);
    expect(stream(m).targetMs).toBe(20);
    // A 30 ms hiccup is jitter: the target grows.
    for (let i = 0; i < 4; i++) m.readInto(out);
    for (let i = 0; i < 4; i++) m.addAudioData('a', FRAME);
    play(m, 50);
    expect(stream(m).underruns).toBe(2);
    expect(stream(m).targetMs).toBe(30);
  });

  it('starts a stream at its floor when the starting target is below it', () => {
    const m = new AudioMixer({ targetLatencyMs: 20, adaptiveLatency: { minMs: 30 } });
    m.addStream('a');
    expect(stream(m).targetMs).toBe(30);
    // It prebuffers the floor before it plays.
    m.addAudioData('a', FRAME);
    m.addAudioData('a', FRAME);
    m.readInto(out);
    expect(stream(m).state).toBe('buffering');
    m.addAudioData('a', FRAME);
    m.readInto(out);
    expect(stream(m).state).toBe('playing');
  });

  it('never grows beyond its maximum', () => {
    const m = new AudioMixer({ targetLatencyMs: 10, adaptiveLatency: { maxMs: 30 } });
    m.addStream('a');
    // A sender slower than the device (9 frames per 10 reads) runs dry again and again.
    for (let i = 0; i < 1000; i++) {
      if (i % 10 !== 0) m.addAudioData('a', FRAME);
      m.readInto(out);
    }
    expect(stream(m).underruns).toBeGreaterThan(10);
    expect(stream(m).targetMs).toBe(30);
  });

  it('rejects a minimum above the maximum', () => {
    expect(() => new AudioMixer({ adaptiveLatency: { minMs: 100, maxMs: 50 } })).toThrow(InvalidOptionError);
  });
});

describe('AudioMixer drain through silence', () => {
  function behind(frame: Int16Array): AudioMixer {
    const m = new AudioMixer({ targetLatencyMs: 20, drainAfterMs: 100 });
    m.addStream('a');
    // 200 ms arrive at once (a late burst), then one frame per read as usual.
    for (let i = 0; i < 20; i++) m.addAudioData('a', frame);
    for (let i = 0; i < 60; i++) {
      m.addAudioData('a', frame);
      m.readInto(out);
    }
    return m;
  }

  it('drops silent blocks whole to get back to the target quickly', () => {
    const m = behind(new Int16Array(BLOCK));
    expect(stream(m).bufferedMs).toBeLessThanOrEqual(40);
    expect(stream(m).underruns).toBe(0);
  });

  it('only speeds audible audio up by a few percent', () => {
    const m = behind(FRAME);
    // 600 ms at 4 % removes ~24 ms of the 180 ms surplus: still far behind, nothing skipped.
    expect(stream(m).bufferedMs).toBeGreaterThan(120);
    expect(stream(m).underruns).toBe(0);
  });
});
