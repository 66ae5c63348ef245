import {
  defaultTextOf,
  envName,
  hasFlagIn,
  rangeTextOf,
  type SettingCommand,
  type SettingDefinition,
} from './definition.js';
import { ACTION_FLAGS, SETTINGS } from './table.js';

/** One line of help: the flag column and the text column. */
export interface FlagHelp {
  readonly name: string;
  readonly short?: string;
  /** Placeholder of the value; absent for flags without one. */
  readonly value?: string;
  /** Everything after the flag: what it does, its range, default and environment variable. */
  readonly help: string;
  readonly group: string;
}

/** The facts help shows about a setting: `0..2; default 1; env ALTOD_MASTER_VOLUME` (empty when there are none). */
export function settingFacts(def: SettingDefinition, command: SettingCommand): string {
  const facts: string[] = [];
  const range = rangeTextOf(def);
  if (range !== undefined) facts.push(range);
  const fallback = defaultTextOf(def);
  if (fallback !== undefined) facts.push(`default ${fallback}`);
  const env = envName(def, command);
  if (env !== undefined) facts.push(`env ${env}`);
  if (def.flag?.aliases?.length)
    facts.push(`also ${def.flag.aliases.map((a) => `--${a}`).join(', ')}`);
  return facts.join('; ');
}

/** ` (facts)` after a help line; a switch names the setting it sets: ` (playback: default on; env ALTO_PLAYBACK)`. */
function factsSuffix(def: SettingDefinition, command: SettingCommand, isSwitch: boolean): string {
  const facts = settingFacts(def, command);
  if (facts === '') return '';
  return ` (${isSwitch ? `${def.noun}: ` : ''}${facts})`;
}

/** Every flag of `command` with its help text, in help order. */
export function flagHelp(command: SettingCommand): FlagHelp[] {
  const rows: FlagHelp[] = [];
  for (const def of SETTINGS) {
    if (!hasFlagIn(def, command)) continue;
    if (def.flag) {
      const help = `${def.flagDescription ?? def.description}${factsSuffix(def, command, false)}`;
      rows.push({
        name: def.flag.name,
        ...(def.flag.short ? { short: def.flag.short } : {}),
        value: def.flag.value,
        help,
        group: def.group,
      });
    }
    for (const sw of def.switches ?? []) {
      rows.push({
        name: sw.flag,
        ...(sw.short ? { short: sw.short } : {}),
        help: `${sw.description}${factsSuffix(def, command, true)}`,
        group: def.group,
      });
    }
  }
  for (const action of ACTION_FLAGS) {
    if (!action.commands.includes(command)) continue;
    const env = action.env === undefined ? '' : ` (env ${action.env})`;
    rows.push({
      name: action.name,
      ...(action.short ? { short: action.short } : {}),
      ...(action.value ? { value: action.value } : {}),
      help: `${action.description}${env}`,
      group: 'Other',
    });
  }
  return rows;
}

/** Settings `command` reads only from the environment (and config file): credentials of altod. */
export function environmentOnly(command: SettingCommand): SettingDefinition[] {
  return SETTINGS.filter(
    (def) =>
      def.commands.includes(command) &&
      !hasFlagIn(def, command) &&
      envName(def, command) !== undefined,
  );
}

function column(rows: readonly { left: string; text: string }[]): string {
  const width = Math.max(...rows.map((r) => r.left.length)) + 2;
  return rows.map((r) => `${r.left.padEnd(width)}${r.text}`).join('\n');
}

/**
 * The options part of `command`'s help, grouped by section, generated from the settings model,
 * followed by the settings it reads only from the environment.
 */
export function renderOptions(command: SettingCommand): string {
  const rows = flagHelp(command);
  const groups = [...new Set(rows.map((r) => r.group))];
  const left = (r: FlagHelp): string =>
    `  ${r.short ? `-${r.short}, ` : '    '}--${r.name}${r.value ? ` ${r.value}` : ''}`;
  const all = rows.map((r) => ({ left: left(r), text: r.help, group: r.group }));
  const envOnly = environmentOnly(command).map((def) => ({
    left: `  ${envName(def, command) ?? ''}`,
    text: `${def.description}${factsSuffix(def, command, false)}`,
    group: 'Environment only',
  }));
  const table = column([...all, ...envOnly]).split('\n');
  const byGroup = new Map<string, string[]>();
  [...all, ...envOnly].forEach((row, i) =>
    byGroup.set(row.group, [...(byGroup.get(row.group) ?? []), table[i] as string]),
  );
  return [...groups, ...(envOnly.length > 0 ? ['Environment only'] : [])]
    .map((g) => `${g}:\n${(byGroup.get(g) ?? []).join('\n')}`)
    .join('\n');
}
