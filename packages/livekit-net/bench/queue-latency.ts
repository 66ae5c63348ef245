/**
 * Measures capture→receive latency through a real local livekit-server for several AudioSource
 * queue sizes: sender feeds 10 ms frames in real time (silence, then 200 ms tone bursts); the
 * receiver's MixerSink timestamps the first loud frame of each burst. Also counts quiet frames
 * inside bursts (gaps). Run once: `node --conditions=@alto/source --import tsx bench/queue-latency.ts`.
 */
import { rms, sineInt16, startLivekitServer } from '@alto/harness';
import type { MixerMetrics, MixerSink } from '@alto/mixer-core';
import { LiveKitSession, configureSdkLogging, shutdownLiveKit } from '../src/index.js';

configureSdkLogging();
const SIZES = (process.env['QUEUE_SIZES'] ?? '0,10,20,50,100,200').split(',').map(Number);
const BURSTS = 12;

class ProbeSink implements MixerSink {
  onFrame: (loud: boolean) => void = () => {};
  addStream(): void {}
  removeStream(): void {}
  hasStream(): boolean {
    return true;
  }
  addAudioData(_id: string, samples: Int16Array): void {
    this.onFrame(rms(samples) > 1000);
  }
  setStreamVolume(): void {}
  setStreamMuted(): void {}
  setMasterVolume(): void {}
  getMetrics(): MixerMetrics {
    const level = { peakDbfs: -120, rmsDbfs: -120, speaking: false };
    return { sampleRate: 48_000, channels: 1, masterVolume: 1, framesOut: 0, underruns: 0, limitedSamples: 0, streamCount: 0, level, streams: [] };
  }
}

const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? NaN;

const server = await startLivekitServer();
const rows: string[] = [];
for (const queueSizeMs of SIZES) {
  const room = `bench-${queueSizeMs}-${Date.now()}`;
  const creds = { url: server.url, apiKey: server.apiKey, apiSecret: server.apiSecret, room };
  const sink = new ProbeSink();
  const alice = new LiveKitSession({ mixer: new ProbeSink(), microphone: { queueSizeMs } });
  const bob = new LiveKitSession({ mixer: sink, microphone: false });
  await alice.connect({ ...creds, identity: 'alice' });
  await bob.connect({ ...creds, identity: 'bob' });
  const tone = sineInt16(1000, 480, 48_000, 0.3);
  const silence = new Int16Array(480);
  const latencies: number[] = [];
  let burstStart = 0;
  let waiting = false;
  let loudInBursts = 0;
  sink.onFrame = (loud) => {
    if (waiting && loud) {
      latencies.push(performance.now() - burstStart);
      waiting = false;
    }
    if (loud && burstStart && performance.now() - burstStart < 900) loudInBursts++;
  };
  const started = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.floor((performance.now() - started) / 10);
      while (sent < due) {
        const inCycle = sent % 100; // 1 s cycle: 200 ms tone, 800 ms silence; first 2 s warm-up
        const cycle = Math.floor(sent / 100);
        const loud = cycle >= 2 && inCycle < 20;
        if (loud && inCycle === 0) {
          burstStart = performance.now();
          waiting = true;
        }
        alice.captureFrame(loud ? tone : silence);
        sent++;
      }
      if (sent >= (BURSTS + 3) * 100) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
  const dropped = alice.getMetrics().microphone?.framesDropped ?? 0;
  rows.push(
    `| ${queueSizeMs} | ${pct(latencies, 0.5).toFixed(0)} | ${pct(latencies, 0.95).toFixed(0)} | ${latencies.length}/${BURSTS} | ${(loudInBursts / BURSTS).toFixed(1)} | ${dropped} |`,
  );
  await alice.disconnect();
  await bob.disconnect();
}
await server.stop();
process.stdout.write(['| queueSizeMs | p50 ms | p95 ms | bursts detected | loud 10 ms frames per 200 ms burst (20 = intact) | frames dropped |', '|---|---|---|---|---|---|', ...rows].join('\n') + '\n');
await shutdownLiveKit(3000);
process.exit(0);
