import {
  formatInputSource,
  formatOutputSink,
  inputSpecSchema,
  outputSpecSchema,
  type InputSource,
  type OutputSink,
} from '@alto/device-io';
import type * as z from 'zod/mini';
import { clip, type FlagValues } from './argv.js';
import {
  choicesOf,
  configKeyOf,
  envName,
  hasFlagIn,
  numericRange,
  type SettingCommand,
  type SettingDefinition,
} from './definition.js';
import { settingsOf } from './table.js';

/** A value that does not fit its setting: one line naming where it came from and what to give. */
export class SettingError extends Error {
  override readonly name = 'SettingError';
  readonly code = 'INVALID_SETTING';
}

/** A resolved value and where it came from (`--room-name`, `ALTOD_ROOM`, `"room" in /etc/altod.json`…). */
export interface SourcedValue {
  readonly value: unknown;
  readonly source: string;
  /** 4 flag, 3 environment, 2 `.env`, 1 config file. */
  readonly rank: number;
}

/** Everything a command's settings are read from. Later entries lose: flags > env > `.env` > file. */
export interface SettingSources {
  readonly flags?: FlagValues;
  readonly spelled?: ReadonlyMap<string, string>;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Variables of a `.env` file (the CLI's); `path` names it in messages. */
  readonly dotenv?: { readonly path: string; readonly values: Readonly<Record<string, string>> };
  /** A parsed config file (the daemon's), keyed by config-file key. */
  readonly file?: { readonly path: string; readonly values: Readonly<Record<string, unknown>> };
  /** Base of relative paths in device specs. */
  readonly cwd?: string;
}

/** The resolved settings of one command: key → sourced value, only for settings something set. */
export type ResolvedSettings = Map<string, SourcedValue>;

/** A device setting's value: `false` is `none` (no device). */
export type DeviceValue<T> = { readonly spec: T } | false;

const TRUE = /^(1|true|yes|on)$/i;
const FALSE = /^(0|false|no|off)$/i;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Parses a decimal number strictly (no hex, no empty string, no trailing junk); NaN otherwise. */
export function strictNumber(text: string): number {
  return NUMBER.test(text.trim()) ? Number(text) : Number.NaN;
}

/**
 * Reads every setting of `command` from its sources, checks each against its schema, and keeps
 * the one from the strongest source. Device settings are parsed by device-io's parser (with the
 * resolved sample rate bounding tones).
 * @throws {SettingError} on the first value that does not fit, naming where it came from
 */
export function resolveSettings(
  command: SettingCommand,
  sources: SettingSources,
): ResolvedSettings {
  const resolved: ResolvedSettings = new Map();
  const defs = settingsOf(command);
  // Devices last: a tone must stay below half the resolved sample rate.
  const ordered = [...defs.filter((d) => !isDevice(d)), ...defs.filter(isDevice)];
  for (const def of ordered) {
    const found = pick(def, command, sources);
    if (found === undefined) continue;
    const rate = resolved.get('sampleRate')?.value;
    const value = check(def, found, {
      cwd: sources.cwd,
      sampleRate: typeof rate === 'number' ? rate : 48_000,
    });
    resolved.set(def.key, { ...found, value });
  }
  return resolved;
}

function isDevice(def: SettingDefinition): boolean {
  return def.kind === 'input-device' || def.kind === 'output-device';
}

interface Raw {
  readonly value: unknown;
  readonly source: string;
  readonly rank: number;
  /** Where the text came from: a flag label is bare (`--x 5`), others quote their value. */
  readonly fromFlag: boolean;
}

function pick(
  def: SettingDefinition,
  command: SettingCommand,
  sources: SettingSources,
): Raw | undefined {
  if (hasFlagIn(def, command)) {
    const fromFlag = flagValue(def, sources);
    if (fromFlag) return fromFlag;
  }
  const name = envName(def, command);
  const inverted = typeof def.env === 'object' && def.env.inverted === true;
  if (name !== undefined) {
    const text = sources.env?.[name];
    if (text !== undefined && text !== '')
      return {
        value: decodeText(def, text, name, inverted),
        source: name,
        rank: 3,
        fromFlag: false,
      };
    const dotText = sources.dotenv?.values[name];
    if (dotText !== undefined && dotText !== '') {
      const source = `${name} in ${sources.dotenv?.path ?? '.env'}`;
      return {
        value: decodeText(def, dotText, source, inverted),
        source,
        rank: 2,
        fromFlag: false,
      };
    }
  }
  const key = configKeyOf(def);
  const file = sources.file;
  if (key !== undefined && file !== undefined && key in file.values) {
    const source = `"${key}" in ${file.path}`;
    return {
      value: checkFileType(def, file.values[key], key, file.path),
      source,
      rank: 1,
      fromFlag: false,
    };
  }
  return undefined;
}

function flagValue(def: SettingDefinition, sources: SettingSources): Raw | undefined {
  const flags = sources.flags;
  if (!flags) return undefined;
  const label = (name: string): string => sources.spelled?.get(name) ?? `--${name}`;
  if (def.flag && flags.has(def.flag.name)) {
    const given = flags.get(def.flag.name) as string | true;
    const source = label(def.flag.name);
    // `--can-publish` alone means true; `--can-publish=false` is read like an environment value.
    const text = given === true ? 'true' : given;
    return { value: decodeText(def, text, source, false), source, rank: 4, fromFlag: true };
  }
  const given = (def.switches ?? []).filter((sw) => flags.has(sw.flag));
  if (given.length === 0) return undefined;
  const [first, second] = given;
  if (second !== undefined && second.value !== first!.value) {
    throw new SettingError(`--${first!.flag} and --${second.flag} contradict each other; keep one`);
  }
  return { value: first!.value, source: label(first!.flag), rank: 4, fromFlag: true };
}

class Decoded {
  constructor(
    readonly value: unknown,
    readonly text: string,
  ) {}
}

function decodeText(
  def: SettingDefinition,
  text: string,
  source: string,
  inverted: boolean,
): Decoded {
  switch (def.kind) {
    case 'number':
      return new Decoded(strictNumber(text), text);
    case 'boolean': {
      if (TRUE.test(text.trim())) return new Decoded(!inverted, text);
      if (FALSE.test(text.trim())) return new Decoded(inverted, text);
      throw new SettingError(`${source} must be 1/true or 0/false, got "${clip(text)}"`);
    }
    case 'text':
    case 'input-device':
    case 'output-device':
      return new Decoded(text, text);
  }
}

function checkFileType(def: SettingDefinition, value: unknown, key: string, path: string): Decoded {
  const want = isDevice(def) ? 'device' : def.kind === 'text' ? 'string' : def.kind;
  const ok =
    want === 'device'
      ? typeof value === 'string' || typeof value === 'number' || value === false
      : typeof value === want;
  if (!ok) {
    const what = want === 'device' ? 'a string, a device index or false' : `a ${want}`;
    throw new SettingError(
      `config file ${path}: "${key}" must be ${what}, got ${clip(JSON.stringify(value) ?? String(value))}`,
    );
  }
  return new Decoded(value, typeof value === 'string' ? value : JSON.stringify(value));
}

function check(
  def: SettingDefinition,
  raw: Raw,
  context: { cwd: string | undefined; sampleRate: number },
): unknown {
  const decoded =
    raw.value instanceof Decoded ? raw.value : new Decoded(raw.value, String(raw.value));
  if (isDevice(def)) return checkDevice(def, decoded, raw, context);
  if (def.kind === 'number' && Number.isNaN(decoded.value)) {
    throw new SettingError(
      `${raw.source} '${clip(decoded.text)}' is not a number${rangeHint(def)}`,
    );
  }
  const result = def.schema.safeParse(decoded.value);
  if (result.success) return result.data;
  throw new SettingError(describeIssue(def, result.error.issues[0], raw, decoded.text));
}

function checkDevice(
  def: SettingDefinition,
  decoded: Decoded,
  raw: Raw,
  context: { cwd: string | undefined; sampleRate: number },
): DeviceValue<InputSource | OutputSink> {
  const value = decoded.value;
  if (value === false || (typeof value === 'string' && /^(none|off|false)$/i.test(value.trim())))
    return false;
  if (typeof value === 'string' && value.trim() === '') {
    throw new SettingError(
      `${raw.source} is empty; give 'default', a device index or name, a backend such as ${def.kind === 'input-device' ? 'silence' : 'null'}, or none`,
    );
  }
  const label = raw.fromFlag
    ? def.flag?.short
      ? `-${def.flag.short}`
      : raw.source
    : `${raw.source}:`;
  const options = {
    label,
    sampleRate: context.sampleRate,
    ...(context.cwd === undefined ? {} : { cwd: context.cwd }),
  };
  const schema = def.kind === 'input-device' ? inputSpecSchema(options) : outputSpecSchema(options);
  const result = schema.safeParse(value);
  if (!result.success)
    throw new SettingError(result.error.issues[0]?.message ?? `${raw.source}: not a device`);
  return { spec: result.data };
}

function rangeHint(def: SettingDefinition): string {
  const { min, max } = numericRange(def);
  if (def.choicesText !== undefined) return `; use ${def.choicesText}`;
  if (min !== undefined && max !== undefined) return `; give a value from ${min} to ${max}`;
  return '';
}

function describeIssue(
  def: SettingDefinition,
  issue: z.core.$ZodIssue | undefined,
  raw: Raw,
  text: string,
): string {
  const shown = raw.fromFlag ? clip(text) : `'${clip(text)}'`;
  switch (issue?.code) {
    case 'too_small':
      if (issue.origin === 'string') return `${raw.source} is empty; give a ${def.noun}`;
      if (!issue.inclusive && issue.minimum === 0) {
        return `${raw.source} ${shown} is not a positive number${def.unit ? ` of ${def.unit}` : ''}; e.g. ${def.flag ? `--${def.flag.name} 30` : '30'}`;
      }
      return `${raw.source} ${shown} is out of range${rangeHint(def)}`;
    case 'too_big':
      if (issue.origin === 'string')
        return `${raw.source} is ${text.length} characters long; a ${def.noun} may have at most ${String(issue.maximum)}`;
      return `${raw.source} ${shown} is out of range${rangeHint(def)}`;
    case 'invalid_type':
      if (issue.expected === 'int')
        return `${raw.source} ${shown} is not a whole number${rangeHint(def)}`;
      break;
    case 'invalid_value':
    case 'invalid_union': {
      if (def.choicesText !== undefined)
        return `${raw.source} ${shown} is not supported; use ${def.choicesText}`;
      const choices = choicesOf(def) ?? [];
      const list =
        choices.length === 1
          ? `the only one is "${choices[0]}"`
          : `use one of ${choices.join(', ')}`;
      return `${raw.source}: ${def.noun} "${clip(text)}" is unknown; ${list}`;
    }
    case 'custom':
    case 'invalid_format':
      return `${raw.source} '${clip(text)}'${issue.message.startsWith(':') ? '' : ' '}${issue.message}`;
    case 'invalid_element':
    case 'invalid_key':
    case 'not_multiple_of':
    case 'unrecognized_keys':
    case undefined:
      break;
  }
  return `${raw.source} ${shown} is not a valid ${def.noun}`;
}

/**
 * The settings as one JSON-ready object: resolved values, else model defaults; secrets hidden.
 * What `--print-settings` prints.
 */
export function effectiveSettings(
  command: SettingCommand,
  resolved: ResolvedSettings,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const def of settingsOf(command)) {
    const found = resolved.get(def.key);
    let value = found === undefined ? def.default : found.value;
    if (isDevice(def) && typeof value === 'object' && value !== null) {
      const spec = (value as { spec: InputSource | OutputSink }).spec;
      value =
        def.kind === 'input-device'
          ? formatInputSource(spec as InputSource)
          : formatOutputSink(spec as OutputSink);
    }
    if (def.secret && value !== undefined) value = '(hidden)';
    out[def.key] = value ?? null;
  }
  return out;
}
