import {
  DEFAULT_TOKEN_TTL_SECONDS,
  effectiveSettings,
  hasUnsafeCharacters,
  formatInputSource,
  formatOutputSink,
  type DeviceValue,
  type InputSource,
  type OutputSink,
  type ResolvedSettings,
} from '@alto/orchestrator';
import { agentOptions, type AgentCliOptions } from './agent-args.js';
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { checkWavReadable, checkWritableTarget } from './file-checks.js';
import { credentialSources, loadEnvFile, resolveOrThrow, type EnvFile, type ParseContext } from './setting-sources.js';
import { NoServerError, UsageError } from './errors.js';
import { clip, tokenize, type FlagValues } from './flags.js';

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
  /** What the microphone is, as device-io's parser reads `-i`. */
  readonly input: InputSource;
  /** Where the room is played, as device-io's parser reads `-o`. */
  readonly output: OutputSink;
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
  readonly verbose: boolean;
  /** `--e2ee-key-file` / `ALTO_E2EE_KEY_FILE`: where the end-to-end encryption key is (not read here). */
  readonly e2eeKeyFile?: string | undefined;
}

export type { ParseContext } from './setting-sources.js';

/** A validated `alto token` request. */
export interface TokenRequest {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly room: string;
  readonly identity: string;
  readonly name: string | undefined;
  readonly ttlSec: number;
  /** Grants; each defaults to true (publishing is the microphone only). */
  readonly canPublish?: boolean;
  readonly canSubscribe?: boolean;
  readonly canPublishData?: boolean;
}

/** What the invocation asks for. */
export type Command =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'version' }
  | { readonly kind: 'listDevices'; readonly verbose: boolean }
  | { readonly kind: 'printSettings'; readonly settings: Record<string, unknown> }
  | { readonly kind: 'token'; readonly request: TokenRequest; readonly verbose: boolean }
  | { readonly kind: 'session'; readonly config: CliConfig };

const SESSION_HINT = 'run alto --help for the options';
const TOKEN_HINT = 'run alto token --help for the options';

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
  const { flags, spelled, positionals } = tokenize(argv, 'alto', SESSION_HINT);
  if (flags.has('help')) return { kind: 'help', text: helpText.session() };
  if (flags.has('version')) return { kind: 'version' };
  const first = positionals[0];
  if (first !== undefined) {
    throw new UsageError(`unknown command '${clip(first)}'; the only command is 'token' (${SESSION_HINT})`);
  }
  const verbose = flags.has('verbose');
  if (flags.has('list-devices')) return { kind: 'listDevices', verbose };
  const dotenv = loadEnvFile(flags, ctx);
  const resolved = resolveOrThrow('alto', { flags, spelled, env: ctx.env, dotenv, cwd: ctx.cwd });
  const config = sessionConfig(flags, resolved, ctx, verbose, dotenv);
  if (flags.has('print-settings')) return { kind: 'printSettings', settings: { ...effectiveSettings('alto', resolved), ...printable(config) } };
  return { kind: 'session', config };
}

/** The decided settings as `--print-settings` shows them (credentials hidden). */
function printable(config: CliConfig): Record<string, unknown> {
  // The key file is shown as given (the model's value), like --record beside its resolved path.
  const { credentials, input, output, e2eeKeyFile: _resolvedKeyFile, ...rest } = config;
  return { ...rest, credentials: credentials.kind, input: formatInputSource(input), output: formatOutputSink(output) };
}

