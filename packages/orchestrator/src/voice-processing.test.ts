import { EventEmitter } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noopLogger, type MixerMetrics, type MixerSink } from '@alto/mixer-core';
import { describe, expect, it } from 'vitest';
import { AltoClient } from './alto-client.js';
import type { ComponentFactory } from './components.js';
import { FarEndAccumulator } from './voice-far-end.js';
import { loadPluginModule } from './voice-plugins.js';
import { VoiceProcessing } from './voice-processing.js';

const RATE = 48_000;
const FRAME = 480;

function power(x: Int16Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += ((x[i] ?? 0) / 32768) ** 2;
  return sum / (to - from);
}

describe('FarEndAccumulator', () => {
  it('sums streams sample-aligned per 10 ms and restarts a stream that fell behind at the reader', () => {
    const acc = new FarEndAccumulator(RATE);
    const out = new Int16Array(4);
    acc.add('a', Int16Array.from([100, 100, 100, 100]));
    acc.add('b', Int16Array.from([1, 2, 3, 4]));
    acc.readInto(out);
    expect([...out]).toEqual([101, 102, 103, 104]);
    acc.readInto(out);
    expect([...out]).toEqual([0, 0, 0, 0]);
    // 'a' was silent for a frame: its next block plays now, not in the past.
    acc.add('a', Int16Array.from([7, 7, 7, 7]));
    acc.readInto(out);
    expect([...out]).toEqual([7, 7, 7, 7]);
  });

  it('clips the sum instead of wrapping', () => {
    const acc = new FarEndAccumulator(16);
    acc.add('a', Int16Array.from([30000, -30000]));
    acc.add('b', Int16Array.from([30000, -30000]));
    const out = new Int16Array(2);
    acc.readInto(out);
    expect([...out]).toEqual([32767, -32768]);
  });
});

describe('VoiceProcessing', () => {
  it('cancels the echo of remote audio fed as it enters the mixer', () => {
    // Two remote talkers (noise-modulated tones) enter the mixer; the microphone hears their sum
    // 60 ms later at −6 dB, as a speaker→mic path with 60 ms of buffering would produce.
    const voice = new VoiceProcessing({ echoCancellation: true }, { sampleRate: RATE, channels: 1 }, () => 60, noopLogger);
    const seconds = 12;
    const n = seconds * RATE;
    const delay = 60 * 48;
    const far = new Float32Array(n);
    let seed = 1;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff) * 2 - 1;
    for (let i = 0; i < n; i++) {
      const env = Math.max(0, Math.sin((2 * Math.PI * 3 * i) / RATE));
      far[i] = env * (0.2 * Math.sin((2 * Math.PI * 310 * i) / RATE) + 0.1 * Math.sin((2 * Math.PI * 1220 * i) / RATE) + 0.05 * rnd());
    }
    const a = new Int16Array(FRAME);
    const b = new Int16Array(FRAME);
    const mic = new Int16Array(FRAME);
    const before = new Int16Array(n);
    const after = new Int16Array(n);
    for (let f = 0; f + FRAME <= n; f += FRAME) {
      for (let i = 0; i < FRAME; i++) {
        a[i] = Math.round((far[f + i] ?? 0) * 0.5 * 32767);
        b[i] = Math.round((far[f + i] ?? 0) * 0.5 * 32767);
        const j = f + i - delay;
        mic[i] = j >= 0 ? Math.round((far[j] ?? 0) * 0.5 * 32767) : 0;
      }
      voice.feedFarEnd('TR_a', a);
      voice.feedFarEnd('TR_b', b);
      before.set(mic, f);
      voice.process(mic);
      after.set(mic, f);
    }
    expect(voice.streamDelayMs).toBe(60);
    voice.dispose();
    const from = (seconds - 4) * RATE;
    const erle = 10 * Math.log10(power(before, from, n) / power(after, from, n));
    console.log(`orchestrator far-end path ERLE ${erle.toFixed(1)} dB`);
    expect(erle).toBeGreaterThanOrEqual(20);
  });
});

