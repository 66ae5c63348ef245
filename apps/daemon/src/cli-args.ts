import { ArgvError, parseArgv, renderOptions, type ParsedArgv } from '@alto/orchestrator';
import { ConfigError } from './errors.js';

/** The `altod --help` text: the options come from the settings model. */
export const USAGE = `altod — the headless Alto daemon: stays in a LiveKit room, controlled over a local HTTP API.

Usage: altod [options]

Credentials come from the environment or the config file, never from flags.

${renderOptions('altod')}

Precedence: flags > environment > config file (--config or ALTOD_CONFIG).
Signals: SIGTERM/SIGINT leave the room and exit 0; SIGHUP reloads the config file.
`;

/** What the command line asked for. */
export interface CommandLine {
  readonly help: boolean;
  readonly version: boolean;
  /** `--print-settings`: print the effective settings and exit. */
  readonly printSettings: boolean;
  /** `--config`, if given. */
  readonly configPath: string | undefined;
  /** The flags given (the highest-precedence layer), as the settings model reads them. */
  readonly flags: Pick<ParsedArgv, 'flags' | 'spelled'>;
}

/**
 * Parses `altod`'s argv (without node and script). Unknown flags and missing values raise a
 * {@link ConfigError} whose message names the flag and points at `--help`.
 */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  let parsed: ParsedArgv;
  try {
    parsed = parseArgv(argv, 'altod', 'run `altod --help` for the accepted options');
  } catch (error) {
    if (error instanceof ArgvError) throw new ConfigError(error.message, { cause: error });
    throw error;
  }
  const first = parsed.positionals[0];
  if (first !== undefined)
    throw new ConfigError(
      `unexpected argument '${first.slice(0, 60)}'; run \`altod --help\` for the accepted options`,
    );
  const config = parsed.flags.get('config');
  return {
    help: parsed.flags.has('help'),
    version: parsed.flags.has('version'),
    printSettings: parsed.flags.has('print-settings'),
    configPath: typeof config === 'string' ? config : undefined,
    flags: parsed,
  };
}