function sessionConfig(
  flags: FlagValues,
  resolved: ResolvedSettings,
  ctx: ParseContext,
  verbose: boolean,
  dotenv: EnvFile,
): CliConfig {
  const get = <T>(key: string): T | undefined => resolved.get(key)?.value as T | undefined;
  const sampleRate = get<number>('sampleRate') ?? 48000;
  const channels = get<1 | 2>('channels') ?? 1;
  const volume = get<number>('masterVolume') ?? 1;
  const jitterBufferMs = get<number>('jitterBufferMs');
  const durationSec = get<number>('durationSec');
  const inputValue = get<DeviceValue<InputSource>>('input');
  const outputValue = get<DeviceValue<OutputSink>>('output');
  // `none` as a device: no microphone (listen only) or no speaker (no playback).
  const playback = (get<boolean>('playback') ?? true) && outputValue !== false;
  const listenOnly = (get<boolean>('listenOnly') ?? false) || inputValue === false;
  if (!playback && listenOnly) throw new UsageError('--no-playback and --listen-only together leave nothing to do; drop one');
  const input: InputSource = inputValue ? inputValue.spec : { kind: 'device', device: 'default' };
  const output: OutputSink = outputValue ? outputValue.spec : { kind: 'device', device: 'default' };
  // Messages name a flag by its short form (`-i wav:…`), a variable by its name.
  const label = (key: string, short: string): string => {
    const source = resolved.get(key)?.source ?? short;
    return source.startsWith('--') ? short : source;
  };
  if (input.kind === 'wav') checkWavReadable(input.path, `${label('input', '-i')} wav:${clip(input.path)}`);
  if (output.kind === 'wav') checkWritableTarget(output.path, `${label('output', '-o')} wav:${clip(output.path)}`);

  let record: string | undefined;
  const recordText = get<string>('recordPath');
  if (typeof recordText === 'string') {
    if (hasUnsafeCharacters(recordText)) throw new UsageError(`--record '${clip(recordText)}' contains control or invisible characters; use a plain file name`);
    record = resolve(ctx.cwd, recordText);
    checkWritableTarget(record, `--record ${clip(recordText)}`);
  }

  const voice = voiceConfig(flags, resolved, input, output, playback, listenOnly);
  const plugins = pluginConfig(get<string>('plugin'), ctx.cwd, listenOnly);

  const lookup = credentialSources(flags, ctx, dotenv);
  const url = resolved.get('url');
  if (!url) throw new NoServerError();
  // A comma-separated list names the nodes of one cluster (checked by the model): the first is
  // joined, the others are tried in order when it cannot be reached.
  const urls = (url.value as string).split(',').map((u) => u.trim());

  const token = lookup('token', 'LIVEKIT_TOKEN');
  const apiKey = lookup('api-key', 'LIVEKIT_API_KEY');
  const apiSecret = lookup('api-secret', 'LIVEKIT_API_SECRET');
  const roomName = get<string>('room');
  const identity = get<string>('identity');
  const name = get<string>('name');
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

  const keyFile = get<string>('e2eeKeyFile');
  const agents = agentOptions(agentFlags(resolved), ctx.cwd, credentials.kind === 'token', listenOnly);
  const stdoutTaken = output.kind === 'raw';
  const json = get<boolean>('json') ?? false;
  const tuiAsked = get<boolean>('tui');
  if (tuiAsked === true && stdoutTaken) throw new UsageError('--tui cannot share stdout with -o raw:-; drop --tui or write raw audio to a file');
  if (tuiAsked === true && json) throw new UsageError('--tui and --json contradict each other: --json is for scripts; keep one');
  const terminal = ctx.stdoutIsTTY && ctx.stdinIsTTY !== false;
  if (tuiAsked === true && !terminal) {
    throw new UsageError('--tui needs a terminal on stdin and stdout; drop --tui to get plain event lines');
  }
  const tui = tuiAsked ?? (!json && terminal && !stdoutTaken);

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
    deviceFallback: get<boolean>('deviceFallback') ?? true,
    tui,
    json,
    eventsTo: stdoutTaken ? 'stderr' : 'stdout',
    record,
    durationSec,
    voice,
    outputFilter: get<string>('outputFilter') === 'radio' ? 'radio' : undefined,
    plugins,
    agents,
    verbose,
    e2eeKeyFile: keyFile === undefined ? undefined : resolve(ctx.cwd, keyFile),
  };
}

/** The agent settings, from whichever source set them, as the flags agent-args reads. */
function agentFlags(resolved: ResolvedSettings): FlagValues {
  const flags: FlagValues = new Map();
  for (const [key, flag] of [['agent', 'agent'], ['say', 'say'], ['transcript', 'transcript'], ['agentWaitSec', 'agent-wait']] as const) {
    const found = resolved.get(key);
    if (found !== undefined) flags.set(flag, String(found.value));
  }
  if (resolved.get('pushToTalk')?.value === true) flags.set('push-to-talk', true);
  return flags;
}

