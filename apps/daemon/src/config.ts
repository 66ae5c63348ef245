import { readFileSync } from 'node:fs';
import { hostname as osHostname, homedir as osHomedir } from 'node:os';
import { isIP } from 'node:net';
import { isAbsolute, join as joinPath } from 'node:path';
import { E2eeKeyFileError, defaultRecordingsDirectory, hasUnsafeCharacters, readE2eeKeyFile, sanitizeText, type FilePolicy } from '@alto/orchestrator';
import { parseNumber } from './cli-args.js';
import { ConfigError } from './errors.js';
import type { ConnectionSettings } from './supervisor.js';

/** Log levels pino understands. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Default control API address. */
export const DEFAULT_LISTEN = '127.0.0.1:7690';

/** Settings as one source (file, env or flags) gives them, before merging and validation. */
export interface SettingsLayer {
  readonly url?: string;
  readonly token?: string;
  readonly apiKey?: string;
  readonly apiSecret?: string;
  readonly room?: string;
  readonly identity?: string;
  readonly name?: string;
  readonly input?: string | number | false;
  readonly output?: string | number | false;
  readonly masterVolume?: number;
  readonly recordPath?: string;
  /** Voice processing; echo cancellation defaults to on with a real microphone and speakers. */
  readonly echoCancellation?: boolean;
  readonly noiseSuppression?: boolean;
  readonly highPassFilter?: boolean;
  readonly autoGainControl?: boolean;
  /** `'radio'`: play the room through the radio-style output filter. */
  readonly outputFilter?: string;
  /** Per-person playback buffer, ms (10..500). */
  readonly jitterBufferMs?: number;
  /** Fall back to the system default device when the chosen one vanishes. */
  readonly deviceFallback?: boolean;
  /** A voice agent to dispatch into the room (the minted token carries it). */
  readonly agent?: string;
  /** Microphone muted until a turn is started over the API. */
  readonly pushToTalk?: boolean;
  /** File holding the shared end-to-end encryption passphrase. */
  readonly e2eeKeyFile?: string;
  readonly listen?: string;
  readonly socket?: string;
  readonly allowRemote?: boolean;
  readonly tokenFile?: string;
  readonly join?: boolean;
  readonly logLevel?: string;
  /** The only directory API clients may record to (and read `wav:` inputs from, when allowed). */
  readonly recordingsDir?: string;
  /** Permission bits of files written for API clients, octal text such as "600". */
  readonly recordingMode?: string;
  /** Let API clients choose `wav:` inputs (files inside the recordings directory). */
  readonly apiAllowFileInput?: boolean;
  /** Let API clients choose `raw:-` (the daemon's stdin/stdout). */
  readonly apiAllowRaw?: boolean;
}

/** Where the control API listens. */
export type ListenEndpoint =
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number }
  | { readonly kind: 'socket'; readonly path: string };

/** The validated daemon configuration: what shapes the client, plus the daemon's own settings. */
export interface DaemonConfig extends ConnectionSettings {
  /** Voice processing on the microphone, every stage decided (absent in hand-built configs: all off). */
  readonly voice?: {
    readonly echoCancellation: boolean;
    readonly noiseSuppression: boolean;
    readonly highPassFilter: boolean;
    readonly autoGainControl: boolean;
  };
  readonly listen: ListenEndpoint;
  readonly allowRemote: boolean;
  readonly tokenFile: string;
  /** Join at start (false with `--no-join`). */
  readonly join: boolean;
  readonly logLevel: LogLevel;
  /** What API clients may make the daemon write and read (recordings, `wav:` and `raw:` specs). */
  readonly filePolicy: FilePolicy;
  /** The config file these settings were read from, if any (re-read on SIGHUP). */
  readonly configPath?: string;
}

/** Everything config resolution reads; injectable for tests. */
export interface ConfigSources {
  /** Flag settings from {@link parseCommandLine}. */
  readonly flags: SettingsLayer;
  /** `--config` path, if any (falls back to `ALTOD_CONFIG`). */
  readonly configPath?: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly readFile?: (path: string) => string;
  readonly homedir?: string;
  readonly hostname?: string;
}