function fakeMixer(): MixerSink {
  const metrics: MixerMetrics = {
    sampleRate: 48000, channels: 1, masterVolume: 1, framesOut: 0, underruns: 0, limitedSamples: 0, streamCount: 0,
    level: { peakDbfs: -120, rmsDbfs: -120, speaking: false }, streams: [],
  };
  return {
    addStream: () => {}, removeStream: () => {}, hasStream: () => false, addAudioData: () => {},
    setStreamVolume: () => {}, setStreamMuted: () => {}, setMasterVolume: () => {}, getMetrics: () => metrics,
  };
}

/** Components that hand one microphone frame to the client and record what would be published. */
function micOnlyFactory(sent: Int16Array[], outputFilters: unknown[]): ComponentFactory {
  return {
    openOutput: (_spec, _format, _logger, options) => {
      outputFilters.push(options?.outputFilter);
      return Promise.resolve(Object.assign(new EventEmitter(), {
        mixer: fakeMixer(), start: () => Promise.resolve(), stop: () => Promise.resolve(),
        metrics: () => ({ framesPlayed: 0, underruns: 0 }),
      }));
    },
    createNetwork: () => Object.assign(new EventEmitter(), {
      connect: () => Promise.resolve(), publishMicrophone: () => Promise.resolve(),
      captureFrame: (frame: Int16Array) => void sent.push(Int16Array.from(frame)),
      setMicrophoneMuted: () => Promise.resolve(), disconnect: () => Promise.resolve(),
      participants: () => [],
      metrics: () => ({ framesSent: 0, framesReceived: 0, bytesReceived: 0, reconnects: 0 }),
    }),
    openInput: () => {
      const input = new EventEmitter();
      return Promise.resolve(Object.assign(input, {
        start: () => {
          input.emit('frame', new Int16Array(FRAME).fill(1000));
          return Promise.resolve();
        },
        stop: () => Promise.resolve(),
        metrics: () => ({ framesCaptured: 0, overflows: 0, errors: 0, levelDbfs: -120 }),
      }));
    },
  };
}

describe('--plugin modules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'alto-plugin-'));
  writeFileSync(
    join(dir, 'halve.mjs'),
    `export default (ctx) => ({ name: 'halve@' + ctx.position, process(block) { for (let i = 0; i < block.length; i++) block[i] = block[i] / 2; } });\n`,
  );
  writeFileSync(join(dir, 'not-a-factory.mjs'), `export default 42;\n`);
  writeFileSync(join(dir, 'builds-nothing.mjs'), `export default () => ({ name: 'x' });\n`);

  it('inserts a loaded processor on the microphone before it is published, and passes the output filter on', async () => {
    const factory = await loadPluginModule('./halve.mjs', dir);
    const sent: Int16Array[] = [];
    const filters: unknown[] = [];
    const client = new AltoClient(
      { url: 'ws://127.0.0.1:1', token: 't', plugins: [factory], outputFilter: 'radio' },
      micOnlyFactory(sent, filters),
    );
    await client.connect();
    await client.disconnect();
    expect(sent[0]?.[0]).toBe(500);
    expect(filters).toEqual(['radio']);
  });

  it('says in one line what is wrong with a missing module or a wrong export', async () => {
    await expect(loadPluginModule('./nope.mjs', dir)).rejects.toThrow(/^cannot load plugin '\.\/nope\.mjs': .*/);
    await expect(loadPluginModule('./not-a-factory.mjs', dir)).rejects.toThrow(/must default-export a function/);
    const bad = await loadPluginModule('./builds-nothing.mjs', dir);
    const client = new AltoClient({ url: 'ws://127.0.0.1:1', token: 't', plugins: [bad] }, micOnlyFactory([], []));
    await expect(client.connect()).rejects.toThrow(/returned no processor/);
    expect(client.state).toBe('disconnected');
    const byPath = new AltoClient({ url: 'ws://127.0.0.1:1', token: 't', plugins: [join(dir, 'missing.mjs')] }, micOnlyFactory([], []));
    await expect(byPath.connect()).rejects.toMatchObject({ code: 'PLUGIN_LOAD_FAILED' });
  });
});
