import { DEFAULT_JITTER_BUFFER_MS, hasUnsafeCharacters } from '@alto/orchestrator';
import { agentOptions, type AgentCliOptions } from './agent-args.js';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parseDeviceSpec, checkWritableTarget, strictNumber, type DeviceSpec } from './device-spec.js';
import { loadDotenv } from './dotenv.js';
import { NoServerError, UsageError } from './errors.js';
import { SESSION_FLAGS, TOKEN_FLAGS, clip, tokenize, type FlagValues } from './flags.js';

/** How the client authenticates: a ready token, or a key and secret to mint one locally. */
export type Credentials =
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'keys'; readonly apiKey: string; readonly apiSecret: string };

/** A validated configuration for joining a room: what `runSession` receives. */
export interface CliConfig {
  /** Server URL as given (ws, wss, http or https). */
  readonly url: string;
  /** Servers after the first of a comma-separated --url / LIVEKIT_URL: tried in order when it is unreachable. */
  readonly fallbackUrls: readonly string[];
  readonly credentials: Credentials;
  /** Room to join; always set with `keys`, set with `token` only if given (the token names it). */
  readonly roomName: string | undefined;
  /** Participant identity; always set with `keys`. */
  readonly identity: string | undefined;
  /** Display name; undefined means the identity. */
  readonly name: string | undefined;
  readonly input: DeviceSpec;
  readonly output: DeviceSpec;
  /** Device sample rate in Hz, 8000..192000. */
  readonly sampleRate: number;
  readonly channels: 1 | 2;
  /** False with `--no-playback`: publish only, open no output. */
  readonly playback: boolean;
  /** True with `--listen-only`: open no input, publish nothing. */
  readonly listenOnly: boolean;
  /** Master volume, 0..2. */
  readonly volume: number;
  /** Fixed per-stream jitter buffer target in ms, 10..500; undefined = adaptive (the default). */
  readonly jitterBufferMs: number | undefined;
  /** Use the system default device while a chosen one is gone (false with --no-device-fallback). */
  readonly deviceFallback: boolean;
  /** Full-screen UI (true) or plain log lines (false). */
  readonly tui: boolean;
  /** Plain mode writes one JSON object per event instead of text lines. */
  readonly json: boolean;
  /** Where plain event lines go when `tui` is false: stderr when stdout carries raw audio. */
  readonly eventsTo: 'stdout' | 'stderr';
  /** Absolute path of a WAV file to record what is heard, if any. */
  readonly record: string | undefined;
  /** Leave after this many seconds, if set. */
  readonly durationSec: number | undefined;
  /** Voice processing on the microphone. */
  readonly voice: {
    readonly echoCancellation: boolean;
    readonly noiseSuppression: boolean;
    readonly highPassFilter: boolean;
    readonly autoGainControl: boolean;
  };
  /** `'radio'` with --use-audio-out-filter. */
  readonly outputFilter: 'radio' | undefined;
  /** Module specifiers of microphone processors (absolute paths for files). */
  readonly plugins: readonly string[];
  /** Voice agents: dispatch, text chat, transcript file, push-to-talk. */
  readonly agents: AgentCliOptions;
  /** Absolute path of the end-to-end encryption key file (--e2ee-key-file, ALTO_E2EE_KEY_FILE); read when the session starts. */
  readonly e2eeKeyFile: string | undefined;
  readonly verbose: boolean;
}

/** A validated `alto token` request. */
export interface TokenRequest {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly room: string;
  readonly identity: string;
  readonly name: string | undefined;
  readonly ttlSec: number;
}

/** What the invocation asks for. */
export type Command =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'version' }
  | { readonly kind: 'listDevices'; readonly verbose: boolean }
  | { readonly kind: 'token'; readonly request: TokenRequest; readonly verbose: boolean }
  | { readonly kind: 'session'; readonly config: CliConfig };

/** The outside world the parser reads: environment, working directory, whether stdout is a TTY. */
export interface ParseContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stdoutIsTTY: boolean;
  /** Whether stdin is a terminal (the TUI reads keys from it); taken as true when not given. */
  readonly stdinIsTTY?: boolean;
}

const SESSION_HINT = 'run alto --help for the options';
const TOKEN_HINT = 'run alto token --help for the options';
const DEFAULT_TTL_SEC = 6 * 3600;

/** A value plus where it came from, so messages name the flag or variable the user set. */
interface Sourced {
  readonly value: string;
  readonly source: string;
  readonly rank: number;
}

