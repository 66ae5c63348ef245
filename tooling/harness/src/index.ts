export { HarnessError } from './errors.js';
export { freeTcpPort, freeUdpPort } from './free-port.js';
export { cacheDir, repoRoot } from './repo-root.js';
export {
  LIVEKIT_SERVER_VERSION,
  ensureLivekitServerBinary,
  findLivekitServerBinary,
  startLivekitServer,
  type LivekitServer,
  type LivekitServerOptions,
} from './livekit-server.js';
export {
  VIRTUAL_DEVICES,
  startPulseAudio,
  type PulseAudio,
  type PulseAudioOptions,
} from './pulse-audio.js';
export { MicFeeder, SpeakerTap } from './fifo-audio.js';
export {
  concatInt16,
  goertzelPower,
  rms,
  sineInt16,
  strongestTone,
  zeroCrossingFrequency,
} from './signals.js';
export type { ProvidedLivekit, ProvidedPulse } from './provided-context.js';
