import { DEFAULT_TOKEN_TTL_SECONDS, SERVER_URL_HINT, serverUrlProblem } from '@alto/livekit-net';
import * as z from 'zod/mini';
import type { ActionFlag, SettingCommand, SettingDefinition, SettingSwitch } from './definition.js';

const BOTH = ['alto', 'altod'] as const;
const ALTO = ['alto'] as const;
const ALTOD = ['altod'] as const;

/** Log levels the daemon's logger understands. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where `altod`'s control API listens unless told otherwise. */
export const DEFAULT_LISTEN = '127.0.0.1:7690';

const serverUrls = z.string().check((ctx) => {
  const text = ctx.value;
  // "URL1,URL2": the nodes of one cluster, joined in order of preference.
  const urls = text.split(',').map((u) => u.trim());
  if (urls.some((u) => u === '')) {
    ctx.issues.push({ code: 'custom', input: text, message: 'has an empty entry; separate cluster nodes with commas' });
    return;
  }
  for (const url of urls) {
    const problem = serverUrlProblem(url);
    if (problem !== undefined) {
      // With several URLs, the message names the bad one: `--url 'a,ftp://b': 'ftp://b' has scheme ftp:`.
      ctx.issues.push({
        code: 'custom',
        input: text,
        message: `${urls.length > 1 ? `: '${url.slice(0, 60)}' ` : ''}${problem}; ${SERVER_URL_HINT}`,
      });
      return;
    }
  }
});

const notBlank = (what: string): z.ZodMiniString =>
  z.string().check(z.refine((v) => v.trim() !== '', { message: `is empty; give a ${what}` }));

/** A room name, identity or display name: at most 128 characters, none of them control characters. */
const participantName = (what: string): z.ZodMiniString =>
  z.string().check(
    z.maxLength(128),
    z.refine((v) => v.trim() !== '', { message: `is empty; give a ${what}` }),
    z.refine((v) => !/\p{Cc}/u.test(v), { message: 'contains a control character; use printable characters only' }),
  );

const on = (flag: string, description: string): readonly SettingSwitch[] => [
  { flag, value: true, description },
];

/**
 * Every setting of `alto`, `alto token` and `altod`, in help order. Adding a setting to an app
 * is one entry here plus the code that uses it.
 */