/**
 * Turns argv into a validated {@link Command}.
 * @param argv arguments after the script name
 * @param ctx environment, cwd and TTY state
 * @param helpText builders for the help screens (kept outside so this module stays small)
 * @throws {UsageError} one line saying what is wrong and what to do
 */
export function parseCommand(
  argv: readonly string[],
  ctx: ParseContext,
  helpText: { session: () => string; token: () => string },
): Command {
  if (argv[0] === 'token') return parseToken(argv.slice(1), ctx, helpText.token);
  const { flags, positionals } = tokenize(argv, SESSION_FLAGS, SESSION_HINT);
  if (flags.has('help')) return { kind: 'help', text: helpText.session() };
  if (flags.has('version')) return { kind: 'version' };
  const first = positionals[0];
  if (first !== undefined) {
    throw new UsageError(`unknown command '${clip(first)}'; the only command is 'token' (${SESSION_HINT})`);
  }
  const verbose = flags.has('verbose');
  if (flags.has('list-devices')) return { kind: 'listDevices', verbose };
  return { kind: 'session', config: sessionConfig(flags, ctx, verbose) };
}

function sessionConfig(flags: FlagValues, ctx: ParseContext, verbose: boolean): CliConfig {
  const sampleRate = integerIn(flags, 'sample-rate', 8000, 192000, 48000);
  const channelsText = flags.get('channels');
  let channels: 1 | 2 = 1;
  if (typeof channelsText === 'string') {
    const n = strictNumber(channelsText);
    if (n !== 1 && n !== 2) throw new UsageError(`--channels ${clip(channelsText)} is not supported; use 1 (mono) or 2 (stereo)`);
    channels = n;
  }
  const volume = numberIn(flags, 'volume', 0, 2, 1);
  const jitterBufferMs = flags.has('jitter-buffer') ? integerIn(flags, 'jitter-buffer', 10, 500, DEFAULT_JITTER_BUFFER_MS) : undefined;
  const durationText = flags.get('duration');
  let durationSec: number | undefined;
  if (typeof durationText === 'string') {
    durationSec = strictNumber(durationText);
    if (!Number.isFinite(durationSec) || durationSec <= 0) {
      throw new UsageError(`--duration ${clip(durationText)} is not a positive number of seconds; e.g. --duration 30`);
    }
  }

  const playback = !flags.has('no-playback');
  const listenOnly = flags.has('listen-only');
  if (!playback && listenOnly) throw new UsageError('--no-playback and --listen-only together leave nothing to do; drop one');
  const inputText = flags.get('input-device');
  const outputText = flags.get('output-device');
  const input: DeviceSpec = typeof inputText === 'string' ? parseDeviceSpec(inputText, 'input', sampleRate, ctx.cwd) : { kind: 'default' };
  const output: DeviceSpec = typeof outputText === 'string' ? parseDeviceSpec(outputText, 'output', sampleRate, ctx.cwd) : { kind: 'default' };

  let record: string | undefined;
  const recordText = flags.get('record');
  if (typeof recordText === 'string') {
    if (recordText.trim() === '') throw new UsageError('--record needs a file name, e.g. --record call.wav');
    if (hasUnsafeCharacters(recordText)) throw new UsageError(`--record '${clip(recordText)}' contains control or invisible characters; use a plain file name`);
    record = resolve(ctx.cwd, recordText);
    checkWritableTarget(record, `--record ${clip(recordText)}`);
  }

  const voice = voiceConfig(flags, input, output, playback, listenOnly);
  const plugins = pluginConfig(flags, ctx.cwd, listenOnly);

  const lookup = sources(flags, ctx);
  const url = lookup('url', 'LIVEKIT_URL');
  if (!url) throw new NoServerError();
  // A comma-separated list names the nodes of one cluster: the first is joined, the others are
  // tried in order when it cannot be reached.
  const urls = url.value.split(',').map((u) => u.trim());
  if (urls.some((u) => u === '')) throw new UsageError(`${url.source} '${clip(url.value)}' has an empty entry; separate server URLs with single commas`);
  for (const u of urls) checkUrl({ ...url, value: u });

  const token = lookup('token', 'LIVEKIT_TOKEN');
  const apiKey = lookup('api-key', 'LIVEKIT_API_KEY');
  const apiSecret = lookup('api-secret', 'LIVEKIT_API_SECRET');
  const roomName = optionalName(flags, 'room-name', 'room name');
  const identity = optionalName(flags, 'identity', 'identity');
  const name = optionalName(flags, 'name', 'display name');
  let credentials: Credentials;
  const keyRank = Math.max(apiKey?.rank ?? 0, apiSecret?.rank ?? 0);
  if (token && token.rank >= keyRank) {
    if (token.value.trim() === '') throw new UsageError(`${token.source} is empty; give a token or use --api-key/--api-secret`);
    credentials = { kind: 'token', token: token.value.trim() };
    checkTokenMatches(credentials.token, roomName, identity);
  } else {
    if (!apiKey && !apiSecret) {
      throw new UsageError('no credentials; pass --token-file, or --api-key and --api-secret-file (or set LIVEKIT_TOKEN, or LIVEKIT_API_KEY and LIVEKIT_API_SECRET)');
    }
    if (!apiSecret) throw new UsageError(`${apiKey?.source ?? 'the API key'} is set but no API secret; pass --api-secret-file or set LIVEKIT_API_SECRET`);
    if (!apiKey) throw new UsageError(`${apiSecret.source} is set but no API key; pass --api-key or set LIVEKIT_API_KEY`);
    if (roomName === undefined) throw new UsageError('no room; pass --room-name ROOM (required with --api-key, or use --token)');
    if (identity === undefined) throw new UsageError('no identity; pass --identity ID (required with --api-key, or use --token)');
    credentials = { kind: 'keys', apiKey: apiKey.value, apiSecret: apiSecret.value };
  }

  const agents = agentOptions(flags, ctx.cwd, credentials.kind === 'token', listenOnly);
  const e2eeKeyFile = lookup('e2ee-key-file', 'ALTO_E2EE_KEY_FILE');
  const stdoutTaken = output.kind === 'raw' && output.path === '-';
  if (flags.has('tui') && flags.has('no-tui')) throw new UsageError('--tui and --no-tui contradict each other; keep one');
  if (flags.has('tui') && stdoutTaken) throw new UsageError('--tui cannot share stdout with -o raw:-; drop --tui or write raw audio to a file');
  if (flags.has('tui') && flags.has('json')) throw new UsageError('--tui and --json contradict each other: --json is for scripts; keep one');
  const terminal = ctx.stdoutIsTTY && ctx.stdinIsTTY !== false;
  if (flags.has('tui') && !terminal) {
    throw new UsageError('--tui needs a terminal on stdin and stdout; drop --tui to get plain event lines');
  }
  const tui = flags.has('tui') || (!flags.has('no-tui') && !flags.has('json') && terminal && !stdoutTaken);

  return {
    url: urls[0]!,
    fallbackUrls: urls.slice(1),
    credentials,
    roomName,
    identity,
    name,
    input,
    output,
    sampleRate,
    channels,
    playback,
    listenOnly,
    volume,
    jitterBufferMs,
    deviceFallback: !flags.has('no-device-fallback'),
    tui,
    json: flags.has('json'),
    eventsTo: stdoutTaken ? 'stderr' : 'stdout',
    record,
    durationSec,
    voice,
    outputFilter: flags.has('use-audio-out-filter') ? 'radio' : undefined,
    plugins,
    agents,
    e2eeKeyFile: e2eeKeyFile === undefined ? undefined : resolve(ctx.cwd, e2eeKeyFile.value),
    verbose,
  };
}

