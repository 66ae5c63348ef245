import { parseInputSpec, parseOutputSpec } from '@alto/device-io';
import { MAX_VOLUME, MIN_VOLUME } from '@alto/orchestrator';
import { z } from '@hono/zod-openapi';
import { parseDeviceSpec } from './config.js';

// The request and response bodies of the control API, described once: the same schemas validate
// what clients send and generate the OpenAPI document. Ranges and the device grammar come from
// the packages that own them (imported above and nowhere else in the API).

/** `{ error: { code, message } }`, the body of every 4xx and 5xx answer. */
export const ErrorBody = z
  .object({ error: z.object({ code: z.string().describe('stable, machine-readable'), message: z.string().describe('what was wrong and what to send instead') }) })
  .openapi('Error');

/** A linear gain, as the mixer accepts it. */
export const Volume = z.number().min(MIN_VOLUME).max(MAX_VOLUME).describe(`a number from ${MIN_VOLUME} to ${MAX_VOLUME} (1 = as received)`);

/** A device as the daemon reports it (the status route echoes what it was given). */
export const DeviceSpec = z
  .union([z.string(), z.number().int().min(0), z.literal(false)])
  .openapi('DeviceSpec')
  // After .openapi(): the description stays readable for error messages and still reaches the document.
  .describe("'default', a device index or name substring, a backend (tone:<hz>, wav:<path>, silence, null, raw:-), or false/'none' for no device");

/** A device spec from a request, checked by device-io's grammar; `hardware` says whether it names a PortAudio device to look up. */
export interface RequestedDevice {
  readonly spec: string | number | false;
  readonly hardware: boolean;
}

function requestedDevice(kind: 'input' | 'output') {
  return DeviceSpec.transform((value, ctx): RequestedDevice => {
    try {
      const spec = parseDeviceSpec(value, `${kind} device`);
      if (spec === false) return { spec, hardware: false };
      const parsed = kind === 'input' ? parseInputSpec(spec) : parseOutputSpec(spec);
      return { spec, hardware: parsed.kind === 'device' && parsed.device !== 'default' };
    } catch (error) {
      // The parser's own message says what is wrong with the spec.
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error), params: { explained: true } });
      return z.NEVER;
    }
  });
}

/** Connection states, as the supervisor reports them. */
export const ConnectionState = z.enum(['idle', 'connecting', 'connected', 'reconnecting', 'disconnected']).openapi('ConnectionState');

/**
 * The fields of `GET /v1/status` (also the answer of join, leave and device switches): the
 * supervisor's `status()` plus the daemon's version and uptime. A field the supervisor starts
 * reporting is one line here (e.g. `e2ee: z.object({ enabled: z.boolean(), state: z.string() })`),
 * then `pnpm --filter @alto/daemon openapi`; until both are done the OpenAPI tests fail.
 */
export const STATUS_FIELDS = {
  state: ConnectionState,
  joined: z.boolean().describe('whether the daemon wants to be in its room (false after a leave)'),
  url: z.string(),
  room: z.string().nullable(),
  identity: z.string(),
  input: DeviceSpec,
  output: DeviceSpec,
  microphoneMuted: z.boolean(),
  masterVolume: Volume,
  recording: z.string().nullable().describe('the file being recorded, if any'),
  participants: z.number().int().min(0),
  reconnects: z.number().int().min(0),
  lastError: z.string().nullable(),
  agents: z
    .array(z.object({ identity: z.string(), name: z.string(), state: z.string().nullable() }))
    .describe('Voice agents (participant kind AGENT) in the room with their lk.agent.state.'),
  e2ee: z
    .object({
      enabled: z.boolean(),
      local: z.enum(['ok', 'encryption-failed', 'internal-error']).nullable(),
      participants: z.record(z.string(), z.enum(['ok', 'decryption-failed', 'missing-key', 'internal-error', 'needs-key', 'not-encrypted'])),
    })
    .describe(
      "End-to-end encryption (--e2ee-key-file): whether it is on, our own audio's encryption state, and for each remote participant whether their audio decrypts: ok, decryption-failed (a different key; they hear nothing from us either), needs-key (they encrypt and the daemon has no key: not played), not-encrypted (they send in the clear and cannot hear us).",
    ),
  responseLatency: z
    .object({ turns: z.number().int().min(0), p50Ms: z.number().nullable(), p95Ms: z.number().nullable() })
    .describe('Agent response latency over the call: end of our speech to the first audible sample of the reply leaving our mixer.'),
  version: z.string(),
  uptimeS: z.number().int().min(0),
} as const;

