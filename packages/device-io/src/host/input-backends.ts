/** Input backends inside the audio host: PortAudio, tone, silence, wav file and raw stdin. */
import { createReadStream, readFileSync } from 'node:fs';
import { float32ToInt16Clip, remixChannels } from '../convert.js';
import { WavFormatError } from '../errors.js';
import { SincResampler } from '../sinc-resampler.js';
import type { InputSource } from '../spec.js';
import { parseWav } from '../wav.js';
import { listPortAudioDevices, naudiodon, openAtSupportedRate, resolveDevice, type PortAudioStream } from './naudiodon.js';
import { Pacer } from './pacer.js';

/** Format the parent asked for. */
export interface InputFormat {
  readonly sampleRate: number;
  readonly channels: number;
  readonly sampleFormat: 'int16' | 'float32';
}

/** A running input: pushes int16 audio at the requested rate/channels into `emit`. */
export interface InputBackend {
  readonly backend: string;
  readonly deviceName: string;
  readonly deviceSampleRate: number;
  overflows: number;
  errors: number;
  /** Estimated latency the backend adds, ms. */
  readonly latencyMs: number;
  start(): void;
  close(): void;
}

/** Raised when the requested device is not in PortAudio's list. */
export class HostDeviceNotFound extends Error {}

/** Opens the input backend for `source`; `emit` receives chunks of any size. */
export function openInputBackend(
  source: InputSource,
  format: InputFormat,
  emit: (samples: Int16Array) => void,
  onError: (message: string) => void,
  rawFd: number,
): InputBackend {
  switch (source.kind) {
    case 'device':
      return openPortAudioInput(source.device, format, emit, onError);
    case 'tone':
      return pacedInput('tone', `tone ${source.frequencyHz} Hz`, format, toneFill(source.frequencyHz, format), emit);
    case 'silence':
      return pacedInput('silence', 'silence', format, (block) => block.fill(0), emit);
    case 'wav':
      return pacedInput('wav', source.path, format, wavFill(source.path, source.loop, format), emit);
    case 'raw':
      return rawInput(rawFd, format, emit);
  }
}

function pacedInput(
  backend: string,
  deviceName: string,
  format: InputFormat,
  fill: (block: Int16Array) => void,
  emit: (samples: Int16Array) => void,
): InputBackend {
  const block = new Int16Array((format.sampleRate / 100) * format.channels);
  const state: InputBackend = {
    backend,
    deviceName,
    deviceSampleRate: format.sampleRate,
    overflows: 0,
    errors: 0,
    latencyMs: 0,
    start: () => pacer.start(),
    close: () => pacer.stop(),
  };
  const pacer = new Pacer(
    () => {
      fill(block);
      emit(block);
    },
    (skipped) => {
      state.overflows += skipped;
    },
  );
  return state;
}

function toneFill(frequencyHz: number, format: InputFormat): (block: Int16Array) => void {
  let phase = 0;
  const step = (2 * Math.PI * frequencyHz) / format.sampleRate;
  const amplitude = 0.5 * 32767;
  return (block) => {
    const frames = block.length / format.channels;
    for (let f = 0; f < frames; f++) {
      const v = Math.round(amplitude * Math.sin(phase));
      for (let c = 0; c < format.channels; c++) block[f * format.channels + c] = v;
      phase += step;
      if (phase > 2 * Math.PI) phase -= 2 * Math.PI;
    }
  };
}

