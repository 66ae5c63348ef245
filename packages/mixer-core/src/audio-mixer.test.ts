import { describe, expect, it } from 'vitest';
import { AudioMixer } from './audio-mixer.js';
import { InvalidSamplesError, InvalidVolumeError, MixerError } from './errors.js';
import { constant, maxStep, sine } from '../test/signals.js';

const SR = 48000;
const BLOCK = 480; // 10 ms
const FADE = 144; // 3 ms default fade

/** A mixer with a 10 ms target so one or two frames start playback. */
function mixer(options: ConstructorParameters<typeof AudioMixer>[0] = {}): AudioMixer {
  return new AudioMixer({ targetLatencyMs: 10, ...options });
}

function streamMetrics(m: AudioMixer, id: string) {
  const s = m.getMetrics().streams.find((x) => x.id === id);
  if (!s) throw new Error(`no stream ${id}`);
  return s;
}

describe('AudioMixer streams', () => {
  it('adds, lists and removes streams; unknown ids are ignored', () => {
    const m = mixer();
    m.addStream('alice', { label: 'Alice' });
    m.addStream('bob', { volume: 0.5 });
    expect(m.hasStream('alice')).toBe(true);
    expect(m.streamIds()).toEqual(['alice', 'bob']);
    expect(streamMetrics(m, 'alice').label).toBe('Alice');
    expect(streamMetrics(m, 'bob').volume).toBe(0.5);
    m.removeStream('alice');
    m.removeStream('nobody');
    expect(m.hasStream('alice')).toBe(false);
    expect(m.getMetrics().streamCount).toBe(1);
    m.addAudioData('alice', constant(BLOCK, 1000));
    expect(m.getAudioData(BLOCK).every((v) => v === 0)).toBe(true);
  });

  it('re-adding an existing stream applies the options and keeps its audio', () => {
    const m = mixer();
    m.addStream('a');
    m.addAudioData('a', constant(BLOCK, 1000));
    m.addStream('a', { volume: 2 });
    expect(streamMetrics(m, 'a').bufferedMs).toBe(10);
    expect(streamMetrics(m, 'a').volume).toBe(2);
  });

  it('prebuffers to the target latency before playing', () => {
    const m = new AudioMixer({ targetLatencyMs: 30 });
    m.addStream('a');
    m.addAudioData('a', constant(BLOCK * 2, 8000));
    expect(streamMetrics(m, 'a').state).toBe('buffering');
    expect(m.getAudioData(BLOCK).every((v) => v === 0)).toBe(true);
    m.addAudioData('a', constant(BLOCK, 8000));
    expect(streamMetrics(m, 'a').state).toBe('playing');
    const out = m.getAudioData(BLOCK);
    expect(out[BLOCK - 1]).toBe(8000);
  });

  it('plays one stream bit-exact at unity gain after the fade-in', () => {
    const m = mixer();
    m.addStream('a');
    const input = sine(BLOCK * 3, { amplitude: 0.5 });
    m.addAudioData('a', input);
    const out = new Int16Array(BLOCK * 3);
    expect(m.readInto(out)).toBe(BLOCK * 3);
    for (let i = FADE; i < out.length; i++) expect(out[i]).toBe(input[i]);
    // During the fade-in the output ramps up from silence.
    expect(Math.abs(out[1]!)).toBeLessThanOrEqual(Math.abs(input[1]!));
  });

  it('sums streams rather than averaging them (one speaker is not halved)', () => {
    const m = mixer();
    m.addStream('a');
    m.addStream('b');
    m.addStream('silent');
    m.addAudioData('a', constant(BLOCK * 2, 4000));
    m.addAudioData('b', constant(BLOCK * 2, 3000));
    m.getAudioData(BLOCK);
    expect(m.getAudioData(BLOCK)[10]).toBe(7000);
  });

  it("averages the streams that have audio in 'average' mode (seed parity)", () => {
    const m = mixer({ mode: 'average' });
    m.addStream('a');
    m.addStream('b');
    m.addAudioData('a', constant(BLOCK * 2, 4000));
    m.addAudioData('b', constant(BLOCK * 2, 2000));
    m.getAudioData(BLOCK);
    expect(m.getAudioData(BLOCK)[10]).toBe(3000);
    m.removeStream('b');
    m.addAudioData('a', constant(BLOCK, 4000));
    expect(m.getAudioData(BLOCK)[10]).toBe(4000);
  });

  it('rejects samples that are not whole interleaved frames', () => {
    const m = mixer({ channels: 2 });
    m.addStream('a');
    expect(() => m.addAudioData('a', new Int16Array(3))).toThrow(InvalidSamplesError);
    expect(() => m.addAudioData('a', new Int16Array(3))).toThrow(/multiple of 2 channels/);
  });
});

