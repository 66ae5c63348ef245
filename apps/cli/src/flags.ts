import { DEFAULT_JITTER_BUFFER_MS } from '@alto/orchestrator';
import { UsageError } from './errors.js';

/** One command-line option: the single table that drives both parsing and `--help`. */
export interface FlagSpec {
  /** Long name without dashes, e.g. `sample-rate`. */
  readonly name: string;
  /** Single-letter alias without the dash. */
  readonly short?: string;
  /** Placeholder of the value in help; absent for boolean flags. */
  readonly value?: string;
  /** One-line explanation shown by `--help`. */
  readonly help: string;
}

/** The options of `alto` (joining a room), in help order. */
export const SESSION_FLAGS: readonly FlagSpec[] = [
  { name: 'url', value: 'URL', help: 'LiveKit server, ws:// wss:// http:// or https:// (env LIVEKIT_URL); URL1,URL2 tries the next when one is down' },
  { name: 'token-file', value: 'FILE', help: 'file holding the access token; names the room and identity (or env LIVEKIT_TOKEN)' },
  { name: 'token', value: 'JWT', help: 'UNSAFE: visible to every local user in ps; use --token-file or LIVEKIT_TOKEN' },
  { name: 'api-key', value: 'KEY', help: 'API key to mint a token locally (env LIVEKIT_API_KEY)' },
  { name: 'api-secret-file', value: 'FILE', help: 'file holding the API secret to mint a token locally (or env LIVEKIT_API_SECRET)' },
  { name: 'api-secret', value: 'SECRET', help: 'UNSAFE: visible to every local user in ps; use --api-secret-file or LIVEKIT_API_SECRET' },
  { name: 'room-name', value: 'ROOM', help: 'room to join (required with --api-key)' },
  { name: 'identity', value: 'ID', help: 'your participant identity (required with --api-key)' },
  { name: 'name', value: 'NAME', help: 'display name shown to others (default: the identity)' },
  { name: 'e2ee-key-file', value: 'FILE', help: 'encrypt audio end to end with the passphrase in FILE (chmod 600; everyone needs the same; env ALTO_E2EE_KEY_FILE)' },
  { name: 'input-device', short: 'i', value: 'DEV', help: 'microphone: index, name substring, wav:FILE[?loop], tone:HZ, silence, raw:-' },
  { name: 'output-device', short: 'o', value: 'DEV', help: 'speaker: index, name substring, wav:FILE, null, raw:-' },
  { name: 'list-devices', short: 'l', help: 'list audio devices and exit' },
  { name: 'sample-rate', short: 's', value: 'HZ', help: 'device sample rate, 8000..192000 (default 48000)' },
  { name: 'channels', short: 'c', value: 'N', help: 'device channels, 1 or 2 (default 1)' },
  { name: 'volume', value: 'X', help: 'master playback volume, 0..2 (default 1)' },
  { name: 'jitter-buffer', value: 'MS', help: `fix the per-person playback buffer at 10..500 ms (e.g. ${DEFAULT_JITTER_BUFFER_MS}); default: adaptive, as small as the link and machine allow` },
  { name: 'no-device-fallback', help: 'if the chosen microphone or speaker goes away, wait for it instead of using the system default' },
  { name: 'no-playback', help: 'publish your microphone; receive and play nothing' },
  { name: 'listen-only', help: 'play the room but publish no microphone' },
  { name: 'record', value: 'FILE.wav', help: 'also record what you hear to a WAV file' },
  { name: 'enable-aec', help: 'echo cancellation on (default: on when a real microphone and real speakers are used)' },
  { name: 'no-aec', help: 'echo cancellation off' },
  { name: 'noise-suppression', help: 'suppress stationary background noise on the microphone' },
  { name: 'high-pass-filter', help: 'cut low rumble (below ~80 Hz) on the microphone' },
  { name: 'auto-gain-control', help: 'even out the microphone level automatically' },
  { name: 'use-audio-out-filter', help: 'play the room through a radio-style filter (500-2000 Hz, saturated)' },
  { name: 'plugin', value: 'MODULE', help: 'microphone processor module: default export (ctx) => { name, process(block) }' },
  { name: 'agent', value: 'NAME', help: 'dispatch this voice agent into the room (needs --api-key; the minted token carries it)' },
  { name: 'agent-wait', value: 'SEC', help: 'how long to wait for the agent to join before saying it did not (default 15)' },
  { name: 'say', value: 'TEXT', help: 'send TEXT on lk.chat (the agent\'s text input) once the agent is there' },
  { name: 'transcript', value: 'FILE.jsonl', help: 'write the conversation as JSON Lines (times line up with --record)' },
  { name: 'push-to-talk', help: 'microphone muted until you talk: TUI space (held with the kitty keyboard protocol, else a toggle; the status line says which), plain mode a line on stdin' },
  { name: 'duration', value: 'SEC', help: 'leave the room after SEC seconds (bots, tests)' },
  { name: 'tui', help: 'full-screen terminal UI (default when stdout is a terminal)' },
  { name: 'no-tui', help: 'plain event lines (time, event, who) instead of the terminal UI' },
  { name: 'json', help: 'plain mode with one JSON object per event line (for scripts)' },
  // Not `--env-file`: Node 20 consumes that flag even after the script name and exits with its
  // own error when the file is missing.
  { name: 'dotenv', value: 'PATH', help: 'read variables from PATH instead of ./.env' },
  { name: 'verbose', short: 'v', help: 'debug logging; stack traces on errors' },
  { name: 'version', help: 'print the version and exit' },
  { name: 'help', short: 'h', help: 'show this help and exit' },
];

