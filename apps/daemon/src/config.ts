import { readFileSync } from 'node:fs';
import { hostname as osHostname, homedir as osHomedir } from 'node:os';
import { isIP } from 'node:net';
import { isAbsolute, join as joinPath } from 'node:path';
import {
  DEFAULT_LISTEN,
  E2eeKeyFileError,
  readE2eeKeyFile,
  SETTINGS,
  SettingError,
  configKeyOf,
  effectiveSettings,
  defaultRecordingsDirectory,
  formatInputSource,
  formatOutputSink,
  hasUnsafeCharacters,
  inputSpecSchema,
  outputSpecSchema,
  resolveSettings,
  sanitizeText,
  type DeviceValue,
  type FilePolicy,
  type InputSource,
  type LogLevel,
  type OutputSink,
  type ParsedArgv,
  type ResolvedSettings,
} from '@alto/orchestrator';
import { ConfigError } from './errors.js';
import type { ConnectionSettings } from './supervisor.js';

export { DEFAULT_LISTEN, LOG_LEVELS, type LogLevel } from '@alto/orchestrator';

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
  /** The flags from `parseCommandLine`. */
  readonly flags: Pick<ParsedArgv, 'flags' | 'spelled'>;
  /** `--config` path, if any (falls back to `ALTOD_CONFIG`). */
  readonly configPath?: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly readFile?: (path: string) => string;
  readonly homedir?: string;
  readonly hostname?: string;
}

const FILE_KEYS: readonly string[] = SETTINGS.map(configKeyOf).filter((key): key is string => key !== undefined);

/** Parses the JSON config file text; unknown keys are errors (wrong types are found when the settings are read). */
export function parseConfigFile(text: string, path: string): Record<string, unknown> {
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
  for (const key of Object.keys(data)) {
    if (!FILE_KEYS.includes(key)) {
      throw new ConfigError(`config file ${path}: unknown key "${sanitizeText(key).slice(0, 60)}"; known keys are ${FILE_KEYS.join(', ')}`);
    }
  }
  return data as Record<string, unknown>;
}

/**
 * `'none'`/`'off'`/`false` → no device; anything else checked by device-io's parser: a device
 * comes back as its index or name, a backend as its text.
 * @param role which end: inputs and outputs accept different backends
 * @throws {ConfigError} one line naming `what`
 */