describe('AudioMixer gain', () => {
  it('applies stream volume and master volume', () => {
    const m = mixer();
    m.addStream('a', { volume: 0.5 });
    m.addAudioData('a', constant(BLOCK * 4, 8000));
    m.getAudioData(BLOCK);
    expect(m.getAudioData(BLOCK)[BLOCK - 1]).toBe(4000);
    m.setMasterVolume(1.5);
    m.getAudioData(BLOCK); // the change ramps over one block to avoid a click
    expect(m.getAudioData(BLOCK)[0]).toBe(6000);
    expect(m.getMetrics().masterVolume).toBe(1.5);
  });

  it('ramps a volume change over one block instead of jumping', () => {
    const m = mixer();
    m.addStream('a');
    m.addAudioData('a', constant(BLOCK * 3, 10000));
    m.getAudioData(BLOCK);
    m.setStreamVolume('a', 0);
    const out = m.getAudioData(BLOCK);
    expect(out[BLOCK - 1]).toBe(0);
    expect(maxStep(out)).toBeLessThan(100);
  });

  it('throws a RangeError that names the bad volume', () => {
    const m = mixer();
    m.addStream('a');
    expect(() => m.setStreamVolume('a', 2.5)).toThrow(RangeError);
    expect(() => m.setStreamVolume('a', -0.1)).toThrow(/between 0 and 2.*got -0.1/);
    expect(() => m.setMasterVolume(Number.NaN)).toThrow(InvalidVolumeError);
    expect(() => m.addStream('b', { volume: 3 })).toThrow(MixerError);
    expect(() => new AudioMixer({ masterVolume: 5 })).toThrow(/masterVolume/);
    expect(() => new AudioMixer({ targetLatencyMs: 300, maxLatencyMs: 200 })).toThrow(
      /maxLatencyMs/,
    );
  });

  it('mutes a stream but keeps consuming its audio so it resumes in time', () => {
    const m = mixer();
    m.addStream('a', { muted: true });
    m.addAudioData('a', constant(BLOCK * 3, 5000));
    expect(m.getAudioData(BLOCK).every((v) => v === 0)).toBe(true);
    expect(streamMetrics(m, 'a').bufferedMs).toBe(20);
    expect(streamMetrics(m, 'a').muted).toBe(true);
    m.setStreamMuted('a', false);
    m.getAudioData(BLOCK);
    expect(m.getAudioData(BLOCK)[0]).toBe(5000);
  });
});

