/** Raised when a real part (server, sound daemon) cannot be installed, started or stopped. */
export class HarnessError extends Error {
  override readonly name = 'HarnessError';
  /** Set when a server failed because a port it was given was taken meanwhile. */
  portInUse = false;
  constructor(
    readonly code:
      | 'LIVEKIT_SERVER_MISSING'
      | 'LIVEKIT_SERVER_INSTALL_FAILED'
      | 'LIVEKIT_SERVER_START_FAILED'
      | 'PULSEAUDIO_MISSING'
      | 'PULSEAUDIO_START_FAILED',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