const FILE_KEYS: Readonly<Record<keyof SettingsLayer, 'string' | 'number' | 'boolean' | 'device'>> = {
  url: 'string',
  token: 'string',
  apiKey: 'string',
  apiSecret: 'string',
  room: 'string',
  identity: 'string',
  name: 'string',
  input: 'device',
  output: 'device',
  masterVolume: 'number',
  recordPath: 'string',
  echoCancellation: 'boolean',
  noiseSuppression: 'boolean',
  highPassFilter: 'boolean',
  autoGainControl: 'boolean',
  outputFilter: 'string',
  jitterBufferMs: 'number',
  deviceFallback: 'boolean',
  agent: 'string',
  pushToTalk: 'boolean',
  e2eeKeyFile: 'string',
  listen: 'string',
  socket: 'string',
  allowRemote: 'boolean',
  tokenFile: 'string',
  join: 'boolean',
  logLevel: 'string',
  recordingsDir: 'string',
  recordingMode: 'string',
  apiAllowFileInput: 'boolean',
  apiAllowRaw: 'boolean',
};

/** Parses the JSON config file text; unknown keys and wrong types are errors. */
export function parseConfigFile(text: string, path: string): SettingsLayer {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`config file ${path} is not valid JSON (${detail}); fix it or drop --config`, {
      cause: error,
    });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ConfigError(`config file ${path} must hold a JSON object such as {"url": "wss://…", "room": "lobby"}`);
  }
  const layer: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    const kind = (FILE_KEYS as Record<string, string | undefined>)[key];
    if (kind === undefined) {
      throw new ConfigError(
        `config file ${path}: unknown key "${key}"; known keys are ${Object.keys(FILE_KEYS).join(', ')}`,
      );
    }
    const ok =
      kind === 'device'
        ? typeof value === 'string' || typeof value === 'number' || value === false
        : typeof value === kind;
    if (!ok) {
      const want = kind === 'device' ? 'a string, a device index or false' : `a ${kind}`;
      throw new ConfigError(`config file ${path}: "${key}" must be ${want}, got ${JSON.stringify(value)}`);
    }
    layer[key] = value;
  }
  return layer;
}

