import type {} from 'vitest';

/** Connection details of the run-wide livekit-server, provided to tests as `inject('livekit')`. */
export interface ProvidedLivekit {
  readonly url: string;
  readonly apiKey: string;
  readonly apiSecret: string;
}

/** The run-wide PulseAudio daemon, provided to tests as `inject('pulse')`. */
export interface ProvidedPulse {
  readonly env: Readonly<Record<string, string>>;
  readonly micFifo: string;
  readonly speakerFifo: string;
  readonly sampleRate: number;
  readonly channels: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    livekit: ProvidedLivekit;
    pulse: ProvidedPulse;
  }
}
