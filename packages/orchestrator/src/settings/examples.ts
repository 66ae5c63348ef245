import { choicesOf, isInteger, numericRange, type SettingDefinition } from './definition.js';

/** Example values of a setting, as text a user types: accepted ones and ones each kind of check refuses. */
export interface SettingExamples {
  /** Three distinct accepted values (for precedence checks), with the value each reads as. */
  readonly valid: readonly { readonly text: string; readonly value: unknown }[];
  /** Refused values, each with a fragment of the message it gets. */
  readonly invalid: readonly { readonly text: string; readonly message: RegExp }[];
}

const TEXT_EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  url: ['ws://one:7880', 'wss://two', 'http://three:7880'],
  input: ['tone:440', 'silence', '3'],
  output: ['null', '2', 'default'],
  listen: ['127.0.0.1:7001', '127.0.0.1:7002', '[::1]:7003'],
  recordingMode: ['600', '640', '0660'],
  recordingsDir: ['/srv/rec/a', '/srv/rec/b', '/srv/rec/c'],
};

/**
 * Example values generated from a setting's kind and schema: the range ends and the middle of
 * a number, each choice, text. Documentation and the apps' table-driven tests use them.
 */
export function settingExamples(def: SettingDefinition): SettingExamples {
  const { min, max } = numericRange(def);
  if (def.kind === 'number') {
    const integer = isInteger(def);
    if (def.choicesText !== undefined)
      return {
        valid: [1, 2, 1].map((n) => ({ text: String(n), value: n })),
        invalid: [{ text: '3', message: /is not supported/ }],
      };
    const low = min ?? 1;
    const high = max ?? low + 100;
    const lowValid = min !== undefined && def.schema.safeParse(min).success ? min : low + 1;
    const values = [lowValid, high, Math.round((lowValid + high) / 2)];
    const invalid = [{ text: 'lots', message: /is not a number/ }];
    if (max !== undefined) invalid.push({ text: String(max + 1), message: /is out of range/ });
    const positive = min === 0 && !def.schema.safeParse(0).success;
    if (positive) invalid.push({ text: '-1', message: /is not a positive number/ });
    else if (min !== undefined && max !== undefined)
      invalid.push({ text: String(min - 1), message: /is out of range/ });
    if (integer) invalid.push({ text: String(lowValid + 0.5), message: /is not a whole number/ });
    return { valid: values.map((n) => ({ text: String(n), value: n })), invalid };
  }
  if (def.kind === 'boolean') {
    return {
      valid: [
        { text: '1', value: true },
        { text: '0', value: false },
        { text: 'true', value: true },
      ],
      invalid: [{ text: 'maybe', message: /must be 1\/true or 0\/false/ }],
    };
  }
  const choices = choicesOf(def);
  if (choices !== undefined) {
    const texts = [choices[0]!, choices[1] ?? choices[0]!, choices[2] ?? choices[0]!];
    return {
      valid: texts.map((text) => ({ text, value: text })),
      invalid: [{ text: 'bogus', message: /is unknown/ }],
    };
  }
  const texts = TEXT_EXAMPLES[def.key] ?? [`${def.key}-a`, `${def.key}-b`, `${def.key}-c`];
  const invalid: { text: string; message: RegExp }[] = [];
  if (
    def.kind === 'text' &&
    !def.schema.safeParse(' ').success &&
    def.schema.safeParse('abc').success
  )
    invalid.push({ text: ' ', message: /is empty/ });
  if (def.key === 'url') invalid.push({ text: 'ftp://x', message: /has scheme ftp:/ });
  if (def.kind === 'input-device')
    invalid.push({ text: 'null', message: /null is an output backend/ });
  if (def.kind === 'output-device')
    invalid.push({ text: 'tone:440', message: /is an input backend/ });
  if (def.key === 'recordingMode') invalid.push({ text: '9x', message: /octal/ });
  return { valid: texts.map((text) => ({ text, value: text })), invalid };
}