describe('AudioMixer jitter buffer', () => {
  it('pads an underrun with silence and counts it', () => {
    const m = mixer();
    m.addStream('a');
    m.addAudioData('a', constant(BLOCK, 3000));
    const out = m.getAudioData(BLOCK * 2);
    expect(out[BLOCK - 1]).toBe(3000);
    expect(out[BLOCK + FADE + 1]).toBe(0);
    expect(out[out.length - 1]).toBe(0);
    const s = streamMetrics(m, 'a');
    expect(s.underruns).toBe(1);
    expect(s.state).toBe('buffering');
    expect(s.framesIn).toBe(BLOCK);
    expect(s.framesOut).toBe(BLOCK);
    m.getAudioData(BLOCK);
    const metrics = m.getMetrics();
    expect(metrics.underruns).toBe(1); // the read where nobody had audio
    expect(metrics.framesOut).toBe(BLOCK * 3);
  });

  it('fades out on underrun and in on resume without a click', () => {
    const m = mixer();
    m.addStream('a');
    const amp = 0.5;
    const freq = 200;
    m.addAudioData('a', sine(BLOCK * 2 + 37, { amplitude: amp, freq }));
    const out1 = m.getAudioData(BLOCK * 3);
    m.addAudioData('a', sine(BLOCK * 2, { amplitude: amp, freq, startFrame: 1234 }));
    const out2 = m.getAudioData(BLOCK * 3);
    const all = new Int16Array(out1.length + out2.length);
    all.set(out1);
    all.set(out2, out1.length);
    // A sine's own steepest step plus the fade slope; a hard cut would jump by up to 16384.
    const sineStep = amp * 32767 * ((2 * Math.PI * freq) / SR);
    expect(maxStep(all)).toBeLessThan(sineStep + (amp * 32767) / FADE + 2);
    expect(streamMetrics(m, 'a').underruns).toBe(2);
  });

  it('bounds buffered audio at maxLatencyMs, dropping the oldest and counting it', () => {
    const m = mixer({ maxLatencyMs: 100 });
    m.addStream('a');
    for (let i = 0; i < 50; i++) {
      m.addAudioData('a', constant(BLOCK, i));
      expect(streamMetrics(m, 'a').bufferedMs).toBeLessThanOrEqual(100);
    }
    const s = streamMetrics(m, 'a');
    expect(s.bufferedMs).toBe(100);
    expect(s.overruns).toBe(40);
    expect(s.droppedFrames).toBe(40 * BLOCK);
    // The newest audio survived: the first frames read are from block 40.
    m.setStreamVolume('a', 1);
    const out = m.getAudioData(BLOCK);
    expect(out[BLOCK - 1]).toBe(40);
  });

  it('never lets a late or empty stream hold back the others', () => {
    const m = mixer();
    m.addStream('fast');
    m.addStream('late');
    m.addStream('never');
    m.addAudioData('fast', constant(BLOCK * 4, 2000));
    m.addAudioData('late', constant(100, 1000)); // less than its target: still buffering
    const out = m.getAudioData(BLOCK * 4);
    expect(out[BLOCK]).toBe(2000);
    expect(out[BLOCK * 4 - 1]).toBe(2000);
    expect(streamMetrics(m, 'fast').framesOut).toBe(BLOCK * 4);
    expect(streamMetrics(m, 'late').framesOut).toBe(0);
  });

  it('drains a stream fed 2 % faster than it is read so latency does not creep', () => {
    const m = new AudioMixer({ targetLatencyMs: 30, maxLatencyMs: 200 });
    m.addStream('a');
    const out = new Int16Array(BLOCK);
    const frame = sine(BLOCK, { amplitude: 0.3 });
    let owed = 0;
    let maxMs = 0;
    let lateSumMs = 0;
    for (let block = 0; block < 3000; block++) {
      owed += BLOCK * 1.02;
      while (owed >= BLOCK) {
        m.addAudioData('a', frame);
        owed -= BLOCK;
      }
      m.readInto(out);
      const ms = streamMetrics(m, 'a').bufferedMs;
      maxMs = Math.max(maxMs, ms);
      if (block >= 2000) lateSumMs += ms;
    }
    const s = streamMetrics(m, 'a');
    // Without the drain, 30 s at +2 % would pile up 600 ms (and sit at the 200 ms bound). With it
    // the buffer saw-tooths between the target and target + margin + 1 s of drift (+ one frame).
    expect(maxMs).toBeLessThanOrEqual(30 + 20 + 20 + 10);
    expect(lateSumMs / 1000).toBeLessThan(65);
    expect(s.overruns).toBe(0);
    expect(s.droppedFrames).toBeGreaterThan(0.015 * 3000 * BLOCK);
    expect(s.underruns).toBe(0);
  });

  it('keeps mixing the other streams when one is removed between reads', () => {
    const m = mixer();
    m.addStream('a');
    m.addStream('b');
    const out = new Int16Array(BLOCK);
    for (let i = 0; i < 10; i++) {
      m.addAudioData('a', constant(BLOCK, 1000));
      m.addAudioData('b', constant(BLOCK, 2000));
      if (i === 5) m.removeStream('a');
      m.readInto(out);
      expect(out[BLOCK - 1]).toBe(i < 5 ? 3000 : 2000);
    }
    m.addStream('a');
    expect(streamMetrics(m, 'a').framesIn).toBe(0);
  });
});