export const SETTINGS: readonly SettingDefinition[] = [
  // Connection
  {
    key: 'url',
    kind: 'text',
    schema: serverUrls,
    noun: 'server URL',
    group: 'Connection',
    commands: BOTH,
    env: 'LIVEKIT_URL',
    flag: { name: 'url', value: 'URL' },
    description:
      'LiveKit server, ws:// wss:// http:// or https://; URL1,URL2 tries the next when one is down',
  },
  {
    key: 'tokenFileLiveKit',
    kind: 'text',
    schema: notBlank('file name'),
    noun: 'token file',
    group: 'Connection',
    commands: ALTO,
    configKey: false,
    flag: { name: 'token-file', value: 'FILE' },
    description:
      'file holding the access token; names the room and identity (or env LIVEKIT_TOKEN)',
  },
  {
    key: 'token',
    kind: 'text',
    schema: notBlank('token'),
    noun: 'token',
    group: 'Connection',
    commands: BOTH,
    noFlagIn: ALTOD,
    env: 'LIVEKIT_TOKEN',
    secret: true,
    flag: { name: 'token', value: 'JWT' },
    description: 'access token; names the room and identity',
    flagDescription: 'UNSAFE: visible to every local user in ps; use --token-file or LIVEKIT_TOKEN',
  },
  {
    key: 'apiKey',
    kind: 'text',
    schema: notBlank('API key'),
    noun: 'API key',
    group: 'Connection',
    commands: ['alto', 'alto token', 'altod'],
    noFlagIn: ALTOD,
    env: 'LIVEKIT_API_KEY',
    flag: { name: 'api-key', value: 'KEY' },
    description: 'API key to mint a token locally',
  },
  {
    key: 'apiSecretFile',
    kind: 'text',
    schema: notBlank('file name'),
    noun: 'secret file',
    group: 'Connection',
    commands: ['alto', 'alto token'],
    configKey: false,
    flag: { name: 'api-secret-file', value: 'FILE' },
    description: 'file holding the API secret to mint a token locally (or env LIVEKIT_API_SECRET)',
  },
  {
    key: 'apiSecret',
    kind: 'text',
    schema: notBlank('API secret'),
    noun: 'API secret',
    group: 'Connection',
    commands: ['alto', 'alto token', 'altod'],
    noFlagIn: ALTOD,
    env: 'LIVEKIT_API_SECRET',
    secret: true,
    flag: { name: 'api-secret', value: 'SECRET' },
    description: 'API secret to mint a token locally',
    flagDescription:
      'UNSAFE: visible to every local user in ps; use --api-secret-file or LIVEKIT_API_SECRET',
  },
  {
    key: 'room',
    kind: 'text',
    schema: participantName('room name'),
    noun: 'room name',
    group: 'Connection',
    commands: BOTH,
    env: { suffix: 'ROOM' },
    flag: { name: 'room-name', value: 'ROOM' },
    description: 'room to join (required with an API key)',
  },
  {
    key: 'identity',
    kind: 'text',
    schema: participantName('identity'),
    noun: 'identity',
    group: 'Connection',
    commands: ['alto', 'alto token', 'altod'],
    env: { suffix: 'IDENTITY' },
    flag: { name: 'identity', value: 'ID' },
    description:
      'participant identity (alto: required with an API key; altod: default altod-<hostname>)',
  },
  {
    key: 'name',
    kind: 'text',
    schema: participantName('display name'),
    noun: 'display name',
    group: 'Connection',
    commands: ['alto', 'alto token', 'altod'],
    env: { suffix: 'NAME' },
    flag: { name: 'name', value: 'NAME' },
    description: 'display name shown to others (default: the identity)',
  },
  {
    key: 'join',
    kind: 'boolean',
    schema: z.boolean(),
    default: true,
    noun: 'join',
    group: 'Connection',
    commands: ALTOD,
    env: { suffix: 'NO_JOIN', inverted: true },
    switches: [
      {
        flag: 'no-join',
        value: false,
        description: 'start without joining; wait for POST /v1/join',
      },
    ],
    description: 'join the room at start',
  },
  {
    key: 'e2eeKeyFile',
    kind: 'text',
    schema: notBlank('key file path'),
    noun: 'E2EE key file',
    group: 'Connection',
    commands: BOTH,
    env: 'ALTO_E2EE_KEY_FILE',
    flag: { name: 'e2ee-key-file', value: 'PATH' },
    description:
      'end-to-end encrypt the audio with the key in PATH (never put the key itself on the command line)',
  },

  // Audio
  {
    key: 'input',
    kind: 'input-device',
    schema: z.union([z.string(), z.number()]),
    default: 'default',
    noun: 'input device',
    group: 'Audio',
    commands: BOTH,
    env: { suffix: 'INPUT_DEVICE' },
    flag: { name: 'input-device', short: 'i', value: 'DEV' },
    description:
      'microphone: index, name substring, wav:FILE[?loop], tone:HZ, silence, raw:-, none',
  },
  {
    key: 'output',
    kind: 'output-device',
    schema: z.union([z.string(), z.number()]),
    default: 'default',
    noun: 'output device',
    group: 'Audio',
    commands: BOTH,
    env: { suffix: 'OUTPUT_DEVICE' },
    flag: { name: 'output-device', short: 'o', value: 'DEV' },
    description: 'speaker: index, name substring, wav:FILE, null, raw:-, none',
  },
  {
    key: 'sampleRate',
    kind: 'number',
    schema: z.int().check(z.minimum(8000), z.maximum(192000)),
    default: 48000,
    noun: 'sample rate',
    group: 'Audio',
    commands: ALTO,
    env: { suffix: 'SAMPLE_RATE' },
    flag: { name: 'sample-rate', short: 's', value: 'HZ' },
    description: 'device sample rate in Hz',
  },
  {
    key: 'channels',
    kind: 'number',
    schema: z.union([z.literal(1), z.literal(2)]),
    default: 1,
    noun: 'channel count',
    group: 'Audio',
    commands: ALTO,
    env: { suffix: 'CHANNELS' },
    choicesText: '1 (mono) or 2 (stereo)',
    flag: { name: 'channels', short: 'c', value: 'N' },
    description: 'device channels',
  },
  {
    key: 'masterVolume',
    kind: 'number',
    schema: z.number().check(z.minimum(0), z.maximum(2)),
    default: 1,
    noun: 'master volume',
    group: 'Audio',
    commands: BOTH,
    env: { suffix: 'MASTER_VOLUME' },
    flag: { name: 'master-volume', value: 'X', aliases: ['volume'] },
    description: 'master playback volume',
  },
  {
    key: 'jitterBufferMs',
    kind: 'number',
    schema: z.int().check(z.minimum(10), z.maximum(500)),
    defaultText: 'adaptive',
    noun: 'jitter buffer',
    group: 'Audio',
    commands: BOTH,
    env: { suffix: 'JITTER_BUFFER_MS' },
    flag: { name: 'jitter-buffer', value: 'MS' },
    description:
      'fix the per-person playback buffer in ms (adaptive: as small as the link and machine allow)',
  },
  {
    key: 'deviceFallback',
    kind: 'boolean',
    schema: z.boolean(),
    default: true,
    noun: 'device fallback',
    group: 'Audio',
    commands: BOTH,
    env: { suffix: 'DEVICE_FALLBACK' },
    switches: [
      {
        flag: 'no-device-fallback',
        value: false,
        description:
          'if the chosen microphone or speaker goes away, wait for it instead of using the system default',
      },
    ],
    description: 'use the system default device while a chosen one is gone',
  },
  {
    key: 'playback',
    kind: 'boolean',
    schema: z.boolean(),
    default: true,
    noun: 'playback',
    group: 'Audio',
    commands: ALTO,
    env: { suffix: 'PLAYBACK' },
    switches: [
      {
        flag: 'no-playback',
        value: false,
        description: 'publish your microphone; receive and play nothing',
      },
    ],
    description: 'play the room',
  },
  {
    key: 'listenOnly',
    kind: 'boolean',
    schema: z.boolean(),
    default: false,
    noun: 'listen-only',
    group: 'Audio',
    commands: ALTO,
    env: { suffix: 'LISTEN_ONLY' },
    switches: on('listen-only', 'play the room but publish no microphone'),
    description: 'publish no microphone',
  },
  {
    key: 'recordPath',
    kind: 'text',
    schema: notBlank('file name'),
    noun: 'recording file',
    group: 'Audio',
    commands: BOTH,
    env: { suffix: 'RECORD' },
    flag: { name: 'record', value: 'FILE.wav' },
    description: 'also record what you hear to a WAV file',
  },
  {
    key: 'echoCancellation',
    kind: 'boolean',
    schema: z.boolean(),
    defaultText: 'on with a real microphone and real speakers',
    noun: 'echo cancellation',
    group: 'Audio',
    commands: BOTH,
    env: { suffix: 'AEC' },
    switches: [
      { flag: 'enable-aec', value: true, description: 'echo cancellation on' },
      { flag: 'no-aec', value: false, description: 'echo cancellation off' },
    ],
    description: 'echo cancellation',
  },
  {
    key: 'noiseSuppression',
    kind: 'boolean',
    schema: z.boolean(),
    default: false,
    noun: 'noise suppression',
    group: 'Audio',
    commands: BOTH,
    env: { suffix: 'NOISE_SUPPRESSION' },
    switches: on('noise-suppression', 'suppress stationary background noise on the microphone'),
    description: 'noise suppression',
  },
  {
    key: 'highPassFilter',
    kind: 'boolean',
    schema: z.boolean(),
    default: false,
    noun: 'high-pass filter',
    group: 'Audio',
    commands: BOTH,
    env: { suffix: 'HIGH_PASS_FILTER' },
    switches: on('high-pass-filter', 'cut low rumble (below ~80 Hz) on the microphone'),
    description: 'high-pass filter',
  },
  {
    key: 'autoGainControl',
    kind: 'boolean',
    schema: z.boolean(),
    default: false,
    noun: 'auto gain control',
    group: 'Audio',
    commands: BOTH,
    env: { suffix: 'AUTO_GAIN_CONTROL' },
    switches: on('auto-gain-control', 'even out the microphone level automatically'),
    description: 'automatic gain control',
  },
  {
    key: 'outputFilter',
    kind: 'text',
    schema: z.enum(['radio']),
    noun: 'output filter',
    group: 'Audio',
    commands: BOTH,
    env: { suffix: 'OUTPUT_FILTER' },
    switches: [
      {
        flag: 'use-audio-out-filter',
        value: 'radio',
        description: 'play the room through a radio-style filter (500-2000 Hz, saturated)',
      },
    ],
    description: 'output filter',
  },
  {
    key: 'plugin',
    kind: 'text',
    schema: notBlank('module'),
    noun: 'plugin',
    group: 'Audio',
    commands: ALTO,
    env: { suffix: 'PLUGIN' },
    flag: { name: 'plugin', value: 'MODULE' },
    description: 'microphone processor module: default export (ctx) => { name, process(block) }',
  },

  // Voice agents
  {
    key: 'agent',
    kind: 'text',
    schema: notBlank('agent name'),
    noun: 'agent',
    group: 'Voice agents',
    commands: BOTH,
    env: { suffix: 'AGENT' },
    flag: { name: 'agent', value: 'NAME' },
    description:
      'dispatch this voice agent into the room (needs an API key; the minted token carries it)',
  },
  {
    key: 'agentWaitSec',
    kind: 'number',
    schema: z.number().check(z.minimum(0.1), z.maximum(3600)),
    default: 15,
    unit: 'seconds',
    noun: 'agent wait',
    group: 'Voice agents',
    commands: ALTO,
    env: { suffix: 'AGENT_WAIT' },
    flag: { name: 'agent-wait', value: 'SEC' },
    description: 'how long to wait for the agent to join before saying it did not, in seconds',
  },
  {
    key: 'say',
    kind: 'text',
    schema: z.string(),
    noun: 'message',
    group: 'Voice agents',
    commands: ALTO,
    flag: { name: 'say', value: 'TEXT' },
    description: "send TEXT on lk.chat (the agent's text input) once the agent is there",
  },
  {
    key: 'transcript',
    kind: 'text',
    schema: z.string(),
    noun: 'transcript file',
    group: 'Voice agents',
    commands: ALTO,
    env: { suffix: 'TRANSCRIPT' },
    flag: { name: 'transcript', value: 'FILE.jsonl' },
    description: 'write the conversation as JSON Lines (times line up with --record)',
  },
  {
    key: 'pushToTalk',
    kind: 'boolean',
    schema: z.boolean(),
    default: false,
    noun: 'push-to-talk',
    group: 'Voice agents',
    commands: BOTH,
    env: { suffix: 'PUSH_TO_TALK' },
    switches: on(
      'push-to-talk',
      'microphone muted until you talk: TUI space (held with the kitty keyboard protocol, else a toggle), plain mode a line on stdin; altod: POST /v1/turn/start',
    ),
    description: 'push-to-talk',
  },

  // Output of alto
  {
    key: 'durationSec',
    kind: 'number',
    schema: z.number().check(z.gt(0)),
    unit: 'seconds',
    noun: 'duration',
    group: 'Session',
    commands: ALTO,
    env: { suffix: 'DURATION' },
    flag: { name: 'duration', value: 'SEC' },
    description: 'leave the room after SEC seconds (bots, tests)',
  },
  {
    key: 'tui',
    kind: 'boolean',
    schema: z.boolean(),
    defaultText: 'on when stdin and stdout are a terminal',
    noun: 'terminal UI',
    group: 'Session',
    commands: ALTO,
    env: { suffix: 'TUI' },
    switches: [
      {
        flag: 'tui',
        value: true,
        description: 'full-screen terminal UI (default when stdout is a terminal)',
      },
      {
        flag: 'no-tui',
        value: false,
        description: 'plain event lines (time, event, who) instead of the terminal UI',
      },
    ],
    description: 'terminal UI',
  },
  {
    key: 'json',
    kind: 'boolean',
    schema: z.boolean(),
    default: false,
    noun: 'JSON output',
    group: 'Session',
    commands: ALTO,
    env: { suffix: 'JSON' },
    switches: on('json', 'plain mode with one JSON object per event line (for scripts)'),
    description: 'JSON event lines',
  },

  // Control API of altod
  {
    key: 'listen',
    kind: 'text',
    schema: notBlank('host:port'),
    default: DEFAULT_LISTEN,
    noun: 'listen address',
    group: 'Control API',
    commands: ALTOD,
    env: { suffix: 'LISTEN' },
    flag: { name: 'listen', value: 'HOST:PORT' },
    description: 'TCP address of the control API',
  },
  {
    key: 'socket',
    kind: 'text',
    schema: notBlank('socket path'),
    noun: 'socket path',
    group: 'Control API',
    commands: ALTOD,
    env: { suffix: 'SOCKET' },
    flag: { name: 'socket', value: 'PATH' },
    description: 'listen on a Unix socket instead',
  },
  {
    key: 'allowRemote',
    kind: 'boolean',
    schema: z.boolean(),
    default: false,
    noun: 'allow remote',
    group: 'Control API',
    commands: ALTOD,
    env: { suffix: 'ALLOW_REMOTE' },
    switches: on('allow-remote', 'allow --listen on a non-loopback address'),
    description: 'allow remote clients',
  },
  {
    key: 'apiTokenFile',
    kind: 'text',
    schema: notBlank('file name'),
    defaultText: '~/.config/altod/token',
    noun: 'API token file',
    group: 'Control API',
    commands: ALTOD,
    configKey: 'tokenFile',
    env: { suffix: 'TOKEN_FILE' },
    flag: { name: 'token-file', value: 'PATH' },
    description: 'API bearer token file, created 0600 on first start (or set ALTOD_API_TOKEN)',
  },
  {
    key: 'recordingsDir',
    kind: 'text',
    schema: notBlank('directory'),
    defaultText: '~/.local/share/altod/recordings',
    noun: 'recordings directory',
    group: 'Control API',
    commands: ALTOD,
    env: { suffix: 'RECORDINGS_DIR' },
    flag: { name: 'recordings-dir', value: 'DIR' },
    description: 'the only directory API clients may record to',
  },
  {
    key: 'recordingMode',
    kind: 'text',
    schema: z.string().check(z.regex(/^0?[0-7]{3}$/, { message: 'is not octal permission bits such as 600 or 640' })),
    default: '600',
    noun: 'recording mode',
    group: 'Control API',
    commands: ALTOD,
    env: { suffix: 'RECORDING_MODE' },
    flag: { name: 'recording-mode', value: 'OCTAL' },
    description: 'permission bits of files written for API clients',
  },
  {
    key: 'apiAllowFileInput',
    kind: 'boolean',
    schema: z.boolean(),
    default: false,
    noun: 'API file input',
    group: 'Control API',
    commands: ALTOD,
    env: { suffix: 'API_ALLOW_FILE_INPUT' },
    switches: on(
      'api-allow-file-input',
      'let API clients pick wav: inputs from the recordings directory',
    ),
    description: 'API clients may pick wav: inputs',
  },
  {
    key: 'apiAllowRaw',
    kind: 'boolean',
    schema: z.boolean(),
    default: false,
    noun: 'API raw audio',
    group: 'Control API',
    commands: ALTOD,
    env: { suffix: 'API_ALLOW_RAW' },
    switches: on('api-allow-raw', "let API clients pick raw:- (the daemon's stdin/stdout)"),
    description: 'API clients may pick raw:-',
  },
  {
    key: 'logLevel',
    kind: 'text',
    schema: z.enum(LOG_LEVELS),
    default: 'info',
    noun: 'log level',
    group: 'Other',
    commands: ALTOD,
    env: { suffix: 'LOG_LEVEL' },
    flag: { name: 'log-level', value: 'LEVEL' },
    description: 'how much the daemon logs',
  },

  // alto token
  {
    key: 'tokenRoom',
    kind: 'text',
    schema: participantName('room name'),
    noun: 'room name',
    group: 'Token',
    commands: ['alto token'],
    configKey: false,
    flag: { name: 'room', value: 'ROOM' },
    description: 'room the token grants joining (required)',
  },
  {
    key: 'ttlSec',
    kind: 'text',
    schema: z.string(),
    defaultText: `${DEFAULT_TOKEN_TTL_SECONDS / 3600}h`,
    noun: 'lifetime',
    group: 'Token',
    commands: ['alto token'],
    flag: { name: 'ttl', value: 'TIME' },
    description: 'lifetime: seconds or 30m, 6h, 1d',
  },
  {
    key: 'canPublish',
    kind: 'boolean',
    schema: z.boolean(),
    default: true,
    noun: 'publish grant',
    group: 'Token',
    commands: ['alto token'],
    flag: { name: 'can-publish', value: '[BOOL]' },
    description: 'grant publishing the microphone (--can-publish=false for a listener)',
  },
  {
    key: 'canSubscribe',
    kind: 'boolean',
    schema: z.boolean(),
    default: true,
    noun: 'subscribe grant',
    group: 'Token',
    commands: ['alto token'],
    flag: { name: 'can-subscribe', value: '[BOOL]' },
    description: 'grant hearing the room',
  },
  {
    key: 'canPublishData',
    kind: 'boolean',
    schema: z.boolean(),
    default: true,
    noun: 'data grant',
    group: 'Token',
    commands: ['alto token'],
    flag: { name: 'can-publish-data', value: '[BOOL]' },
    description: 'grant sending data messages (chat, agent text)',
  },
];

