import { APP_SETTINGS } from './app-settings.js';
import { CONNECTION_AUDIO_SETTINGS } from './connection-audio.js';
import type { ActionFlag, SettingCommand, SettingDefinition } from './definition.js';

export { DEFAULT_LISTEN, LOG_LEVELS, type LogLevel } from './schemas.js';

/**
 * Every setting of `alto`, `alto token` and `altod`, in help order. Adding a setting to an app
 * is one entry (in connection-audio.ts or app-settings.ts) plus the code that uses it.
 */
export const SETTINGS: readonly SettingDefinition[] = [
  ...CONNECTION_AUDIO_SETTINGS,
  ...APP_SETTINGS,
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