export function parseDeviceSpec(value: string | number | false, what: string, role: 'input' | 'output' = /output/.test(what) ? 'output' : 'input'): string | number | false {
  if (value === false || (typeof value === 'string' && /^(none|off|false)$/i.test(value.trim()))) return false;
  if (typeof value === 'string' && value.trim() === '') throw new ConfigError(`${what} is empty; use 'default', a device index or name, or 'none'`);
  const schema = role === 'input' ? inputSpecSchema({ label: `${what}:` }) : outputSpecSchema({ label: `${what}:` });
  const result = schema.safeParse(value);
  if (!result.success) throw new ConfigError(result.error.issues[0]?.message ?? `${what} is not a device`);
  // Devices read back as their index or name; backends keep their text, so a relative `wav:` path
  // is still relative for whoever resolves it (the API resolves it in the recordings directory).
  const parsed = result.data;
  return parsed.kind === 'device' ? parsed.device : String(value).trim();
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

/** Validates resolved settings (each already checked against its schema) into a {@link DaemonConfig}. */
export function validateSettings(
  resolved: ResolvedSettings,
  context: { homedir: string; hostname: string; configPath?: string | undefined; env?: ConfigSources['env'] },
): DaemonConfig {
  const get = <T>(key: string): T | undefined => resolved.get(key)?.value as T | undefined;
  const s = {
    url: get<string>('url'),
    token: get<string>('token'),
    apiKey: get<string>('apiKey'),
    apiSecret: get<string>('apiSecret'),
    room: get<string>('room'),
    agent: get<string>('agent'),
    recordingsDir: get<string>('recordingsDir'),
  };
  if (s.url === undefined) throw new ConfigError('no LiveKit URL: pass --url or set LIVEKIT_URL (e.g. wss://my.livekit.cloud)');
  // "URL1,URL2": the nodes of one cluster, joined in order of preference (client-side failover).
  const urls = s.url.split(',').map((u) => u.trim());
  const hasKey = s.apiKey !== undefined;
  if (hasKey !== (s.apiSecret !== undefined)) {
    throw new ConfigError('LIVEKIT_API_KEY and LIVEKIT_API_SECRET go together: set both (or use LIVEKIT_TOKEN)');
  }
  if (!hasKey && s.token === undefined) {
    throw new ConfigError('no LiveKit credentials: set LIVEKIT_API_KEY and LIVEKIT_API_SECRET, or LIVEKIT_TOKEN');
  }
  const join = get<boolean>('join') ?? true;
  if (join && s.token === undefined && s.room === undefined) {
    throw new ConfigError('no room to join: pass --room-name or set ALTOD_ROOM (or start with --no-join and POST /v1/join)');
  }
  const allowRemote = get<boolean>('allowRemote') ?? false;
  let listen: ListenEndpoint;
  const socket = resolved.get('socket');
  const tcp = resolved.get('listen');
  // `listen` and `socket` are one choice: the stronger source wins; one source may not give both.
  if (socket !== undefined && tcp !== undefined && socket.rank === tcp.rank) {
    throw new ConfigError('both a TCP --listen address and a --socket are set in one place; choose one');
  }
  if (socket !== undefined && (tcp === undefined || socket.rank > tcp.rank)) {
    listen = { kind: 'socket', path: socket.value as string };
  } else {
    const { host, port } = parseListen((tcp?.value as string | undefined) ?? DEFAULT_LISTEN);
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
  if (s.recordingsDir !== undefined && (!isAbsolute(s.recordingsDir) || hasUnsafeCharacters(s.recordingsDir))) {
    throw new ConfigError(`recordings directory "${sanitizeText(s.recordingsDir)}" must be an absolute path without control characters`);
  }
  const recordingMode = get<string>('recordingMode') ?? '600';
  if ((Number.parseInt(recordingMode, 8) & 0o600) !== 0o600) {
    throw new ConfigError(`recording mode "${sanitizeText(recordingMode)}" must be octal permission bits that let the daemon read and write, e.g. 600 or 640`);
  }
  const filePolicy: FilePolicy = {
    directory: s.recordingsDir ?? defaultRecordingsDirectory('altod', context.env ?? {}, context.homedir),
    fileMode: Number.parseInt(recordingMode, 8),
    allowFileInput: get<boolean>('apiAllowFileInput') ?? false,
    allowRaw: get<boolean>('apiAllowRaw') ?? false,
  };
  const inputValue = get<DeviceValue<InputSource>>('input') ?? { spec: { kind: 'device', device: 'default' } };
  const outputValue = get<DeviceValue<OutputSink>>('output') ?? { spec: { kind: 'device', device: 'default' } };
  const input = inputValue === false ? false : formatInputSource(inputValue.spec);
  const output = outputValue === false ? false : formatOutputSink(outputValue.spec);
  const pushToTalk = get<boolean>('pushToTalk');
  if (pushToTalk === true && input === false) throw new ConfigError('push-to-talk needs a microphone, but the input device is none');
  const jitterBufferMs = get<number>('jitterBufferMs');
  const deviceFallback = get<boolean>('deviceFallback');
  const name = get<string>('name');
  const recordPath = get<string>('recordPath');
  const realPair = inputValue !== false && inputValue.spec.kind === 'device' && outputValue !== false && outputValue.spec.kind === 'device';
  const config: DaemonConfig = {
    url: urls[0]!,
    ...(urls.length > 1 ? { fallbackUrls: urls.slice(1) } : {}),
    identity: get<string>('identity') ?? `altod-${context.hostname}`,
    input,
    output,
    masterVolume: get<number>('masterVolume') ?? 1,
    voice: {
      // Only a real microphone next to real speakers can pick up an echo.
      echoCancellation: get<boolean>('echoCancellation') ?? realPair,
      noiseSuppression: get<boolean>('noiseSuppression') ?? false,
      highPassFilter: get<boolean>('highPassFilter') ?? false,
      autoGainControl: get<boolean>('autoGainControl') ?? false,
    },
    ...(get<string>('outputFilter') === 'radio' ? { outputFilter: 'radio' as const } : {}),
    ...(jitterBufferMs !== undefined ? { jitterBufferMs } : {}),
    ...(deviceFallback !== undefined ? { deviceFallback } : {}),
    ...(s.agent !== undefined ? { agent: s.agent } : {}),
    ...(pushToTalk === true ? { pushToTalk: true } : {}),
    listen,
    allowRemote,
    tokenFile: get<string>('apiTokenFile') ?? joinPath(context.homedir, '.config', 'altod', 'token'),
    join,
    logLevel: get<LogLevel>('logLevel') ?? 'info',
    e2eeKeyFile: get<string>('e2eeKeyFile'),
    filePolicy,
    ...(s.token !== undefined ? { token: s.token } : {}),
    ...(s.apiKey !== undefined ? { apiKey: s.apiKey } : {}),
    ...(s.apiSecret !== undefined ? { apiSecret: s.apiSecret } : {}),
    ...(s.room !== undefined ? { room: s.room } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(recordPath !== undefined ? { recordPath } : {}),
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
  const { configPath, fileValues } = readConfigFile(sources);
  const config = validateSettings(resolveDaemonSettings(sources, configPath, fileValues), {
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

/** The daemon's settings from flags > environment > config file, each checked against the model. */
export function resolveDaemonSettings(sources: ConfigSources, configPath: string | undefined, fileValues: Record<string, unknown> | undefined): ResolvedSettings {
  try {
    return resolveSettings('altod', {
      flags: sources.flags.flags,
      spelled: sources.flags.spelled,
      env: sources.env,
      ...(configPath !== undefined && fileValues !== undefined ? { file: { path: configPath, values: fileValues } } : {}),
    });
  } catch (error) {
    if (error instanceof SettingError) throw new ConfigError(error.message, { cause: error });
    throw error;
  }
}

/** The settings `--print-settings` shows: every model setting of altod, resolved or defaulted, secrets hidden. */
export function printableSettings(sources: ConfigSources): Record<string, unknown> {
  const config = loadConfig(sources);
  const { configPath, fileValues } = readConfigFile(sources);
  return { ...effectiveSettings('altod', resolveDaemonSettings(sources, configPath, fileValues)), identity: config.identity, apiTokenFile: config.tokenFile };
}

function readConfigFile(sources: ConfigSources): { configPath: string | undefined; fileValues: Record<string, unknown> | undefined } {
  const readFile = sources.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  const configPath = sources.configPath ?? (sources.env.ALTOD_CONFIG || undefined);
  if (configPath === undefined) return { configPath, fileValues: undefined };
  let text: string;
  try {
    text = readFile(configPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(`cannot read config file ${configPath} (${code}); check the path given to --config`, {
      cause: error,
    });
  }
  return { configPath, fileValues: parseConfigFile(text, configPath) };
}
