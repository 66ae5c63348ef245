import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { dispose, type LocalAudioTrack } from '@livekit/rtc-node';
import type { Logger } from '@alto/mixer-core';
import { MuteError } from './errors.js';

/** Levels accepted by {@link configureSdkLogging}. */
export type SdkLogLevel = 'silent' | 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

interface PinoLike {
  level: string;
  [key: symbol]: unknown;
}

function sdkPino(): PinoLike | undefined {
  // The SDK's pino instance is not exported. Its CJS build keeps it in dist/log.cjs, which the
  // SDK's own index.cjs requires, so requiring the same absolute path yields the same instance.
  try {
    const require = createRequire(import.meta.url);
    const entry = require.resolve('@livekit/rtc-node');
    const mod = require(join(dirname(entry), 'log.cjs')) as { log?: PinoLike };
    return mod.log;
  } catch {
    return undefined;
  }
}

const PINO_LEVELS: Record<number, keyof Logger> = { 10: 'debug', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'error' };

/**
 * Controls the SDK's own logging. @livekit/rtc-node logs through pino straight to stdout at
 * `debug` unless NODE_ENV=production (e.g. "Connect callback received"), which would corrupt a
 * TUI or a piped stdout. Default: `silent`. With `logger`, SDK lines at or above `level` are
 * forwarded to it instead of stdout. Returns false if the SDK's logger could not be found
 * (a future SDK layout); then set NODE_ENV=production before importing the SDK as a fallback.
 */
export function configureSdkLogging(options: { level?: SdkLogLevel; logger?: Logger } = {}): boolean {
  const pino = sdkPino();
  if (!pino) return false;
  pino.level = options.level ?? 'silent';
  const logger = options.logger;
  if (logger) {
    const streamSym = Object.getOwnPropertySymbols(pino).find((s) => s.description === 'pino.stream');
    if (!streamSym) return false;
    pino[streamSym] = {
      write(line: string): void {
        try {
          const entry = JSON.parse(line) as { level?: number; msg?: string; err?: unknown };
          const method = PINO_LEVELS[entry.level ?? 30] ?? 'info';
          logger[method]('livekit sdk', { sdk: entry.msg, ...(entry.err ? { err: entry.err } : {}) });
        } catch {
          logger.info('livekit sdk', { sdk: line.trim() });
        }
      },
    };
  }
  return true;
}

/**
 * Releases the SDK's native layer so the process can exit. `dispose()` can wedge, so it is
 * raced against `timeoutMs`; resolves true if it finished in time. Call once, at shutdown, after
 * every session's `disconnect()`.
 */
export async function shutdownLiveKit(timeoutMs = 3000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([dispose().then(() => true as const), timedOut]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Mutes or unmutes a published local track through the FFI `localTrackMute` request: the SDK
 * has no wrapper, but the native layer disables the sender and signals the mute to the server,
 * so others get a `trackMuted` event. Returns the muted state the native layer reports.
 */
export function setLocalTrackMuted(track: LocalAudioTrack, muted: boolean): boolean {
  const client = globalThis._ffiClientInstance;
  if (!client) throw new MuteError('Cannot mute: the LiveKit native layer is not initialised');
  try {
    const response = client.request<{ muted?: boolean }>({
      message: { case: 'localTrackMute', value: { trackHandle: track.ffi_handle.handle, mute: muted } },
    });
    return response.muted ?? muted;
  } catch (error) {
    throw new MuteError(`The native ${muted ? 'mute' : 'unmute'} request failed`, { cause: error });
  }
}
