/** Output backends inside the audio host: PortAudio, null, wav file and raw stdout. */
import { createWriteStream } from 'node:fs';
import { remixChannels } from '../convert.js';
import type { OutputSink } from '../spec.js';
import { SincResampler } from '../sinc-resampler.js';
import { WavFileWriter } from '../wav.js';
import { listPortAudioDevices, naudiodon, openAtSupportedRate, resolveDevice, type PortAudioStream } from './naudiodon.js';
import { HostDeviceNotFound } from './input-backends.js';
import { BurstTrace } from './latency-trace.js';
import { ADAPTIVE_OUTPUT, OutputBudget } from './output-budget.js';
import type { OutputPeriodMs } from './output-period.js';
import { Pacer } from './pacer.js';

/** Where the output pulls its 10 ms blocks from (the host's mixer). */
export interface BlockSource {
  readInto(out: Int16Array): void;
}

/** Format of the mix. */
export interface OutputFormat {
  readonly sampleRate: number;
  readonly channels: number;
  /** naudiodon chunks queued ahead of the device (latency vs. robustness). */
  readonly outputQueue: number;
  /** Size the blocks written ahead from the measured scheduling slack instead (`outputQueue` ignored). */
  readonly adaptive?: boolean;
  /** PortAudio's period for a sound device, ms (see output-period.ts). Default 10. */
  readonly periodMs?: OutputPeriodMs;
  /** Shortest lead of a deferred write of an adaptive output, ms (see OutputBudget). */
  readonly minLeadMs?: number;
}

/** A running output. */
export interface OutputBackend {
  readonly backend: string;
  readonly deviceName: string;
  readonly deviceSampleRate: number;
  frames: number;
  underruns: number;
  errors: number;
  latencyMs: number;
  start(): void;
  /** Stops pulling; finalises files. */
  close(): void;
  /** A remote stream joined: an adaptive output takes its starting headroom again. */
  onStreamAdded?(): void;
}

/** Opens the output backend for `sink`, pulling blocks from `source`. */
export function openOutputBackend(
  sink: OutputSink,
  format: OutputFormat,
  source: BlockSource,
  onError: (message: string) => void,
  rawFd: number,
): OutputBackend {
  switch (sink.kind) {
    case 'device':
      return openPortAudioOutput(sink.device, format, source, onError);
    case 'null':
      return pacedOutput('null', 'null', format, source, () => {}, () => {});
    case 'wav': {
      const writer = new WavFileWriter(sink.path, format.sampleRate, format.channels, { exclusive: sink.exclusive, mode: sink.mode });
      // A recording must span the wall-clock time of the call: after a stall (a loaded machine
      // froze this process for seconds) it writes every block that was due, silence where the
      // audio was lost, instead of skipping ahead and shortening the file.
      return pacedOutput('wav', sink.path, format, source, (b) => writer.write(b), () => writer.close(), Infinity);
    }
    case 'raw': {
      const out = createWriteStream('', { fd: rawFd, autoClose: false });
      out.on('error', (err) => onError(`raw output: ${err.message}`));
      return pacedOutput(
        'raw',
        'stdout (s16le)',
        format,
        source,
        // The stream keeps the buffer until written, so it gets its own copy.
        (b) => out.write(Buffer.from(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength))),
        () => out.end(),
      );
    }
  }
}

function pacedOutput(
  backend: string,
  deviceName: string,
  format: OutputFormat,
  source: BlockSource,
  write: (block: Int16Array) => void,
  finish: () => void,
  maxBurstBlocks?: number,
): OutputBackend {
  const block = new Int16Array((format.sampleRate / 100) * format.channels);
  const state: OutputBackend = {
    backend,
    deviceName,
    deviceSampleRate: format.sampleRate,
    frames: 0,
    underruns: 0,
    errors: 0,
    latencyMs: 10,
    start: () => pacer.start(),
    close: () => {
      pacer.stop();
      finish();
    },
  };
  const pacer = new Pacer(
    () => {
      source.readInto(block);
      write(block);
      state.frames++;
    },
    (skipped) => {
      state.underruns += skipped;
    },
    10,
    maxBurstBlocks,
  );
  return state;
}

