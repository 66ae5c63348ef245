import { Command, CommanderError, Option } from 'commander';
import { hasFlagIn, type SettingCommand } from './definition.js';
import { ACTION_FLAGS, SETTINGS } from './table.js';

/** Flags as given: canonical long name → value, or `true` for a flag without one. */
export type FlagValues = Map<string, string | true>;

/** What {@link parseArgv} found on a command line. */
export interface ParsedArgv {
  readonly flags: FlagValues;
  /** Canonical long name → how the user spelled it (`--volume` for `--master-volume`), for messages. */
  readonly spelled: ReadonlyMap<string, string>;
  readonly positionals: readonly string[];
}

/** A command-line problem: the message is one line that ends by pointing at `--help`. */
export class ArgvError extends Error {
  override readonly name = 'ArgvError';
  readonly code = 'INVALID_ARGUMENTS';
}

interface FlagShape {
  readonly name: string;
  readonly short?: string | undefined;
  readonly value?: string | undefined;
  readonly aliases?: readonly string[] | undefined;
}

/** Every flag `command` accepts: value flags and switches of its settings, then its action flags. */
export function flagsOf(command: SettingCommand): FlagShape[] {
  const shapes: FlagShape[] = [];
  for (const def of SETTINGS) {
    if (!hasFlagIn(def, command)) continue;
    if (def.flag)
      shapes.push({
        name: def.flag.name,
        short: def.flag.short,
        value: def.flag.value,
        aliases: def.flag.aliases,
      });
    for (const sw of def.switches ?? []) shapes.push({ name: sw.flag, short: sw.short });
  }
  for (const action of ACTION_FLAGS) if (action.commands.includes(command)) shapes.push(action);
  return shapes;
}

/** Makes user text safe to echo in a one-line message: no control characters, bounded length. */
export function clip(text: string, max = 60): string {
  // eslint-disable-next-line no-control-regex
  const safe = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return safe.length > max ? `${safe.slice(0, max)}…` : safe;
}

/**
 * Parses argv with commander against the flags the settings model gives `command`. Values may
 * start with `-` (`--master-volume -1` reaches range validation); a following `--word` is a
 * missing value. Short flags combine (`-lv`, `-s44100`); everything after `--` is positional.
 * @param hint appended to every message, e.g. `run alto --help for the options`
 * @throws {ArgvError} on an unknown flag, a missing value, a value given to a flag without one,
 *   or a flag given twice
 */
export function parseArgv(
  argv: readonly string[],
  command: SettingCommand,
  hint: string,
): ParsedArgv {
  const flags: FlagValues = new Map();
  const spelled = new Map<string, string>();
  const program = new Command()
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {} })
    .helpOption(false)
    .allowExcessArguments(true)
    .argument('[words...]');
  const record = (name: string, as: string, value: string | true): void => {
    if (flags.has(name)) throw new ArgvRepeat(as.slice(2));
    if (value !== true && value.startsWith('--'))
      throw new ArgvError(`option ${as} needs a value; ${hint}`);
    flags.set(name, value);
    spelled.set(name, as);
  };
  const byFlag = new Map<string, FlagShape>();
  for (const shape of flagsOf(command)) {
    for (const long of [shape.name, ...(shape.aliases ?? [])]) {
      if (byFlag.has(long)) continue;
      byFlag.set(long, shape);
      const optional = shape.value?.startsWith('[') === true;
      const flagText = `${long === shape.name && shape.short ? `-${shape.short}, ` : ''}--${long}${shape.value === undefined ? '' : optional ? ` ${shape.value}` : ` <${shape.value}>`}`;
      const option = new Option(flagText);
      // `--no-x` would otherwise be read as the negation of `--x`.
      if (long.startsWith('no-')) option.negate = false;
      program.addOption(option);
      program.on(`option:${option.name()}`, (value: string | boolean | undefined) => {
        record(shape.name, `--${long}`, typeof value === 'string' ? value : true);
      });
    }
  }
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof ArgvRepeat)
      throw new ArgvError(`option --${error.flag} is given twice; keep one`);
    if (error instanceof ArgvError) throw error;
    if (error instanceof CommanderError) throw new ArgvError(`${describe(error, byFlag)}; ${hint}`);
    throw error;
  }
  return { flags, spelled, positionals: program.args };
}

class ArgvRepeat extends Error {
  constructor(readonly flag: string) {
    super(`--${flag} twice`);
  }
}

function describe(error: CommanderError, byFlag: ReadonlyMap<string, FlagShape>): string {
  const quoted = /'([^']*)'/.exec(error.message)?.[1] ?? '';
  switch (error.code) {
    case 'commander.unknownOption': {
      const [name, ...value] = quoted.split('=');
      const known = name?.startsWith('--') === true ? byFlag.get(name.slice(2)) : undefined;
      if (known !== undefined && value.length > 0)
        return `option ${name} takes no value; drop '=${clip(value.join('='))}'`;
      return `unknown option ${clip(quoted)}`;
    }
    case 'commander.optionMissingArgument': {
      const long = /--([\w-]+)/.exec(quoted)?.[1] ?? quoted;
      return `option --${long} needs a value (${byFlag.get(long)?.value ?? 'VALUE'})`;
    }
    default:
      return clip(error.message.replace(/^error: /, ''), 120);
  }
}