function envBoolean(env: ConfigSources['env'], name: string): boolean | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be 1/true or 0/false, got "${raw}"`);
}

/** Reads the env layer: `LIVEKIT_*` credentials and `ALTOD_*` daemon settings. */
export function settingsFromEnv(env: ConfigSources['env']): SettingsLayer {
  const layer: Record<string, unknown> = {};
  const str = (key: keyof SettingsLayer, name: string): void => {
    const value = env[name];
    if (value !== undefined && value !== '') layer[key] = value;
  };
  str('url', 'LIVEKIT_URL');
  str('token', 'LIVEKIT_TOKEN');
  str('apiKey', 'LIVEKIT_API_KEY');
  str('apiSecret', 'LIVEKIT_API_SECRET');
  str('room', 'ALTOD_ROOM');
  str('identity', 'ALTOD_IDENTITY');
  str('name', 'ALTOD_NAME');
  str('input', 'ALTOD_INPUT_DEVICE');
  str('output', 'ALTOD_OUTPUT_DEVICE');
  str('recordPath', 'ALTOD_RECORD');
  str('listen', 'ALTOD_LISTEN');
  str('socket', 'ALTOD_SOCKET');
  str('tokenFile', 'ALTOD_TOKEN_FILE');
  str('logLevel', 'ALTOD_LOG_LEVEL');
  str('outputFilter', 'ALTOD_OUTPUT_FILTER');
  str('agent', 'ALTOD_AGENT');
  str('recordingsDir', 'ALTOD_RECORDINGS_DIR');
  str('recordingMode', 'ALTOD_RECORDING_MODE');
  str('e2eeKeyFile', 'ALTO_E2EE_KEY_FILE');
  const voiceEnv = [
    ['echoCancellation', 'ALTOD_AEC'],
    ['noiseSuppression', 'ALTOD_NOISE_SUPPRESSION'],
    ['highPassFilter', 'ALTOD_HIGH_PASS_FILTER'],
    ['autoGainControl', 'ALTOD_AUTO_GAIN_CONTROL'],
    ['deviceFallback', 'ALTOD_DEVICE_FALLBACK'],
    ['pushToTalk', 'ALTOD_PUSH_TO_TALK'],
    ['apiAllowFileInput', 'ALTOD_API_ALLOW_FILE_INPUT'],
    ['apiAllowRaw', 'ALTOD_API_ALLOW_RAW'],
  ] as const;
  for (const [key, name] of voiceEnv) {
    const value = envBoolean(env, name);
    if (value !== undefined) layer[key] = value;
  }
  const jitter = env.ALTOD_JITTER_BUFFER_MS;
  if (jitter !== undefined && jitter !== '') layer.jitterBufferMs = parseNumber(jitter, 'ALTOD_JITTER_BUFFER_MS');
  const volume = env.ALTOD_MASTER_VOLUME;
  if (volume !== undefined && volume !== '') layer.masterVolume = parseNumber(volume, 'ALTOD_MASTER_VOLUME');
  const allowRemote = envBoolean(env, 'ALTOD_ALLOW_REMOTE');
  if (allowRemote !== undefined) layer.allowRemote = allowRemote;
  const noJoin = envBoolean(env, 'ALTOD_NO_JOIN');
  if (noJoin !== undefined) layer.join = !noJoin;
  return layer;
}

/** `'none'`/`'off'`/`false` → no device; digits → a device index; anything else as given. */
export function parseDeviceSpec(value: string | number | false, what: string): string | number | false {
  if (value === false) return false;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) throw new ConfigError(`${what} index must be a whole number ≥ 0, got ${value}`);
    return value;
  }
  const text = value.trim();
  if (text === '') throw new ConfigError(`${what} is empty; use 'default', a device index or name, or 'none'`);
  if (/^(none|off|false)$/i.test(text)) return false;
  if (/^\d+$/.test(text)) return Number(text);
  return text;
}

/** A PortAudio device (default, index or name) rather than a backend or none. */
function isRealDevice(spec: string | number | false): boolean {
  if (spec === false) return false;
  if (typeof spec === 'number') return true;
  return !/^(tone:|wav:|raw:|silence$|null$)/i.test(spec);
}

/** True for addresses that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** Parses `host:port` or `[v6]:port`; port 0 asks the OS for a free one. */
export function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text.trim());
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (host === undefined || !Number.isInteger(port) || port > 65535) {
    throw new ConfigError(`--listen must be host:port such as 127.0.0.1:7690 or [::1]:7690, got "${text}"`);
  }
  return { host, port };
}

/** Merges layers (later wins) key by key; `listen` and `socket` count as one setting. */
export function mergeLayers(layers: readonly SettingsLayer[]): SettingsLayer {
  const merged: Record<string, unknown> = {};
  for (const layer of layers) {
    if (layer.listen !== undefined && layer.socket !== undefined) {
      throw new ConfigError('both a TCP --listen address and a --socket are set in one place; choose one');
    }
    if (layer.listen !== undefined) delete merged.socket;
    if (layer.socket !== undefined) delete merged.listen;
    for (const [key, value] of Object.entries(layer)) if (value !== undefined) merged[key] = value;
  }
  return merged;
}

/** Validates merged settings into a {@link DaemonConfig}. */
export function validateSettings(
  s: SettingsLayer,
  context: { homedir: string; hostname: string; configPath?: string | undefined; env?: ConfigSources['env'] },
): DaemonConfig {
  if (s.url === undefined) throw new ConfigError('no LiveKit URL: pass --url or set LIVEKIT_URL (e.g. wss://my.livekit.cloud)');
  // "URL1,URL2": the nodes of one cluster, joined in order of preference (client-side failover).
  const urls = s.url.split(',').map((u) => u.trim());
  for (const url of urls) {
    if (!/^(wss?|https?):\/\/[^\s/]+/i.test(url)) {
      throw new ConfigError(`LiveKit URL "${url}" must start with ws://, wss://, http:// or https://; separate cluster nodes with commas`);
    }
  }
  const hasKey = s.apiKey !== undefined;
  if (hasKey !== (s.apiSecret !== undefined)) {
    throw new ConfigError('LIVEKIT_API_KEY and LIVEKIT_API_SECRET go together: set both (or use LIVEKIT_TOKEN)');
  }
  if (!hasKey && s.token === undefined) {
    throw new ConfigError('no LiveKit credentials: set LIVEKIT_API_KEY and LIVEKIT_API_SECRET, or LIVEKIT_TOKEN');
  }
  const join = s.join ?? true;
  if (join && s.token === undefined && s.room === undefined) {
    throw new ConfigError('no room to join: pass --room-name or set ALTOD_ROOM (or start with --no-join and POST /v1/join)');
  }
  const masterVolume = s.masterVolume ?? 1;
  if (!(masterVolume >= 0 && masterVolume <= 2)) {
    throw new ConfigError(`master volume must be between 0 and 2, got ${masterVolume}`);
  }
  if (s.jitterBufferMs !== undefined && !(Number.isInteger(s.jitterBufferMs) && s.jitterBufferMs >= 10 && s.jitterBufferMs <= 500)) {
    throw new ConfigError(`jitter buffer must be a whole number of ms between 10 and 500, got ${s.jitterBufferMs}`);
  }
  const logLevel = s.logLevel ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`log level "${logLevel}" is not one of ${LOG_LEVELS.join(', ')}`);
  }
  const allowRemote = s.allowRemote ?? false;
  let listen: ListenEndpoint;
  if (s.socket !== undefined) {
    if (s.socket.trim() === '') throw new ConfigError('--socket needs a path such as /run/altod/api.sock');
    listen = { kind: 'socket', path: s.socket };
  } else {
    const { host, port } = parseListen(s.listen ?? DEFAULT_LISTEN);
    if (!isLoopbackHost(host) && !allowRemote) {
      throw new ConfigError(
        `--listen ${host}:${port} is reachable from other machines; add --allow-remote if you mean it, or use 127.0.0.1`,
      );
    }
    listen = { kind: 'tcp', host, port };
  }
  if (s.agent !== undefined && (s.apiKey === undefined || s.apiSecret === undefined)) {
    throw new ConfigError(`agent "${s.agent}" cannot be dispatched with a ready token (its room configuration is fixed when minted); set LIVEKIT_API_KEY and LIVEKIT_API_SECRET`);
  }
  for (const key of ['room', 'identity', 'name', 'recordPath', 'tokenFile', 'token', 'apiKey', 'apiSecret', 'agent', 'e2eeKeyFile'] as const) {
    if (s[key] !== undefined && s[key].trim() === '') throw new ConfigError(`${key} is set but empty; remove it or give a value`);
  }
  if (s.outputFilter !== undefined && s.outputFilter !== 'radio') {
    throw new ConfigError(`output filter "${s.outputFilter}" is unknown; the only one is "radio"`);
  }
  if (s.recordingsDir !== undefined && (!isAbsolute(s.recordingsDir) || hasUnsafeCharacters(s.recordingsDir))) {
    throw new ConfigError(`recordings directory "${sanitizeText(s.recordingsDir)}" must be an absolute path without control characters`);
  }
  const recordingMode = s.recordingMode ?? '600';
  if (!/^0?[0-7]{3}$/.test(recordingMode) || (Number.parseInt(recordingMode, 8) & 0o600) !== 0o600) {
    throw new ConfigError(`recording mode "${sanitizeText(recordingMode)}" must be octal permission bits that let the daemon read and write, e.g. 600 or 640`);
  }
  const filePolicy: FilePolicy = {
    directory: s.recordingsDir ?? defaultRecordingsDirectory('altod', context.env ?? {}, context.homedir),
    fileMode: Number.parseInt(recordingMode, 8),
    allowFileInput: s.apiAllowFileInput ?? false,
    allowRaw: s.apiAllowRaw ?? false,
  };
  const input = parseDeviceSpec(s.input ?? 'default', 'input device');
  const output = parseDeviceSpec(s.output ?? 'default', 'output device');
  if (s.pushToTalk === true && input === false) throw new ConfigError('push-to-talk needs a microphone, but the input device is none');
  const config: DaemonConfig = {
    url: urls[0]!,
    ...(urls.length > 1 ? { fallbackUrls: urls.slice(1) } : {}),
    identity: s.identity ?? `altod-${context.hostname}`,
    input,
    output,
    masterVolume,
    voice: {
      // Only a real microphone next to real speakers can pick up an echo.
      echoCancellation: s.echoCancellation ?? (isRealDevice(input) && isRealDevice(output)),
      noiseSuppression: s.noiseSuppression ?? false,
      highPassFilter: s.highPassFilter ?? false,
      autoGainControl: s.autoGainControl ?? false,
    },
    ...(s.outputFilter === 'radio' ? { outputFilter: 'radio' as const } : {}),
    ...(s.jitterBufferMs !== undefined ? { jitterBufferMs: s.jitterBufferMs } : {}),
    ...(s.deviceFallback !== undefined ? { deviceFallback: s.deviceFallback } : {}),
    ...(s.agent !== undefined ? { agent: s.agent } : {}),
    ...(s.pushToTalk === true ? { pushToTalk: true } : {}),
    ...(s.e2eeKeyFile !== undefined ? { e2eeKeyFile: s.e2eeKeyFile } : {}),
    listen,
    allowRemote,
    tokenFile: s.tokenFile ?? joinPath(context.homedir, '.config', 'altod', 'token'),
    join,
    logLevel: logLevel as LogLevel,
    filePolicy,
    ...(s.token !== undefined ? { token: s.token } : {}),
    ...(s.apiKey !== undefined ? { apiKey: s.apiKey } : {}),
    ...(s.apiSecret !== undefined ? { apiSecret: s.apiSecret } : {}),
    ...(s.room !== undefined ? { room: s.room } : {}),
    ...(s.name !== undefined ? { name: s.name } : {}),
    ...(s.recordPath !== undefined ? { recordPath: s.recordPath } : {}),
    ...(context.configPath !== undefined ? { configPath: context.configPath } : {}),
  };
  return config;
}

