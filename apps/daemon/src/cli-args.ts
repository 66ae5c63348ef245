import { parseArgs } from 'node:util';
import { ConfigError } from './errors.js';
import type { SettingsLayer } from './config.js';

/** The `altod --help` text. */
export const USAGE = `altod — the headless Alto daemon: stays in a LiveKit room, controlled over a local HTTP API.

Usage: altod [options]

Connection (credentials come from env or the config file, never from flags):
  --url <url>               LiveKit server URL (env LIVEKIT_URL)
  --room-name <room>        room to join (env ALTOD_ROOM)
  --identity <identity>     participant identity (env ALTOD_IDENTITY; default altod-<hostname>)
  --name <name>             display name (env ALTOD_NAME)
  --no-join                 start without joining; wait for POST /v1/join (env ALTOD_NO_JOIN=1)
  --e2ee-key-file <path>    encrypt audio end to end with the passphrase in this file (mode 600;
                            everyone in the room needs the same; env ALTO_E2EE_KEY_FILE)
Audio:
  --input-device <spec>     'default', a device index or name, tone:<hz>, wav:<path>, silence, none
  --output-device <spec>    'default', a device index or name, null, wav:<path>, none
  --master-volume <0..2>    master playback volume (env ALTOD_MASTER_VOLUME)
  --record <path.wav>       record what the daemon hears (env ALTOD_RECORD)
  --recordings-dir <dir>    the only directory API clients may record to (env ALTOD_RECORDINGS_DIR;
                            default ~/.local/share/altod/recordings)
  --recording-mode <octal>  permission bits of files written for API clients (default 600)
  --api-allow-file-input    let API clients pick wav: inputs from the recordings directory
  --api-allow-raw           let API clients pick raw:- (the daemon's stdin/stdout)
  --enable-aec, --no-aec    echo cancellation on/off (default on with a real mic and speakers; env ALTOD_AEC)
  --noise-suppression       suppress background noise (env ALTOD_NOISE_SUPPRESSION=1)
  --high-pass-filter        cut low rumble (env ALTOD_HIGH_PASS_FILTER=1)
  --auto-gain-control       even out the microphone level (env ALTOD_AUTO_GAIN_CONTROL=1)
  --use-audio-out-filter    radio-style output filter (env ALTOD_OUTPUT_FILTER=radio)
  --jitter-buffer <ms>      fixed per-person playback buffer, 10..500 (default adaptive; env ALTOD_JITTER_BUFFER_MS)
  --no-device-fallback      wait for a vanished mic/speaker instead of using the system default
                            (env ALTOD_DEVICE_FALLBACK=0)
Voice agents:
  --agent <name>            dispatch this agent into the room through the minted token
                            (needs LIVEKIT_API_KEY/SECRET; env ALTOD_AGENT)
  --push-to-talk            microphone muted until POST /v1/turn/start (env ALTOD_PUSH_TO_TALK=1)
Control API:
  --listen <host:port>      TCP address (default 127.0.0.1:7690; env ALTOD_LISTEN)
  --socket <path>           listen on a Unix socket instead (env ALTOD_SOCKET)
  --allow-remote            allow --listen on a non-loopback address (env ALTOD_ALLOW_REMOTE=1)
  --token-file <path>       API bearer token file, created 0600 on first start
                            (default ~/.config/altod/token; or set ALTOD_API_TOKEN)
Other:
  --config <path>           JSON config file (env ALTOD_CONFIG); flags > env > file
  --log-level <level>       trace, debug, info, warn, error, fatal or silent (default info)
  -h, --help                show this help
  -v, --version             show the version

Env: LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET, LIVEKIT_TOKEN, ALTOD_* as above.
Signals: SIGTERM/SIGINT leave the room and exit 0; SIGHUP reloads the config file.
`;

/** What the command line asked for. */
export interface CommandLine {
  readonly help: boolean;
  readonly version: boolean;
  /** `--config`, if given. */
  readonly configPath: string | undefined;
  /** The settings given as flags (the highest-precedence layer). */
  readonly flags: SettingsLayer;
}

