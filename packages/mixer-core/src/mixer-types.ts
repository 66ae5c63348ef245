/** Options for one mixer stream (one remote participant's track). */
export interface StreamOptions {
  /** Linear gain, 0..2. Default 1. */
  readonly volume?: number;
  /** Start muted. Default false. */
  readonly muted?: boolean;
  /** Human label (participant identity or name) carried into metrics. */
  readonly label?: string;
}

/** Block level of a stream or of the mix, for VU meters. */
export interface LevelReading {
  /** Peak of the last block in dBFS (-Infinity for digital silence is reported as -120). */
  readonly peakDbfs: number;
  /** RMS of the last block in dBFS (floor -120). */
  readonly rmsDbfs: number;
  /** Voice activity with hysteresis. */
  readonly speaking: boolean;
}

/** Counters and state of one stream. */
export interface StreamMetrics {
  readonly id: string;
  readonly label: string | undefined;
  readonly volume: number;
  readonly muted: boolean;
  /** 'buffering' until the jitter buffer reaches its target, then 'playing'. */
  readonly state: 'buffering' | 'playing';
  /** Frames (samples per channel) accepted by addAudioData. */
  readonly framesIn: number;
  /** Frames of real audio this stream contributed to the mix. */
  readonly framesOut: number;
  /** Times the stream ran dry while playing. */
  readonly underruns: number;
  /** Times input arrived while the buffer was at its maximum. */
  readonly overruns: number;
  /** Frames discarded to keep latency bounded (overruns and drift drain). */
  readonly droppedFrames: number;
  /** Audio currently buffered, in ms. */
  readonly bufferedMs: number;
  /** Prebuffer target now, in ms (moves when the mixer's latency is adaptive). */
  readonly targetMs: number;
  readonly level: LevelReading;
}

/** Counters and state of the whole mixer. */
export interface MixerMetrics {
  readonly sampleRate: number;
  readonly channels: number;
  readonly masterVolume: number;
  /** Frames (samples per channel) produced by reads. */
  readonly framesOut: number;
  /** Reads during which no stream had audio (silence was produced). */
  readonly underruns: number;
  /** Samples the limiter reduced. */
  readonly limitedSamples: number;
  readonly streamCount: number;
  readonly level: LevelReading;
  readonly streams: readonly StreamMetrics[];
}

/**
 * What a producer of per-participant audio needs from a mixer. Implemented by `AudioMixer` and
 * by device-io's proxy of the mixer that lives in the audio host process, so livekit-net and the
 * orchestrator work with either.
 */
export interface MixerSink {
  /** Adds a stream; adding an existing id is a no-op apart from applying the options. */
  addStream(id: string, options?: StreamOptions): void;
  /** Removes a stream and its buffered audio; unknown ids are ignored. */
  removeStream(id: string): void;
  hasStream(id: string): boolean;
  /** Queues interleaved int16 samples (the mixer's channel count) for a stream. */
  addAudioData(id: string, samples: Int16Array): void;
  setStreamVolume(id: string, volume: number): void;
  setStreamMuted(id: string, muted: boolean): void;
  setMasterVolume(volume: number): void;
  /** Latest metrics (for a remote proxy: the latest snapshot received). */
  getMetrics(): MixerMetrics;
}