/** Flags that are actions rather than settings, in help order. */
export const ACTION_FLAGS: readonly ActionFlag[] = [
  {
    name: 'list-devices',
    short: 'l',
    description: 'list audio devices and exit',
    commands: ['alto'],
  },
  // Not `--env-file`: Node 20 consumes that flag even after the script name and exits with its
  // own error when the file is missing.
  {
    name: 'dotenv',
    value: 'PATH',
    description: 'read variables from PATH instead of ./.env',
    commands: ['alto', 'alto token'],
  },
  {
    name: 'config',
    value: 'PATH',
    description: 'JSON config file; flags > env > file',
    commands: ['altod'],
    env: 'ALTOD_CONFIG',
  },
  {
    name: 'print-settings',
    description: 'print the effective settings as JSON (secrets hidden) and exit',
    commands: ['alto', 'altod'],
  },
  {
    name: 'verbose',
    short: 'v',
    description: 'debug logging; stack traces on errors',
    commands: ['alto', 'alto token'],
  },
  { name: 'version', description: 'print the version and exit', commands: ['alto'] },
  { name: 'version', short: 'v', description: 'print the version and exit', commands: ['altod'] },
  {
    name: 'help',
    short: 'h',
    description: 'show this help and exit',
    commands: ['alto', 'alto token', 'altod'],
  },
];

/** The settings `command` accepts, in help order. */
export function settingsOf(command: SettingCommand): SettingDefinition[] {
  return SETTINGS.filter((def) => def.commands.includes(command));
}

/** The definition of `key`. */
export function settingByKey(key: string): SettingDefinition {
  const def = SETTINGS.find((d) => d.key === key);
  if (def === undefined) throw new Error(`no setting ${key}`);
  return def;
}
