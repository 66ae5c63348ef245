/**
 * The settings model of Alto's apps: every setting described once (zod schema, default, range,
 * flag, environment variable, config-file key, commands), the shared command-line layer over
 * commander, layered resolution (flags > environment > `.env` > config file) and help text.
 * @packageDocumentation
 */
export {
  choicesOf,
  configKeyOf,
  defaultTextOf,
  envName,
  hasFlagIn,
  isInteger,
  numericRange,
  rangeTextOf,
  type ActionFlag,
  type SettingCommand,
  type SettingDefinition,
  type SettingKind,
  type SettingSwitch,
} from './definition.js';
export {
  ACTION_FLAGS,
  DEFAULT_LISTEN,
  LOG_LEVELS,
  SETTINGS,
  type LogLevel,
  settingByKey,
  settingsOf,
} from './table.js';
export { ArgvError, clip, flagsOf, parseArgv, type FlagValues, type ParsedArgv } from './argv.js';
export {
  effectiveSettings,
  resolveSettings,
  SettingError,
  strictNumber,
  type DeviceValue,
  type ResolvedSettings,
  type SettingSources,
  type SourcedValue,
} from './resolve.js';
export { environmentOnly, flagHelp, renderOptions, settingFacts, type FlagHelp } from './help.js';
export { settingExamples, type SettingExamples } from './examples.js';
