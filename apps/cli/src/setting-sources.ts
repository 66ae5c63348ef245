import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { SettingError, resolveSettings, type ResolvedSettings, type SettingCommand, type SettingSources } from '@alto/orchestrator';
import { loadDotenv } from './dotenv.js';
import { UsageError } from './errors.js';
import { clip, type FlagValues } from './flags.js';

/** The outside world the parser reads: environment, working directory, whether stdout is a TTY. */
export interface ParseContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stdoutIsTTY: boolean;
  /** Whether stdin is a terminal (the TUI reads keys from it); taken as true when not given. */
  readonly stdinIsTTY?: boolean;
}

/** A `.env` file's variables and where it is. */
export interface EnvFile {
  readonly path: string;
  readonly values: Record<string, string>;
}

/** A value plus where it came from, so messages name the flag or variable the user set. */
export interface Sourced {
  readonly value: string;
  readonly source: string;
  readonly rank: number;
}

/** Reads the settings model's values for `command`, turning a bad value into a {@link UsageError}. */
export function resolveOrThrow(command: SettingCommand, sources: SettingSources): ResolvedSettings {
  try {
    return resolveSettings(command, sources);
  } catch (error) {
    if (error instanceof SettingError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
}

/** Loads `--dotenv PATH` (required to exist) or `./.env` (optional). */
export function loadEnvFile(flags: FlagValues, ctx: ParseContext): EnvFile {
  const envFileFlag = flags.get('dotenv');
  const explicit = typeof envFileFlag === 'string';
  const path = resolve(ctx.cwd, explicit ? envFileFlag : '.env');
  return { path, values: loadDotenv(path, explicit) };
}

/** Builds a lookup over flags > environment > .env, loading the .env file once on first use. */
export function credentialSources(flags: FlagValues, ctx: ParseContext, env: EnvFile): (flag: string, variable: string) => Sourced | undefined {
  const dotenv = env.values;
  const envPath = env.path;
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