/** A PortAudio device rather than a backend (tone, wav, null, silence, raw). */
function isRealDevice(spec: DeviceSpec): boolean {
  return spec.kind === 'default' || spec.kind === 'index' || spec.kind === 'name';
}

/**
 * Voice flags. Echo cancellation defaults to on exactly when a real microphone and real
 * speakers are both in use: only then can the speakers' sound reach the microphone.
 */
function voiceConfig(flags: FlagValues, input: DeviceSpec, output: DeviceSpec, playback: boolean, listenOnly: boolean): CliConfig['voice'] {
  if (flags.has('enable-aec') && flags.has('no-aec')) throw new UsageError('--enable-aec and --no-aec contradict each other; keep one');
  const asked = ['enable-aec', 'noise-suppression', 'high-pass-filter', 'auto-gain-control'].filter((f) => flags.has(f));
  if (listenOnly && asked.length > 0) {
    throw new UsageError(`--${asked[0]} processes the microphone, but --listen-only opens none; drop one`);
  }
  const realPair = !listenOnly && playback && isRealDevice(input) && isRealDevice(output);
  return {
    echoCancellation: flags.has('enable-aec') || (realPair && !flags.has('no-aec')),
    noiseSuppression: flags.has('noise-suppression'),
    highPassFilter: flags.has('high-pass-filter'),
    autoGainControl: flags.has('auto-gain-control'),
  };
}

