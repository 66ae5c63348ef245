import { ArgvError, flagHelp, parseArgv, type FlagHelp, type FlagValues as ModelFlagValues, type ParsedArgv, type SettingCommand } from '@alto/orchestrator';
import { UsageError } from './errors.js';

/** One command-line option as help shows it. */
export type FlagSpec = FlagHelp;

/** The options of `alto` (joining a room), in help order, from the settings model. */
export const SESSION_FLAGS: readonly FlagSpec[] = flagHelp('alto');

/** The options of `alto token`, from the settings model. */
export const TOKEN_FLAGS: readonly FlagSpec[] = flagHelp('alto token');

/** Parsed flags: long name → string value, or `true` for a flag without one. */
export type FlagValues = ModelFlagValues;

/**
 * Reads argv through the shared command-line layer.
 * @throws {UsageError} on an unknown flag, a missing value, or a flag given twice
 */
export function tokenize(argv: readonly string[], command: SettingCommand, hint: string): ParsedArgv {
  try {
    return parseArgv(argv, command, hint);
  } catch (error) {
    if (error instanceof ArgvError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
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