function openPortAudioOutput(
  ref: number | string,
  format: OutputFormat,
  source: BlockSource,
  onError: (message: string) => void,
): OutputBackend {
  const devices = listPortAudioDevices();
  const device = resolveDevice(devices, ref, 'output');
  if (!device) throw new HostDeviceNotFound(String(ref));
  const channels = Math.min(format.channels, device.maxOutputChannels);
  const adaptive = format.adaptive === true;
  const periodMs = format.periodMs ?? 10;
  const open = (rate: number): PortAudioStream => {
    // Chunks stay 10 ms blocks whatever the period: naudiodon's callback copies across them.
    const blockBytes = Math.round(rate / 100) * channels * 2;
    return naudiodon().AudioIO({
      outOptions: {
        channelCount: channels,
        sampleFormat: 16,
        sampleRate: rate,
        deviceId: device.index,
        framesPerBuffer: Math.round((rate * periodMs) / 1000),
        highwaterMark: blockBytes,
        // Adaptive: one chunk queued, its length varied while playing (see OutputBudget).
        maxQueue: adaptive ? 1 : format.outputQueue,
        closeOnError: false,
      },
    });
  };
  // Devices that cannot run at the requested rate run at their own and get resampled.
  const { io, rate } = openAtSupportedRate(device, format.sampleRate, open);
  const resampler = new SincResampler(format.sampleRate, rate, channels);
  const budget = new OutputBudget(
    adaptive
      ? { ...ADAPTIVE_OUTPUT, minLeadMs: format.minLeadMs ?? ADAPTIVE_OUTPUT.minLeadMs }
      : { ...ADAPTIVE_OUTPUT, startBlocks: 1, minBlocks: 1, maxBlocks: 1, minLeadMs: ADAPTIVE_OUTPUT.blockMs },
  );
  const blockFrames = format.sampleRate / 100;
  const blockSamples = blockFrames * format.channels;
  // One chunk of up to maxBlocks blocks, with a view per length so the pump never slices.
  const chunk = new Int16Array(ADAPTIVE_OUTPUT.maxBlocks * blockSamples);
  const views = Array.from({ length: ADAPTIVE_OUTPUT.maxBlocks + 1 }, (_, k) => chunk.subarray(0, k * blockSamples));
  const resampled = new Int16Array(resampler.maxOutputFrames(ADAPTIVE_OUTPUT.maxBlocks * blockFrames) * channels);
  let running = false;
  let deferred: NodeJS.Timeout | undefined;
  const queueMs = (): number => (adaptive ? budget.slackMs() : (format.outputQueue + 1) * 10);
  const state: OutputBackend = {
    backend: 'portaudio',
    deviceName: device.name,
    deviceSampleRate: rate,
    frames: 0,
    underruns: 0,
    errors: 0,
    // Chunks inside naudiodon plus the one PortAudio is playing; ALSA's own period comes on top.
    latencyMs: queueMs(),
    start: () => {
      if (running) return;
      running = true;
      // Clean start: the first chunk is written before the device starts pulling, so PortAudio's
      // first callbacks find audio (silence) waiting instead of an empty queue.
      pump();
      io.start();
    },
    close: () => {
      // Never quit(): it hangs when the device stopped consuming. The host process exits instead.
      running = false;
      clearTimeout(deferred);
    },
    onStreamAdded: () => {
      // The first audio of a call comes with extra work (a new stream, its first mixes): take
      // the starting headroom again while the new stream is still prebuffering (silence).
      if (adaptive) budget.raise(ADAPTIVE_OUTPUT.startBlocks);
    },
  };
  const mixedTrace = BurstTrace.open('mixed');
  const queuedTrace = BurstTrace.open('queued');
  // Pulls one chunk whenever naudiodon accepted the previous one: that is the device's pace.
  const pump = (): void => {
    if (!running) return;
    const blocks = budget.blocks;
    const view = views[blocks]!;
    source.readInto(view);
    mixedTrace?.check(view);
    const mixed = remixChannels(view, format.channels, channels);
    // naudiodon copies the chunk when it is written, and only one write is ever in flight.
    const data = resampler.passthrough ? mixed : resampled;
    const samples = resampler.passthrough ? mixed.length : resampler.processInto(mixed, resampled) * channels;
    io.write(Buffer.from(data.buffer, data.byteOffset, samples * 2), (err) => {
      queuedTrace?.check(view);
      if (err) {
        state.errors++;
        onError(`PortAudio output error: ${err instanceof Error ? err.message : JSON.stringify(err)}`);
      }
      state.frames += blocks;
      budget.onAccepted(performance.now(), blocks);
      state.latencyMs = queueMs();
      pumpWhenDue();
    });
  };
  // Writes the next chunk at the time the budget plans (its lead before the device frees the
  // slot), or at once. libuv's timers tick in whole ms, so the write lands within a ms either
  // side of the plan: an early write only waits in naudiodon for the slot, and the lead covers
  // a late one.
  const pumpWhenDue = (): void => {
    const at = budget.writeAt();
    const wait = at === undefined ? 0 : at - performance.now();
    if (at === undefined || wait < 1) {
      if (at !== undefined) budget.onWrite(performance.now(), at);
      pump();
      return;
    }
    deferred = setTimeout(() => {
      deferred = undefined;
      budget.onWrite(performance.now(), at);
      pump();
    }, wait);
  };
  io.on('error', (err: unknown) => {
    state.errors++;
    onError(`PortAudio output error: ${String(err)}`);
  });
  return state;
}