/** `--plugin`: a file path (must exist) or a package name, resolved by the orchestrator at connect. */
function pluginConfig(flags: FlagValues, cwd: string, listenOnly: boolean): string[] {
  const text = flags.get('plugin');
  if (typeof text !== 'string') return [];
  if (text.trim() === '') throw new UsageError('--plugin needs a module, e.g. --plugin ./my-filter.mjs');
  if (listenOnly) throw new UsageError('--plugin processes the microphone, but --listen-only opens none; drop one');
  const looksLikePath = text.startsWith('.') || isAbsolute(text) || /\.[cm]?[jt]s$/.test(text);
  if (!looksLikePath) return [text];
  const path = resolve(cwd, text);
  if (!existsSync(path)) throw new UsageError(`--plugin ${clip(text)}: no such file; give the path of an ES module`);
  return [path];
}

function parseToken(argv: readonly string[], ctx: ParseContext, help: () => string): Command {
  const { flags, positionals } = tokenize(argv, TOKEN_FLAGS, TOKEN_HINT);
  if (flags.has('help')) return { kind: 'help', text: help() };
  if (positionals[0] !== undefined) throw new UsageError(`unexpected argument '${clip(positionals[0])}'; ${TOKEN_HINT}`);
  const lookup = sources(flags, ctx);
  const apiKey = lookup('api-key', 'LIVEKIT_API_KEY');
  const apiSecret = lookup('api-secret', 'LIVEKIT_API_SECRET');
  const room = optionalName(flags, 'room', 'room name');
  const identity = optionalName(flags, 'identity', 'identity');
  if (room === undefined) throw new UsageError('alto token needs --room ROOM');
  if (identity === undefined) throw new UsageError('alto token needs --identity ID');
  if (!apiKey) throw new UsageError('alto token needs an API key; pass --api-key or set LIVEKIT_API_KEY');
  if (!apiSecret) throw new UsageError('alto token needs an API secret; pass --api-secret-file or set LIVEKIT_API_SECRET');
  const ttlText = flags.get('ttl');
  const ttlSec = typeof ttlText === 'string' ? parseTtl(ttlText) : DEFAULT_TTL_SEC;
  return {
    kind: 'token',
    verbose: flags.has('verbose'),
    request: { apiKey: apiKey.value, apiSecret: apiSecret.value, room, identity, name: optionalName(flags, 'name', 'display name'), ttlSec },
  };
}

/** Builds a lookup over flags > environment > .env, loading the .env file once on first use. */
function sources(flags: FlagValues, ctx: ParseContext): (flag: string, variable: string) => Sourced | undefined {
  const envFileFlag = flags.get('dotenv');
  const explicit = typeof envFileFlag === 'string';
  const envPath = resolve(ctx.cwd, explicit ? envFileFlag : '.env');
  const dotenv = loadDotenv(envPath, explicit);
  return (flag, variable) => {
    const fromFile = flags.get(`${flag}-file`);
    if (typeof fromFile === 'string') {
      if (typeof flags.get(flag) === 'string') throw new UsageError(`--${flag} and --${flag}-file are both given; keep --${flag}-file`);
      return { value: readSecretFile(resolve(ctx.cwd, fromFile), `--${flag}-file ${clip(fromFile)}`), source: `--${flag}-file`, rank: 3 };
    }
    const fromFlag = flags.get(flag);
    if (typeof fromFlag === 'string') return { value: fromFlag, source: `--${flag}`, rank: 3 };
    const fromEnv = ctx.env[variable];
    if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, source: variable, rank: 2 };
    const fromDotenv = dotenv[variable];
    if (fromDotenv !== undefined && fromDotenv !== '') return { value: fromDotenv, source: `${variable} in ${envPath}`, rank: 1 };
    return undefined;
  };
}

/** Reads a secret from a file (first line, trimmed), so it never has to be on the command line. */
function readSecretFile(path: string, what: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(`${what}: cannot read it (${code}); give a file that holds only the secret`, { cause });
  }
  const value = text.split('\n', 1)[0]?.trim() ?? '';
  if (value === '') throw new UsageError(`${what} is empty; put the secret on its first line`);
  return value;
}

