/** Output backends inside the audio host: PortAudio, null, wav file and raw stdout. */
import { createWriteStream } from 'node:fs';
import { remixChannels } from '../convert.js';
import { LinearResampler } from '../resampler.js';
import type { OutputSink } from '../spec.js';
import { WavFileWriter } from '../wav.js';
import { listPortAudioDevices, naudiodon, openAtSupportedRate, resolveDevice, type PortAudioStream } from './naudiodon.js';
import { HostDeviceNotFound } from './input-backends.js';
import { BurstTrace } from './latency-trace.js';
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
}

/** A running output. */
export interface OutputBackend {
  readonly backend: string;
  readonly deviceName: string;
  readonly deviceSampleRate: number;
  frames: number;
  underruns: number;
  errors: number;
  readonly latencyMs: number;
  start(): void;
  /** Stops pulling; finalises files. */
  close(): void;
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
      const writer = new WavFileWriter(sink.path, format.sampleRate, format.channels);
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
  const open = (rate: number): PortAudioStream => {
    const framesPerBuffer = Math.round(rate / 100);
    return naudiodon().AudioIO({
      outOptions: {
        channelCount: channels,
        sampleFormat: 16,
        sampleRate: rate,
        deviceId: device.index,
        framesPerBuffer,
        highwaterMark: framesPerBuffer * channels * 2,
        maxQueue: format.outputQueue,
        closeOnError: false,
      },
    });
  };
  // Devices that cannot run at the requested rate run at their own and get resampled.
  const { io, rate } = openAtSupportedRate(device, format.sampleRate, open);
  const resampler = new LinearResampler(format.sampleRate, rate, channels);
  const block = new Int16Array((format.sampleRate / 100) * format.channels);
  let running = false;
  const state: OutputBackend = {
    backend: 'portaudio',
    deviceName: device.name,
    deviceSampleRate: rate,
    frames: 0,
    underruns: 0,
    errors: 0,
    // Queued chunks plus the one PortAudio is playing; ALSA's own period comes on top.
    latencyMs: (format.outputQueue + 1) * 10,
    start: () => {
      if (running) return;
      running = true;
      io.start();
      pump();
    },
    close: () => {
      // Never quit(): it hangs when the device stopped consuming. The host process exits instead.
      running = false;
    },
  };
  const mixedTrace = BurstTrace.open('mixed');
  const queuedTrace = BurstTrace.open('queued');
  // Pulls one block whenever naudiodon accepted the previous one: that is the device's pace.
  const pump = (): void => {
    if (!running) return;
    source.readInto(block);
    mixedTrace?.check(block);
    const data = resampler.process(remixChannels(block, format.channels, channels));
    io.write(Buffer.from(data.buffer, data.byteOffset, data.byteLength), (err) => {
      queuedTrace?.check(block);
      if (err) {
        state.errors++;
        onError(`PortAudio output error: ${err instanceof Error ? err.message : JSON.stringify(err)}`);
      }
      state.frames++;
      pump();
    });
  };
  io.on('error', (err: unknown) => {
    state.errors++;
    onError(`PortAudio output error: ${String(err)}`);
  });
  return state;
}
