import { resolve } from 'node:path';
import { InvalidDeviceSpecError } from './errors.js';
import { DEFAULT_RECORDING_MODE } from './wav.js';

/**
 * What the user asks for: `'default'`, a device index, a (part of a) device name, or a backend:
 * input `tone:<hz>`, `silence`, `wav:<path>` (append `?loop` to loop), `raw:-` (s16le on stdin);
 * output `null`, `wav:<path>`, `raw:-` (s16le on stdout). An output `wav:` path may end in options:
 * `?exclusive` (never replace an existing file) and `mode=<octal>` (permission bits, default 600),
 * joined with `&`, e.g. `wav:/srv/rec/call.wav?exclusive&mode=640`.
 */
export type DeviceSpec = number | string;

/** A parsed input spec. */
export type InputSource =
  | { readonly kind: 'device'; readonly device: number | string }
  | { readonly kind: 'tone'; readonly frequencyHz: number }
  | { readonly kind: 'silence' }
  | { readonly kind: 'wav'; readonly path: string; readonly loop: boolean }
  | { readonly kind: 'raw' };

/** A parsed output spec. */
export type OutputSink =
  | { readonly kind: 'device'; readonly device: number | string }
  | { readonly kind: 'null' }
  | { readonly kind: 'wav'; readonly path: string; readonly exclusive: boolean; readonly mode: number }
  | { readonly kind: 'raw' };

const OUTPUT_OPTIONS = /\?((?:exclusive|mode=[0-7]{3,4})(?:&(?:exclusive|mode=[0-7]{3,4}))*)$/;

/** True for file names with control, bidi or invisible characters: nobody means them, and they forge log lines. */
export function hasUnsafePathCharacters(path: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2069\ufeff]/.test(path);
}

function checkPathText(path: string, spec: string): void {
  if (hasUnsafePathCharacters(path)) {
    throw new InvalidDeviceSpecError(`${JSON.stringify(spec.slice(0, 80))}: file names may not contain control or invisible characters`);
  }
}

function deviceRef(spec: DeviceSpec): number | string {
  if (typeof spec === 'number') {
    if (!Number.isInteger(spec) || spec < 0) throw new InvalidDeviceSpecError(`device index ${spec} is not a non-negative integer`);
    return spec;
  }
  const trimmed = spec.trim();
  if (trimmed === '' || trimmed.toLowerCase() === 'default') return 'default';
  // The CLI hands indexes over as strings.
  if (/^\d+$/.test(trimmed)) return Number.parseInt(trimmed, 10);
  return trimmed;
}

/** Parses an input spec; relative wav paths resolve against the current directory. */
export function parseInputSpec(spec: DeviceSpec, loop = false): InputSource {
  if (typeof spec === 'string') {
    const s = spec.trim();
    if (s.startsWith('tone:')) {
      const hz = Number(s.slice(5));
      if (!(hz > 0 && hz < 24_000)) throw new InvalidDeviceSpecError(`'${s}': the tone frequency must be a number of Hz between 0 and 24000, e.g. tone:440`);
      return { kind: 'tone', frequencyHz: hz };
    }
    if (s === 'silence') return { kind: 'silence' };
    if (s === 'raw:-') return { kind: 'raw' };
    if (s.startsWith('wav:')) {
      let path = s.slice(4);
      let looped = loop;
      if (path.endsWith('?loop')) {
        path = path.slice(0, -5);
        looped = true;
      }
      if (!path) throw new InvalidDeviceSpecError(`'${s}': give a file, e.g. wav:voice.wav or wav:voice.wav?loop`);
      checkPathText(path, s);
      return { kind: 'wav', path: resolve(path), loop: looped };
    }
    if (s === 'null') throw new InvalidDeviceSpecError(`'null' is an output; for an input that produces nothing use 'silence'`);
  }
  return { kind: 'device', device: deviceRef(spec) };
}

/** Parses an output spec; relative wav paths resolve against the current directory. */
export function parseOutputSpec(spec: DeviceSpec): OutputSink {
  if (typeof spec === 'string') {
    const s = spec.trim();
    if (s === 'null') return { kind: 'null' };
    if (s === 'raw:-') return { kind: 'raw' };
    if (s.startsWith('wav:')) {
      let path = s.slice(4);
      let exclusive = false;
      let mode = DEFAULT_RECORDING_MODE;
      const options = OUTPUT_OPTIONS.exec(path);
      if (options) {
        path = path.slice(0, options.index);
        for (const option of options[1]!.split('&')) {
          if (option === 'exclusive') exclusive = true;
          else mode = Number.parseInt(option.slice(5), 8);
        }
      }
      if (!path) throw new InvalidDeviceSpecError(`'${s}': give a file, e.g. wav:out.wav`);
      checkPathText(path, s);
      return { kind: 'wav', path: resolve(path), exclusive, mode };
    }
    if (s.startsWith('tone:') || s === 'silence') {
      throw new InvalidDeviceSpecError(`'${s}' is an input; outputs are a device, null, wav:<path> or raw:-`);
    }
  }
  return { kind: 'device', device: deviceRef(spec) };
}