function checkUrl(url: Sourced): void {
  const fix = 'use ws://, wss://, http:// or https:// with a host, e.g. ws://localhost:7880';
  let parsed: URL;
  try {
    parsed = new URL(url.value);
  } catch {
    throw new UsageError(`${url.source} '${clip(url.value)}' is not a URL; ${fix}`);
  }
  if (!['ws:', 'wss:', 'http:', 'https:'].includes(parsed.protocol)) {
    throw new UsageError(`${url.source} '${clip(url.value)}' has scheme ${clip(parsed.protocol)}; ${fix}`);
  }
  if (parsed.hostname === '') throw new UsageError(`${url.source} '${clip(url.value)}' has no host; ${fix}`);
}

/**
 * Checks a room name, identity or display name: non-empty, at most 128 characters, no control
 * characters (they would corrupt terminals and logs on every participant's side).
 * @throws {UsageError}
 */
export function checkName(value: string, what: string, flag: string): string {
  if (value.trim() === '') throw new UsageError(`${flag} is empty; give a ${what}`);
  if ([...value].length > 128) throw new UsageError(`${flag} is ${[...value].length} characters long; a ${what} may have at most 128`);
  if (/\p{Cc}/u.test(value)) throw new UsageError(`${flag} '${clip(value)}' contains a control character; use printable characters only`);
  return value;
}

function optionalName(flags: FlagValues, flag: string, what: string): string | undefined {
  const value = flags.get(flag);
  return typeof value === 'string' ? checkName(value, what, `--${flag}`) : undefined;
}

function numberIn(flags: FlagValues, flag: string, min: number, max: number, fallback: number): number {
  const text = flags.get(flag);
  if (typeof text !== 'string') return fallback;
  const n = strictNumber(text);
  if (Number.isNaN(n)) throw new UsageError(`--${flag} '${clip(text)}' is not a number; give a value from ${min} to ${max}`);
  if (n < min || n > max) throw new UsageError(`--${flag} ${clip(text)} is out of range; give a value from ${min} to ${max}`);
  return n;
}

function integerIn(flags: FlagValues, flag: string, min: number, max: number, fallback: number): number {
  const n = numberIn(flags, flag, min, max, fallback);
  if (!Number.isInteger(n)) throw new UsageError(`--${flag} ${n} is not a whole number; give an integer from ${min} to ${max}`);
  return n;
}

/**
 * Parses a token lifetime: plain seconds or a number with s, m, h or d; 1 s .. 30 d.
 * @throws {UsageError}
 */
export function parseTtl(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(text.trim());
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m?.[2] ?? ''] ?? 1;
  const sec = m ? Math.round(Number(m[1]) * unit) : Number.NaN;
  if (!Number.isFinite(sec) || sec < 1 || sec > 30 * 86400) {
    throw new UsageError(`--ttl '${clip(text)}' is not a lifetime; give seconds or e.g. 30m, 6h, 1d (at most 30d)`);
  }
  return sec;
}

/** Claims of a LiveKit access token that the CLI can check before connecting (unverified). */
function tokenClaims(token: string): { room: string | undefined; identity: string | undefined } | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown; video?: { room?: unknown } };
    return {
      room: typeof claims.video?.room === 'string' ? claims.video.room : undefined,
      identity: typeof claims.sub === 'string' ? claims.sub : undefined,
    };
  } catch {
    return undefined; // not a JWT we can read: the server will refuse it with its own error
  }
}

/**
 * A token names its room and identity; a --room-name or --identity that says otherwise would be
 * silently ignored (the user would land in the token's room), so it is refused.
 */
function checkTokenMatches(token: string, roomName: string | undefined, identity: string | undefined): void {
  const claims = tokenClaims(token);
  if (!claims) return;
  if (roomName !== undefined && claims.room !== undefined && claims.room !== roomName) {
    throw new UsageError(`--room-name '${clip(roomName)}' differs from the token's room '${clip(claims.room)}'; drop --room-name or use a token for that room`);
  }
  if (identity !== undefined && claims.identity !== undefined && claims.identity !== identity) {
    throw new UsageError(`--identity '${clip(identity)}' differs from the token's identity '${clip(claims.identity)}'; drop --identity or use a token for that identity`);
  }
}