/**
 * Parses `altod`'s argv (without node and script). Unknown flags and missing values raise a
 * {@link ConfigError} whose message names the flag and points at `--help`.
 */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        config: { type: 'string' },
        url: { type: 'string' },
        'room-name': { type: 'string' },
        identity: { type: 'string' },
        name: { type: 'string' },
        'no-join': { type: 'boolean' },
        'input-device': { type: 'string' },
        'output-device': { type: 'string' },
        'master-volume': { type: 'string' },
        record: { type: 'string' },
        'recordings-dir': { type: 'string' },
        'recording-mode': { type: 'string' },
        'api-allow-file-input': { type: 'boolean' },
        'api-allow-raw': { type: 'boolean' },
        'enable-aec': { type: 'boolean' },
        'no-aec': { type: 'boolean' },
        'noise-suppression': { type: 'boolean' },
        'high-pass-filter': { type: 'boolean' },
        'auto-gain-control': { type: 'boolean' },
        'use-audio-out-filter': { type: 'boolean' },
        'jitter-buffer': { type: 'string' },
        'no-device-fallback': { type: 'boolean' },
        agent: { type: 'string' },
        'push-to-talk': { type: 'boolean' },
        'e2ee-key-file': { type: 'string' },
        listen: { type: 'string' },
        socket: { type: 'string' },
        'allow-remote': { type: 'boolean' },
        'token-file': { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ConfigError(`${detail} — run \`altod --help\` for the accepted options`, { cause: error });
  }
  const v = parsed.values;
  const flags: Record<string, unknown> = {};
  const set = (key: keyof SettingsLayer, value: unknown): void => {
    if (value !== undefined) flags[key] = value;
  };
  set('url', v.url);
  set('room', v['room-name']);
  set('identity', v.identity);
  set('name', v.name);
  if (v['no-join'] === true) flags.join = false;
  set('input', v['input-device']);
  set('output', v['output-device']);
  if (v['master-volume'] !== undefined) flags.masterVolume = parseNumber(v['master-volume'], '--master-volume');
  set('recordPath', v.record);
  set('recordingsDir', v['recordings-dir']);
  set('recordingMode', v['recording-mode']);
  if (v['api-allow-file-input'] === true) flags.apiAllowFileInput = true;
  if (v['api-allow-raw'] === true) flags.apiAllowRaw = true;
  if (v['enable-aec'] === true && v['no-aec'] === true) throw new ConfigError('--enable-aec and --no-aec contradict each other; keep one');
  if (v['enable-aec'] === true) flags.echoCancellation = true;
  if (v['no-aec'] === true) flags.echoCancellation = false;
  if (v['noise-suppression'] === true) flags.noiseSuppression = true;
  if (v['high-pass-filter'] === true) flags.highPassFilter = true;
  if (v['auto-gain-control'] === true) flags.autoGainControl = true;
  if (v['use-audio-out-filter'] === true) flags.outputFilter = 'radio';
  if (v['jitter-buffer'] !== undefined) flags.jitterBufferMs = parseNumber(v['jitter-buffer'], '--jitter-buffer');
  if (v['no-device-fallback'] === true) flags.deviceFallback = false;
  set('agent', v.agent);
  if (v['push-to-talk'] === true) flags.pushToTalk = true;
  set('e2eeKeyFile', v['e2ee-key-file']);
  set('listen', v.listen);
  set('socket', v.socket);
  if (v['allow-remote'] === true) flags.allowRemote = true;
  set('tokenFile', v['token-file']);
  set('logLevel', v['log-level']);
  return {
    help: v.help === true,
    version: v.version === true,
    configPath: v.config,
    flags: flags,
  };
}

/** Parses a decimal number or raises a ConfigError naming where it came from. */
export function parseNumber(text: string, where: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) {
    throw new ConfigError(`${where} must be a number, got "${text}"`);
  }
  return value;
}