/**
 * Voice flags. Echo cancellation defaults to on exactly when a real microphone and real
 * speakers are both in use: only then can the speakers' sound reach the microphone.
 */
function voiceConfig(flags: FlagValues, resolved: ResolvedSettings, input: InputSource, output: OutputSink, playback: boolean, listenOnly: boolean): CliConfig['voice'] {
  const asked = ['enable-aec', 'noise-suppression', 'high-pass-filter', 'auto-gain-control'].filter((f) => flags.has(f));
  if (listenOnly && asked.length > 0) {
    throw new UsageError(`--${asked[0]} processes the microphone, but --listen-only opens none; drop one`);
  }
  const on = (key: string): boolean | undefined => resolved.get(key)?.value as boolean | undefined;
  const realPair = !listenOnly && playback && input.kind === 'device' && output.kind === 'device';
  return {
    echoCancellation: on('echoCancellation') ?? realPair,
    noiseSuppression: on('noiseSuppression') ?? false,
    highPassFilter: on('highPassFilter') ?? false,
    autoGainControl: on('autoGainControl') ?? false,
  };
}

/** `--plugin`: a file path (must exist) or a package name, resolved by the orchestrator at connect. */
function pluginConfig(text: string | undefined, cwd: string, listenOnly: boolean): string[] {
  if (text === undefined) return [];
  if (listenOnly) throw new UsageError('--plugin processes the microphone, but --listen-only opens none; drop one');
  const looksLikePath = text.startsWith('.') || isAbsolute(text) || /\.[cm]?[jt]s$/.test(text);
  if (!looksLikePath) return [text];
  const path = resolve(cwd, text);
  if (!existsSync(path)) throw new UsageError(`--plugin ${clip(text)}: no such file; give the path of an ES module`);
  return [path];
}

function parseToken(argv: readonly string[], ctx: ParseContext, help: () => string): Command {
  const { flags, spelled, positionals } = tokenize(argv, 'alto token', TOKEN_HINT);
  if (flags.has('help')) return { kind: 'help', text: help() };
  if (positionals[0] !== undefined) throw new UsageError(`unexpected argument '${clip(positionals[0])}'; ${TOKEN_HINT}`);
  const dotenv = loadEnvFile(flags, ctx);
  const resolved = resolveOrThrow('alto token', { flags, spelled, env: ctx.env, dotenv, cwd: ctx.cwd });
  const lookup = credentialSources(flags, ctx, dotenv);
  const apiKey = lookup('api-key', 'LIVEKIT_API_KEY');
  const apiSecret = lookup('api-secret', 'LIVEKIT_API_SECRET');
  const room = resolved.get('tokenRoom')?.value as string | undefined;
  const identity = resolved.get('identity')?.value as string | undefined;
  const grant = (key: string): boolean | undefined => resolved.get(key)?.value as boolean | undefined;
  const grants = { canPublish: grant('canPublish'), canSubscribe: grant('canSubscribe'), canPublishData: grant('canPublishData') };
  if (room === undefined) throw new UsageError('alto token needs --room ROOM');
  if (identity === undefined) throw new UsageError('alto token needs --identity ID');
  if (!apiKey) throw new UsageError('alto token needs an API key; pass --api-key or set LIVEKIT_API_KEY');
  if (!apiSecret) throw new UsageError('alto token needs an API secret; pass --api-secret-file or set LIVEKIT_API_SECRET');
  const ttlText = flags.get('ttl');
  const ttlSec = typeof ttlText === 'string' ? parseTtl(ttlText) : DEFAULT_TOKEN_TTL_SECONDS;
  const name = resolved.get('name')?.value as string | undefined;
  return {
    kind: 'token',
    verbose: flags.has('verbose'),
    request: {
      apiKey: apiKey.value,
      apiSecret: apiSecret.value,
      room,
      identity,
      name,
      ttlSec,
      ...Object.fromEntries(Object.entries(grants).filter(([, v]) => v !== undefined)),
    },
  };
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