describe('AudioMixer levels', () => {
  it("meters each stream's playing audio within 0.5 dB of its true peak and RMS", () => {
    const m = mixer();
    m.addStream('low', { volume: 0.25 });
    m.addStream('high');
    m.addStream('quiet');
    for (let b = 0; b < 20; b++) {
      m.addAudioData('low', sine(BLOCK, { freq: 220, amplitude: 0.5, startFrame: b * BLOCK }));
      m.addAudioData('high', sine(BLOCK, { freq: 997, amplitude: 0.1, startFrame: b * BLOCK }));
      m.addAudioData('quiet', new Int16Array(BLOCK));
      m.getAudioData(BLOCK);
    }
    // The meter reads what the stream sends, before its volume.
    const low = streamMetrics(m, 'low').level;
    expect(Math.abs(low.peakDbfs - 20 * Math.log10(0.5))).toBeLessThan(0.5);
    expect(Math.abs(low.rmsDbfs - 20 * Math.log10(0.5 / Math.SQRT2))).toBeLessThan(0.5);
    expect(low.speaking).toBe(true);
    const high = streamMetrics(m, 'high').level;
    expect(Math.abs(high.peakDbfs - 20 * Math.log10(0.1))).toBeLessThan(0.5);
    expect(Math.abs(high.rmsDbfs - 20 * Math.log10(0.1 / Math.SQRT2))).toBeLessThan(0.5);
    const quiet = streamMetrics(m, 'quiet').level;
    expect(quiet.rmsDbfs).toBeLessThan(-100);
    expect(quiet.speaking).toBe(false);
  });

  it('meters both channels of a stereo stream', () => {
    const m = mixer({ channels: 2 });
    m.addStream('right-only');
    for (let b = 0; b < 5; b++) {
      const block = sine(BLOCK, { freq: 440, amplitude: 0.5, channels: 2, startFrame: b * BLOCK });
      for (let i = 0; i < block.length; i += 2) block[i] = 0;
      m.addAudioData('right-only', block);
      m.getAudioData(BLOCK);
    }
    const level = streamMetrics(m, 'right-only').level;
    expect(Math.abs(level.peakDbfs - 20 * Math.log10(0.5))).toBeLessThan(0.5);
    // Half the samples are silent: 3 dB below the right channel's own RMS.
    expect(Math.abs(level.rmsDbfs - 20 * Math.log10(0.5 / 2))).toBeLessThan(0.5);
  });
});

describe('AudioMixer channels', () => {
  it('keeps left and right apart in stereo', () => {
    const m = mixer({ channels: 2 });
    m.addStream('left');
    m.addStream('right');
    const l = new Int16Array(BLOCK * 4);
    const r = new Int16Array(BLOCK * 4);
    for (let f = 0; f < BLOCK * 2; f++) {
      l[f * 2] = 1000;
      r[f * 2 + 1] = -2000;
    }
    m.addAudioData('left', l);
    m.addAudioData('right', r);
    m.getAudioData(BLOCK);
    const out = m.getAudioData(BLOCK);
    expect(out.length).toBe(BLOCK * 2);
    for (let f = 0; f < BLOCK; f++) {
      expect(out[f * 2]).toBe(1000);
      expect(out[f * 2 + 1]).toBe(-2000);
    }
  });

  it('produces float output within [-1, 1] through readFloatInto', () => {
    const m = mixer();
    m.addStream('a');
    m.addAudioData('a', constant(BLOCK * 2, 16384));
    const out = new Float32Array(BLOCK);
    m.readFloatInto(out);
    m.readFloatInto(out);
    expect(out[0]).toBeCloseTo(0.5, 6);
  });
});

describe('AudioMixer limiter', () => {
  it('saturates a loud sum smoothly instead of wrapping', () => {
    const m = mixer();
    for (let i = 0; i < 4; i++) {
      m.addStream(`s${i}`, { volume: 2 });
      m.addAudioData(`s${i}`, constant(BLOCK * 2, 30000));
    }
    m.setMasterVolume(2);
    m.getAudioData(BLOCK);
    const out = m.getAudioData(BLOCK);
    expect(out.every((v) => v > 29000 && v <= 32767)).toBe(true);
    expect(m.getMetrics().limitedSamples).toBeGreaterThan(0);
  });
});
