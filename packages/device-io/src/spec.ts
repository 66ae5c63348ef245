import { resolve } from 'node:path';
import * as z from 'zod/mini';
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

/** How a spec is read: where relative paths start, the rate bounding tones, how messages name it. */
export interface SpecParseOptions {
  /** Base of relative `wav:` paths. Default: the current directory. */
  readonly cwd?: string;
  /** Session rate: tone frequencies must stay below half of it. Default 48000. */
  readonly sampleRate?: number;
  /** Prefix of error messages naming where the spec came from, e.g. `-i`. */
  readonly label?: string;
}

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

/**
 * Parses an input spec; relative wav paths resolve against `options.cwd` (default: the current directory).
 * @throws {InvalidDeviceSpecError} one line naming the spec and what to use instead
 */
export function parseInputSpec(spec: DeviceSpec, loop = false, options: SpecParseOptions = {}): InputSource {
  const label = options.label === undefined ? '' : `${options.label} `;
  if (typeof spec === 'string') {
    const s = spec.trim();
    if (s.startsWith('tone:')) {
      const arg = s.slice(5);
      const hz = /^\s*\d+(\.\d*)?\s*$/.test(arg) ? Number(arg) : Number.NaN;
      const top = (options.sampleRate ?? 48_000) / 2 - 1;
      if (!(hz >= 1 && hz <= top)) {
        throw new InvalidDeviceSpecError(`${label}tone:${clip(arg)} is not a frequency; give Hz between 1 and ${top} (the tone frequency), e.g. tone:440`);
      }
      return { kind: 'tone', frequencyHz: hz };
    }
    if (s === 'silence') return { kind: 'silence' };
    if (s.startsWith('silence:')) throw new InvalidDeviceSpecError(`${label}silence takes no argument; write just: ${label}silence`);
    if (s === 'raw:-') return { kind: 'raw' };
    if (s.startsWith('wav:')) {
      let path = s.slice(4);
      let looped = loop;
      if (path.endsWith('?loop')) {
        path = path.slice(0, -5);
        looped = true;
      }
      if (!path) throw new InvalidDeviceSpecError(`${label}'${s}': give a file, e.g. wav:voice.wav or wav:voice.wav?loop`);
      checkPathText(path, s);
      return { kind: 'wav', path: resolve(options.cwd ?? '.', path), loop: looped };
    }
    if (s === 'null' || s.startsWith('null:')) {
      throw new InvalidDeviceSpecError(`null is an output backend; for a silent microphone use ${label}silence`);
    }
    checkBackendName(s, 'stdin', label);
  }
  return { kind: 'device', device: deviceRef(spec) };
}

/**
 * Parses an output spec; relative wav paths resolve against `options.cwd` (default: the current directory).
 * @throws {InvalidDeviceSpecError} one line naming the spec and what to use instead
 */
export function parseOutputSpec(spec: DeviceSpec, options: SpecParseOptions = {}): OutputSink {
  const label = options.label === undefined ? '' : `${options.label} `;
  if (typeof spec === 'string') {
    const s = spec.trim();
    if (s === 'null') return { kind: 'null' };
    if (s.startsWith('null:')) throw new InvalidDeviceSpecError(`${label}null takes no argument; write just: ${label}null`);
    if (s === 'raw:-') return { kind: 'raw' };
    if (s.startsWith('wav:')) {
      let path = s.slice(4);
      let exclusive = false;
      let mode = DEFAULT_RECORDING_MODE;
      const options_ = OUTPUT_OPTIONS.exec(path);
      if (options_) {
        path = path.slice(0, options_.index);
        for (const option of options_[1]!.split('&')) {
          if (option === 'exclusive') exclusive = true;
          else mode = Number.parseInt(option.slice(5), 8);
        }
      }
      if (!path) throw new InvalidDeviceSpecError(`${label}'${s}': give a file, e.g. wav:out.wav`);
      checkPathText(path, s);
      return { kind: 'wav', path: resolve(options.cwd ?? '.', path), exclusive, mode };
    }
    if (s.startsWith('tone:') || s === 'silence') {
      const what = s === 'silence' ? 'silence' : 'tone:';
      throw new InvalidDeviceSpecError(`${what} is an input backend; outputs are a device, null, wav:<path> or raw:-`);
    }
    checkBackendName(s, 'stdout', label);
  }
  return { kind: 'device', device: deviceRef(spec) };
}

/**
 * `raw:` other than `raw:-`, and `mp3:song.mp3`, are mistaken backends; `hw:0,0` and
 * `sysdefault:CARD=PCH` are legitimate ALSA device names.
 */
function checkBackendName(s: string, stdio: string, label: string): void {
  const colon = s.indexOf(':');
  if (colon <= 0) return;
  const scheme = s.slice(0, colon).toLowerCase();
  const arg = s.slice(colon + 1);
  if (scheme === 'raw') throw new InvalidDeviceSpecError(`${label}raw:${clip(arg)} is not supported; use ${label}raw:- for ${stdio}`);
  if (/^[a-z][a-z0-9]*$/.test(scheme) && /\.\w+$/.test(arg)) {
    throw new InvalidDeviceSpecError(`${label}${clip(s)}: unknown backend '${clip(scheme)}'; use wav:, tone:, raw:, silence or null`);
  }
}

function clip(text: string): string {
  // eslint-disable-next-line no-control-regex
  const safe = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return safe.length > 60 ? `${safe.slice(0, 60)}…` : safe;
}

/** The spec text that {@link parseInputSpec} reads back as `source`. */
export function formatInputSource(source: InputSource): DeviceSpec {
  switch (source.kind) {
    case 'device':
      return source.device;
    case 'tone':
      return `tone:${source.frequencyHz}`;
    case 'silence':
      return 'silence';
    case 'raw':
      return 'raw:-';
    case 'wav':
      return `wav:${source.path}${source.loop ? '?loop' : ''}`;
  }
}

/** The spec text that {@link parseOutputSpec} reads back as `sink`. */
export function formatOutputSink(sink: OutputSink): DeviceSpec {
  switch (sink.kind) {
    case 'device':
      return sink.device;
    case 'null':
      return 'null';
    case 'raw':
      return 'raw:-';
    case 'wav': {
      const opts = [...(sink.exclusive ? ['exclusive'] : []), ...(sink.mode === DEFAULT_RECORDING_MODE ? [] : [`mode=${sink.mode.toString(8)}`])];
      return `wav:${sink.path}${opts.length > 0 ? `?${opts.join('&')}` : ''}`;
    }
  }
}

function refine<T>(parse: (spec: DeviceSpec) => T): z.ZodMiniType<T, DeviceSpec> {
  return z.pipe(
    z.union([z.string(), z.number()]),
    z.transform((spec: DeviceSpec, ctx) => {
      try {
        return parse(spec);
      } catch (error) {
        ctx.issues.push({ code: 'custom', message: error instanceof Error ? error.message : String(error), input: spec });
        return z.NEVER;
      }
    }),
  );
}

/** A zod schema reading an input spec (text or index) into an {@link InputSource} with {@link parseInputSpec}. */
export function inputSpecSchema(options: SpecParseOptions = {}): z.ZodMiniType<InputSource, DeviceSpec> {
  return refine((spec) => parseInputSpec(spec, false, options));
}

/** A zod schema reading an output spec (text or index) into an {@link OutputSink} with {@link parseOutputSpec}. */
export function outputSpecSchema(options: SpecParseOptions = {}): z.ZodMiniType<OutputSink, DeviceSpec> {
  return refine((spec) => parseOutputSpec(spec, options));
}