/** The status answer; closed, so a field the supervisor adds without documenting it fails the conformance test. */
export const Status = z.strictObject(STATUS_FIELDS).openapi('Status');

/** A remote participant as `GET /v1/participants` lists it. */
export const Participant = z
  .object({
    identity: z.string(),
    name: z.string(),
    volume: Volume,
    locallyMuted: z.boolean(),
    remoteMuted: z.boolean(),
    speaking: z.boolean(),
    levelDbfs: z.number(),
    peakDbfs: z.number(),
    bufferedMs: z.number(),
  })
  .openapi('Participant');

/** A sound device as PortAudio lists it. */
export const AudioDevice = z
  .object({
    index: z.number().int().min(0),
    name: z.string(),
    hostApi: z.string(),
    maxInputChannels: z.number().int().min(0),
    maxOutputChannels: z.number().int().min(0),
    defaultSampleRate: z.number(),
    isDefaultInput: z.boolean(),
    isDefaultOutput: z.boolean(),
  })
  .openapi('AudioDevice');

/** Voice processing switches. */
export const VOICE_FIELDS = ['echoCancellation', 'noiseSuppression', 'highPassFilter', 'autoGainControl'] as const;

const voiceSwitch = z.boolean().describe('true or false');
const voiceSwitches = Object.fromEntries(VOICE_FIELDS.map((field) => [field, voiceSwitch.optional()])) as Record<
  (typeof VOICE_FIELDS)[number],
  z.ZodOptional<z.ZodBoolean>
>;
const OutputFilter = z.enum(['radio']).nullable().describe('"radio" or null');

/** Voice processing and output filter in use. */
export const VoiceSettings = z.object({ voice: z.strictObject(voiceSwitches), outputFilter: OutputFilter }).openapi('VoiceSettings');

/** Push-to-talk state after a turn action. */
export const TurnState = z.object({ talking: z.boolean(), microphoneMuted: z.boolean() }).openapi('TurnState');

/** Longest chat message the API sends. */
export const MAX_CHAT_CHARS = 4000;

const overwrite = z.boolean().describe('true or false: replace an existing file (inside the recordings directory); default false');

/** Request bodies, by route. */
export const Bodies = {
  join: z.strictObject({
    room: z.string().min(1).max(128).describe('a string of 1 to 128 characters').optional(),
    identity: z.string().min(1).max(128).describe('a string of 1 to 128 characters').optional(),
  }),
  volume: z.strictObject({ volume: Volume }).openapi('VolumeBody'),
  mute: z.strictObject({ muted: z.boolean().describe('true or false') }),
  voice: z.strictObject({ ...voiceSwitches, outputFilter: OutputFilter.optional() }),
  devices: z.strictObject({ input: requestedDevice('input').optional(), output: requestedDevice('output').optional(), overwrite: overwrite.optional() }),
  recording: z.strictObject({
    path: z.string().describe('a .wav file name inside the recordings directory'),
    overwrite: overwrite.optional(),
  }),
  chat: z.strictObject({
    text: z
      .string()
      .refine((text) => text.trim() !== '' && [...text].length <= MAX_CHAT_CHARS)
      .describe(`a non-empty string of at most ${MAX_CHAT_CHARS} characters`),
  }),
} as const;

/** The `{identity}` path parameter (percent-decoded before it is checked). */
export const IdentityParams = z.object({
  identity: z.string().min(1).max(256).describe('participant identity, 1 to 256 characters (percent-encoded in the path)'),
});
