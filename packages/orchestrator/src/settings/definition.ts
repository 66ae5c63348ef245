import type * as z from 'zod/mini';

/** The commands that read settings: the `alto` session, `alto token`, and the `altod` daemon. */
export type SettingCommand = 'alto' | 'alto token' | 'altod';

/** How a setting's text (flag value, environment variable) is read before its schema checks it. */
export type SettingKind = 'text' | 'number' | 'boolean' | 'input-device' | 'output-device';

/** A flag that sets a setting to a fixed value when given, e.g. `--no-aec` sets echo cancellation off. */
export interface SettingSwitch {
  readonly flag: string;
  readonly short?: string;
  readonly value: string | number | boolean;
  readonly description: string;
}

/**
 * One setting, described once: from it each app derives its flag, environment variable,
 * config-file key, default, range, help line and error messages.
 */
export interface SettingDefinition {
  /** Property name in the settings object; also the daemon's config-file key unless `configKey` says otherwise. */
  readonly key: string;
  readonly kind: SettingKind;
  /** Validates the decoded value; numeric ranges and choices are read from it for help and messages. */
  readonly schema: z.ZodMiniType;
  /** The value when nothing sets it (undefined: unset). */
  readonly default?: string | number | boolean;
  /** How help states a default that is decided at run time (e.g. `adaptive`). */
  readonly defaultText?: string;
  /** One line for help. */
  readonly description: string;
  /** The help line of the flag when it differs from `description` (a secret given on the command line). */
  readonly flagDescription?: string;
  /** Unit of a number, in messages (`seconds`). */
  readonly unit?: string;
  /** What the value is, in messages (`room name`, `log level`). */
  readonly noun: string;
  /** A flag taking a value: `--name VALUE`. */
  readonly flag?: {
    readonly name: string;
    readonly short?: string;
    readonly value: string;
    readonly aliases?: readonly string[];
  };
  /** Flags that set fixed values. */
  readonly switches?: readonly SettingSwitch[];
  /** Environment variable: a name used as is (`LIVEKIT_URL`), or a suffix after `ALTO_` / `ALTOD_` (`{ suffix: 'ROOM' }`). */
  readonly env?: string | { readonly suffix: string; readonly inverted?: boolean };
  /** The daemon's config-file key when it differs from `key`; `false`: not in the config file. */
  readonly configKey?: string | false;
  /** The commands that accept the setting. */
  readonly commands: readonly SettingCommand[];
  /** Commands that read the setting from the environment and file only, never as a flag (credentials in altod). */
  readonly noFlagIn?: readonly SettingCommand[];
  /** Help section. */
  readonly group: string;
  /** Shown instead of the generic "use one of" when a value is not accepted. */
  readonly choicesText?: string;
  /** The value is a secret: help says so, and printed settings hide it. */
  readonly secret?: boolean;
}

/** A flag that is not a setting: `--help`, `--version`, `--config`, `--dotenv`… */
export interface ActionFlag {
  readonly name: string;
  readonly short?: string;
  /** Placeholder when the flag takes a value. */
  readonly value?: string;
  readonly description: string;
  readonly commands: readonly SettingCommand[];
  readonly env?: string;
}

/** The app a command belongs to decides the environment prefix (`ALTO_`, `ALTOD_`). */
export function envPrefix(command: SettingCommand): string {
  return command === 'altod' ? 'ALTOD_' : 'ALTO_';
}

/** The environment variable `command` reads for `def`, if any. */
export function envName(def: SettingDefinition, command: SettingCommand): string | undefined {
  if (def.env === undefined) return undefined;
  return typeof def.env === 'string' ? def.env : `${envPrefix(command)}${def.env.suffix}`;
}

/** The daemon config-file key of `def`, if it has one. */
export function configKeyOf(def: SettingDefinition): string | undefined {
  if (!def.commands.includes('altod') || def.configKey === false) return undefined;
  return def.configKey ?? def.key;
}

/** Whether `command` accepts `def` as a flag. */
export function hasFlagIn(def: SettingDefinition, command: SettingCommand): boolean {
  return def.commands.includes(command) && !(def.noFlagIn ?? []).includes(command);
}

/** Numeric bounds read from a setting's schema (zod number checks). */
export function numericRange(def: SettingDefinition): { min?: number; max?: number } {
  const range: { min?: number; max?: number } = {};
  for (const check of checksOf(def.schema)) {
    const { check: kind, value } = check._zod.def as { check: string; value?: unknown };
    if (typeof value !== 'number') continue;
    if (kind === 'greater_than') range.min = value;
    if (kind === 'less_than') range.max = value;
  }
  return range;
}

/** Whether a number setting takes whole numbers only (`z.int()`). */
export function isInteger(def: SettingDefinition): boolean {
  return (def.schema._zod.def as { format?: string }).format === 'safeint';
}

function checksOf(schema: z.ZodMiniType): readonly { _zod: { def: unknown } }[] {
  return (schema._zod.def as { checks?: { _zod: { def: unknown } }[] }).checks ?? [];
}

/** The accepted values of a choice setting, read from its schema (`z.enum`). */
export function choicesOf(def: SettingDefinition): readonly string[] | undefined {
  const options = (def.schema as { options?: unknown }).options;
  return Array.isArray(options) && options.every((o) => typeof o === 'string')
    ? options
    : undefined;
}

/** How help states the default of `def`: its value, its run-time rule, or nothing. */
export function defaultTextOf(def: SettingDefinition): string | undefined {
  if (def.defaultText !== undefined) return def.defaultText;
  if (def.default === undefined) return undefined;
  if (typeof def.default === 'boolean') return def.default ? 'on' : 'off';
  return String(def.default);
}

/** How help states the range of `def`, e.g. `0..2`, if it has one. */
export function rangeTextOf(def: SettingDefinition): string | undefined {
  const { min, max } = numericRange(def);
  if (min !== undefined && max !== undefined) return `${min}..${max}`;
  if (def.choicesText !== undefined) return def.choicesText;
  const choices = choicesOf(def);
  return choices === undefined ? undefined : choices.join(', ');
}