function wavFill(path: string, loop: boolean, format: InputFormat): (block: Int16Array) => void {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    throw new WavFormatError(`cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
  const wav = parseWav(bytes, path);
  const samples = SincResampler.convert(
    remixChannels(wav.samples, wav.channels, format.channels),
    wav.sampleRate,
    format.sampleRate,
    format.channels,
  );
  let pos = 0;
  return (block) => {
    for (let i = 0; i < block.length; i++) {
      if (pos >= samples.length) {
        if (!loop || samples.length === 0) {
          block.fill(0, i);
          return;
        }
        pos = 0;
      }
      block[i] = samples[pos++]!;
    }
  };
}

function rawInput(fd: number, format: InputFormat, emit: (samples: Int16Array) => void): InputBackend {
  // Paced like a device: stdin may be a file that arrives all at once. Missing data is silence.
  const frameSamples = (format.sampleRate / 100) * format.channels;
  const queue: Buffer[] = [];
  let queued = 0;
  const stream = createReadStream('', { fd, highWaterMark: 64 * 1024, autoClose: false });
  const block = new Int16Array(frameSamples);
  const blockBytes = new Uint8Array(block.buffer);
  const backend = pacedInput('raw', 'stdin (s16le)', format, (out) => {
    let filled = 0;
    const want = frameSamples * 2;
    while (filled < want && queue.length) {
      const head = queue[0]!;
      const take = Math.min(want - filled, head.length);
      blockBytes.set(head.subarray(0, take), filled);
      filled += take;
      queued -= take;
      if (take === head.length) queue.shift();
      else queue[0] = head.subarray(take);
    }
    blockBytes.fill(0, filled);
    out.set(block);
    if (queued < 20 * want && stream.isPaused()) stream.resume();
  }, emit);
  stream.on('data', (chunk: Buffer | string) => {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    queue.push(b);
    queued += b.length;
    if (queued > 50 * frameSamples * 2) stream.pause();
  });
  stream.on('error', () => {
    backend.errors++;
  });
  return backend;
}

function openPortAudioInput(
  ref: number | string,
  format: InputFormat,
  emit: (samples: Int16Array) => void,
  onError: (message: string) => void,
): InputBackend {
  const devices = listPortAudioDevices();
  const device = resolveDevice(devices, ref, 'input');
  if (!device) throw new HostDeviceNotFound(String(ref));
  const channels = Math.min(format.channels, device.maxInputChannels);
  const float = format.sampleFormat === 'float32';
  const bytesPerSample = float ? 4 : 2;
  const open = (rate: number): PortAudioStream => {
    const framesPerBuffer = Math.round(rate / 100);
    return naudiodon().AudioIO({
      inOptions: {
        channelCount: channels,
        sampleFormat: float ? 1 : 16,
        sampleRate: rate,
        deviceId: device.index,
        framesPerBuffer,
        highwaterMark: framesPerBuffer * channels * bytesPerSample,
        maxQueue: 8,
        closeOnError: false,
      },
    });
  };
  // Devices that cannot run at the requested rate run at their own and get resampled.
  const { io, rate } = openAtSupportedRate(device, format.sampleRate, open);
  const resampler = new SincResampler(rate, format.sampleRate, format.channels);
  let resampled = new Int16Array(resampler.maxOutputFrames(rate / 100) * format.channels);
  let floatScratch = new Int16Array(0);
  const state: InputBackend = {
    backend: 'portaudio',
    deviceName: device.name,
    deviceSampleRate: rate,
    overflows: 0,
    errors: 0,
    latencyMs: 10,
    start: () => io.start(),
    close: () => {
      // Never quit(): it hangs on a starved device. The host process exits instead.
      io.removeAllListeners('data');
    },
  };
  io.on('data', (buf: Buffer) => {
    let samples: Int16Array;
    if (float) {
      const count = buf.length >> 2;
      const aligned = buf.byteOffset % 4 === 0 ? buf : Buffer.from(buf);
      if (floatScratch.length !== count) floatScratch = new Int16Array(count);
      samples = float32ToInt16Clip(new Float32Array(aligned.buffer, aligned.byteOffset, count), floatScratch);
    } else {
      const aligned = buf.byteOffset % 2 === 0 ? buf : Buffer.from(buf);
      samples = new Int16Array(aligned.buffer, aligned.byteOffset, aligned.length >> 1);
    }
    const mixed = remixChannels(samples, channels, format.channels);
    if (resampler.passthrough) {
      emit(mixed);
      return;
    }
    const frames = mixed.length / format.channels;
    if (resampled.length < resampler.maxOutputFrames(frames) * format.channels) {
      resampled = new Int16Array(resampler.maxOutputFrames(frames) * format.channels);
    }
    // emit copies what it keeps (the rechunker), so one output array serves every block.
    emit(resampled.subarray(0, resampler.processInto(mixed, resampled) * format.channels));
  });
  io.on('error', (err: unknown) => {
    state.errors++;
    onError(`PortAudio input error: ${String(err)}`);
  });
  return state;
}