/** The options of `alto token`. */
export const TOKEN_FLAGS: readonly FlagSpec[] = [
  { name: 'room', value: 'ROOM', help: 'room the token grants joining (required)' },
  { name: 'identity', value: 'ID', help: 'participant identity (required)' },
  { name: 'name', value: 'NAME', help: 'display name stored in the token' },
  { name: 'ttl', value: 'TIME', help: 'lifetime: seconds or 30m, 6h, 1d (default 6h)' },
  { name: 'api-key', value: 'KEY', help: 'API key (env LIVEKIT_API_KEY)' },
  { name: 'api-secret-file', value: 'FILE', help: 'file holding the API secret (or env LIVEKIT_API_SECRET)' },
  { name: 'api-secret', value: 'SECRET', help: 'UNSAFE: visible to every local user in ps; use --api-secret-file or LIVEKIT_API_SECRET' },
  { name: 'dotenv', value: 'PATH', help: 'read variables from PATH instead of ./.env' },
  { name: 'verbose', short: 'v', help: 'stack traces on errors' },
  { name: 'help', short: 'h', help: 'show this help and exit' },
];

/** Parsed flags: long name → string value, or `true` for a boolean flag. */
export type FlagValues = Map<string, string | true>;

/** Result of {@link tokenize}: the flags given and the positional words. */
export interface Tokens {
  readonly flags: FlagValues;
  readonly positionals: readonly string[];
}

/**
 * Splits argv against a flag table. Accepts `--name value`, `--name=value`, `-x value`, `-xVALUE`
 * and clusters of boolean shorts (`-lv`). A value flag takes the next word even when it starts
 * with a single dash, so `--volume -1` reaches range validation instead of failing as an unknown
 * flag; a following `--word` is treated as a missing value. Everything after `--` is positional.
 * @throws {UsageError} on an unknown flag, a missing value, a value given to a boolean flag, or a
 *   flag given twice
 */
export function tokenize(argv: readonly string[], table: readonly FlagSpec[], hint: string): Tokens {
  const byLong = new Map(table.map((f) => [f.name, f]));
  const byShort = new Map(table.filter((f) => f.short).map((f) => [f.short as string, f]));
  const flags: FlagValues = new Map();
  const positionals: string[] = [];
  const set = (spec: FlagSpec, value: string | true): void => {
    if (flags.has(spec.name)) throw new UsageError(`option --${spec.name} is given twice; keep one`);
    flags.set(spec.name, value);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const takeValue = (spec: FlagSpec, inline: string | undefined): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        throw new UsageError(`option --${spec.name} needs a value (${spec.value ?? 'VALUE'}); ${hint}`);
      }
      i++;
      return next;
    };
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      const inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
      const spec = byLong.get(name);
      if (!spec) throw new UsageError(`unknown option --${clip(name)}; ${hint}`);
      if (spec.value === undefined) {
        if (inline !== undefined) throw new UsageError(`option --${name} takes no value; drop '=${clip(inline)}'`);
        set(spec, true);
      } else {
        set(spec, takeValue(spec, inline));
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j] as string;
        const spec = byShort.get(letter);
        if (!spec) throw new UsageError(`unknown option -${clip(letter)}; ${hint}`);
        if (spec.value === undefined) {
          set(spec, true);
          continue;
        }
        const rest = arg.slice(j + 1);
        set(spec, takeValue(spec, rest === '' ? undefined : rest));
        break;
      }
      continue;
    }
    positionals.push(arg);
  }
  return { flags, positionals };
}

/** Makes user text safe to echo in a one-line message: no control characters, bounded length. */
export function clip(text: string, max = 60): string {
  // eslint-disable-next-line no-control-regex
  const safe = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return safe.length > max ? `${safe.slice(0, max)}…` : safe;
}

/** True when argv asks for verbose output; read before parsing so even parse errors honour it. */
export function argvWantsVerbose(argv: readonly string[]): boolean {
  return argv.some((a) => a === '-v' || a === '--verbose' || /^-[lhv]*v[lhv]*$/.test(a));
}

const SECRET_FLAGS: Readonly<Record<string, string>> = {
  token: '--token-file FILE or LIVEKIT_TOKEN',
  'api-secret': '--api-secret-file FILE or LIVEKIT_API_SECRET',
};

/**
 * One warning line per secret given on the command line (`--token`, `--api-secret`): every local
 * user can read a process's arguments (`ps`, /proc). The value itself is never printed.
 */
export function secretFlagWarnings(argv: readonly string[]): string[] {
  const warnings: string[] = [];
  for (const arg of argv) {
    if (arg === '--') break;
    const name = arg.startsWith('--') ? arg.slice(2).split('=', 1)[0] : undefined;
    const instead = name === undefined ? undefined : SECRET_FLAGS[name];
    if (instead !== undefined) {
      warnings.push(`alto: warning: --${name} is visible to every local user (ps); use ${instead} instead`);
    }
  }
  return warnings;
}
