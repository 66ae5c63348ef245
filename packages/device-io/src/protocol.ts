/** Messages on the JSON IPC channel between the parent and the audio host. Internal. */
import type { MixerMetrics, StreamOptions } from '@alto/mixer-core';
import type { InputSource, OutputSink } from './spec.js';

/** A sound device as PortAudio lists it. */
export interface AudioDevice {
  /** PortAudio device index (what `openAudioInput(index)` takes). */
  readonly index: number;
  readonly name: string;
  readonly hostApi: string;
  readonly maxInputChannels: number;
  readonly maxOutputChannels: number;
  readonly defaultSampleRate: number;
  readonly isDefaultInput: boolean;
  readonly isDefaultOutput: boolean;
}

/** Counters of one device handler (input or output), as the host reports them. */
export interface DeviceCounters {
  /** Backend: 'portaudio', 'tone', 'silence', 'wav', 'raw' or 'null'. */
  readonly backend: string;
  /** Device or file the handler uses. */
  readonly deviceName: string;
  /** Rate the device/file actually runs at (resampled to `sampleRate` when different). */
  readonly deviceSampleRate: number;
  /** 10 ms frames delivered (input) or played (output). */
  readonly frames: number;
  /** Input overflows reported by PortAudio, or frames dropped because the host fell behind. */
  readonly overflows: number;
  /** Output underflows reported by PortAudio (device starved). */
  readonly underruns: number;
  /** Other device errors reported while running. */
  readonly errors: number;
  /** Estimated latency the handler adds, in ms. */
  readonly latencyMs: number;
}

/** Parent → host. */
export type HostRequest =
  | { readonly t: 'list' }
  | {
      readonly t: 'open-input';
      readonly source: InputSource;
      readonly sampleRate: number;
      readonly channels: number;
      readonly sampleFormat: 'int16' | 'float32';
    }
  | {
      readonly t: 'open-output';
      readonly sink: OutputSink;
      readonly sampleRate: number;
      readonly channels: number;
      readonly targetLatencyMs: number;
      readonly maxLatencyMs: number;
      readonly outputQueue: number;
      /** Jitter targets and the output's blocks ahead follow what is observed (start values above). */
      readonly adaptive?: boolean;
      /** A master insert run on each mixed block before the device write. */
      readonly outputFilter?: 'radio';
    }
  | { readonly t: 'stop' };

/** Host → parent. */
export type HostReply =
  | { readonly t: 'devices'; readonly devices: AudioDevice[] }
  | {
      readonly t: 'opened';
      readonly deviceName: string;
      readonly deviceSampleRate: number;
      /** The scheduling the host obtained, e.g. 'SCHED_RR 5 for 7 of 18 threads', 'nice -11', 'normal'. */
      readonly priority?: string;
      /** PortAudio's period of a sound-device output, ms. */
      readonly periodMs?: number;
      /** Shortest lead an adaptive sound-device output defers its writes to, ms (10: never deferred). */
      readonly minLeadMs?: number;
    }
  | {
      readonly t: 'error';
      readonly code: 'DEVICE_NOT_FOUND' | 'DEVICE_OPEN_FAILED' | 'WAV_FORMAT' | 'RUNTIME' | 'MIXER_COMMAND';
      readonly message: string;
      readonly requested?: string | number;
      readonly direction?: 'input' | 'output';
      readonly devices?: AudioDevice[];
    }
  | { readonly t: 'metrics'; readonly device: DeviceCounters; readonly mixer?: MixerMetrics }
  | { readonly t: 'stopped' };

/** Mixer commands sent in order with the audio over the binary pipe. */
export type MixerCommand =
  | { readonly op: 'add'; readonly id: string; readonly index: number; readonly options?: StreamOptions }
  | { readonly op: 'remove'; readonly id: string }
  | { readonly op: 'volume'; readonly id: string; readonly volume: number }
  | { readonly op: 'mute'; readonly id: string; readonly muted: boolean }
  | { readonly op: 'master'; readonly volume: number };
