/**
 * Lazy access to naudiodon2, only ever loaded inside the audio host process (it prints to
 * stdout, installs a segfault handler and can hang on quit, so the parent never loads it).
 */
import { createRequire } from 'node:module';
import type { AudioDevice } from '../protocol.js';

/** The subset of naudiodon2's API the host uses. */
export interface Naudiodon {
  getDevices(): Array<{
    id: number;
    name: string;
    maxInputChannels: number;
    maxOutputChannels: number;
    defaultSampleRate: number;
    hostAPIName: string;
  }>;
  getHostAPIs(): { defaultHostAPI: number; HostAPIs: Array<{ name: string; defaultInput: number; defaultOutput: number }> };
  AudioIO(options: { inOptions?: PortAudioOptions; outOptions?: PortAudioOptions }): PortAudioStream;
}

/** Every naudiodon option, set explicitly (its defaults add latency or fall back silently). */
export interface PortAudioOptions {
  channelCount: number;
  sampleFormat: 1 | 16;
  sampleRate: number;
  deviceId: number;
  framesPerBuffer: number;
  highwaterMark: number;
  maxQueue: number;
  closeOnError: boolean;
}

/** A naudiodon stream (a Node Readable or Writable with start/quit). */
export interface PortAudioStream extends NodeJS.EventEmitter {
  start(): void;
  quit(cb?: () => void): void;
  write(chunk: Buffer, cb: (err?: unknown) => void): boolean;
}

let cached: Naudiodon | undefined;

/** Loads naudiodon2 (once). */
export function naudiodon(): Naudiodon {
  cached ??= createRequire(import.meta.url)('naudiodon2') as Naudiodon;
  return cached;
}

/** Lists PortAudio devices with their default flags. */
export function listPortAudioDevices(): AudioDevice[] {
  const pa = naudiodon();
  const apis = pa.getHostAPIs();
  const defaultApi = apis.HostAPIs[apis.defaultHostAPI];
  return pa.getDevices().map((d) => ({
    index: d.id,
    name: d.name,
    hostApi: d.hostAPIName,
    maxInputChannels: d.maxInputChannels,
    maxOutputChannels: d.maxOutputChannels,
    defaultSampleRate: d.defaultSampleRate,
    isDefaultInput: defaultApi?.defaultInput === d.id,
    isDefaultOutput: defaultApi?.defaultOutput === d.id,
  }));
}

/**
 * Finds a device by index, case-insensitive name (exact first, then substring) or 'default',
 * among devices that have channels in the wanted direction. Returns undefined when none fits:
 * naudiodon would silently use the default device instead, which we never want.
 */
export function resolveDevice(
  devices: readonly AudioDevice[],
  ref: number | string,
  direction: 'input' | 'output',
): AudioDevice | undefined {
  const usable = devices.filter((d) => (direction === 'input' ? d.maxInputChannels > 0 : d.maxOutputChannels > 0));
  if (ref === 'default') {
    return (
      usable.find((d) => (direction === 'input' ? d.isDefaultInput : d.isDefaultOutput)) ??
      usable.find((d) => d.name.toLowerCase() === 'default') ??
      usable[0]
    );
  }
  if (typeof ref === 'number') return usable.find((d) => d.index === ref);
  const wanted = ref.toLowerCase();
  return (
    usable.find((d) => d.name.toLowerCase() === wanted) ?? usable.find((d) => d.name.toLowerCase().includes(wanted))
  );
}

/**
 * Opens a PortAudio stream at `requestedRate`. A device that cannot run at that rate is opened
 * at its own default rate instead, and the caller resamples; any other failure is rethrown.
 */
export function openAtSupportedRate(
  device: Pick<AudioDevice, 'defaultSampleRate'>,
  requestedRate: number,
  open: (rate: number) => PortAudioStream,
): { readonly io: PortAudioStream; readonly rate: number } {
  try {
    return { io: open(requestedRate), rate: requestedRate };
  } catch (first) {
    if (device.defaultSampleRate === requestedRate || !/sample rate|format not supported/i.test(String(first))) throw first;
    const rate = Math.round(device.defaultSampleRate);
    return { io: open(rate), rate };
  }
}