/**
 * Resolves the daemon configuration: the config file (if any), then env, then flags, each
 * overriding the one before. Raises {@link ConfigError} with a one-line message on any problem.
 * Called again on SIGHUP (same flags and env, the file re-read).
 */
export function loadConfig(sources: ConfigSources): DaemonConfig {
  const readFile = sources.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  const configPath = sources.configPath ?? (sources.env.ALTOD_CONFIG || undefined);
  let fileLayer: SettingsLayer = {};
  if (configPath !== undefined) {
    let text: string;
    try {
      text = readFile(configPath);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new ConfigError(`cannot read config file ${configPath} (${code}); check the path given to --config`, {
        cause: error,
      });
    }
    fileLayer = parseConfigFile(text, configPath);
  }
  const merged = mergeLayers([fileLayer, settingsFromEnv(sources.env), sources.flags]);
  const config = validateSettings(merged, {
    homedir: sources.homedir ?? osHomedir(),
    hostname: sources.hostname ?? osHostname(),
    configPath,
    env: sources.env,
  });
  return config.e2eeKeyFile === undefined ? config : { ...config, e2eeKey: loadE2eeKey(config.e2eeKeyFile) };
}

/** Reads the E2EE passphrase (re-read on SIGHUP with the rest); an unusable file is a config error. */
function loadE2eeKey(path: string): string {
  try {
    return readE2eeKeyFile(path);
  } catch (error) {
    if (error instanceof E2eeKeyFileError) throw new ConfigError(error.message, { cause: error });
    throw error;
  }
}
