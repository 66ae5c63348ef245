import type { IncomingMessage, ServerResponse } from 'node:http';
import { FilePolicyError, OrchestratorError, checkWritePath, confineInputSpec, confineOutputSpec, sanitizeText, type FilePolicy } from '@alto/orchestrator';
import { AGENT_ROUTES } from './agent-routes.js';
import { parseDeviceSpec } from './config.js';
import { ApiError, ConfigError } from './errors.js';
import { describe, expectObject, expectVolume, readJsonBody, sendJson } from './http-io.js';
import type { DaemonMetrics } from './metrics.js';
import type { EventStreamHub } from './sse.js';
import type { ClientSupervisor } from './supervisor.js';

/** Lists the machine's audio devices (the orchestrator's `listDevices`). */
export type ListDevices = () => Promise<readonly object[]>;

/** What route handlers work with. */
export interface RouteContext {
  readonly supervisor: ClientSupervisor;
  readonly listDevices: ListDevices;
  readonly metrics: DaemonMetrics;
  readonly events: EventStreamHub;
  readonly startedAt: number;
  readonly version: string;
  /** What API clients may make the daemon write and read (current after reloads). */
  readonly filePolicy: () => FilePolicy;
}

/** One request being handled. */
export interface RouteRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly params: readonly string[];
  readonly ctx: RouteContext;
}

/** A handler either answers with JSON (`status`, `body`) or has written the response itself. */
export type RouteResult = { readonly status: number; readonly body: unknown } | 'handled';

/** One entry of the route table; `path` is the OpenAPI template. */
export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly pattern: RegExp;
  readonly handle: (request: RouteRequest) => Promise<RouteResult>;
}

const IDENTITY = '([^/]+)';
const VOICE_FIELDS = ['echoCancellation', 'noiseSuppression', 'highPassFilter', 'autoGainControl'] as const;

function status(ctx: RouteContext): Record<string, unknown> {
  return {
    ...ctx.supervisor.status(),
    version: ctx.version,
    uptimeS: Math.round((Date.now() - ctx.startedAt) / 1000),
  };
}

function identityParam(params: readonly string[]): string {
  let identity: string;
  try {
    identity = decodeURIComponent(params[0] ?? '');
  } catch {
    throw new ApiError(400, 'invalid_identity', 'participant identity in the path is not valid percent-encoding');
  }
  if (identity.length === 0 || identity.length > 256) {
    throw new ApiError(400, 'invalid_identity', 'participant identity must be 1 to 256 characters');
  }
  return identity;
}

function deviceField(value: unknown, what: 'input' | 'output'): string | number | false | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number' && value !== false) {
    throw new ApiError(400, 'invalid_device', `"${what}" must be a device name, index, backend spec or false, got ${describe(value)}`);
  }
  try {
    return parseDeviceSpec(value, `${what} device`);
  } catch (error) {
    if (error instanceof ConfigError) throw new ApiError(400, 'invalid_device', error.message);
    throw error;
  }
}

const BACKEND = /^(default|silence|null|tone:|wav:|raw:)/i;

/** Maps a file policy refusal to its HTTP answer; the message never says what exists outside the directory. */
function policyError(error: unknown): never {
  if (error instanceof FilePolicyError) {
    const status = error.reason === 'exists' ? 409 : error.reason === 'not_allowed' ? 403 : 400;
    throw new ApiError(status, error.reason === 'exists' ? 'file_exists' : error.reason === 'not_allowed' ? 'not_allowed' : 'invalid_path', error.message);
  }
  if (error instanceof Error && 'code' in error && error.code === 'INVALID_DEVICE_SPEC') throw new ApiError(400, 'invalid_device', error.message);
  throw error;
}

function overwriteField(value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new ApiError(400, 'invalid_overwrite', `"overwrite" must be true or false, got ${describe(value)}`);
  return value;
}

/** Refuses hardware device specs that match no listed device, so a typo doesn't loop reconnects. */
async function checkDevice(spec: string | number | false | undefined, what: string, ctx: RouteContext): Promise<void> {
  if (spec === undefined || spec === false || (typeof spec === 'string' && BACKEND.test(spec))) return;
  let devices: readonly object[];
  try {
    devices = await ctx.listDevices();
  } catch {
    return; // Device listing unavailable: let the client report the problem when it opens it.
  }
  const found = devices.some((device) => {
    const d = device as { id?: unknown; index?: unknown; name?: unknown; maxInputChannels?: unknown; maxOutputChannels?: unknown };
    const channels = what === 'input' ? d.maxInputChannels : d.maxOutputChannels;
    if (typeof channels === 'number' && channels <= 0) return false;
    if (typeof spec === 'number') return d.id === spec || d.index === spec;
    return typeof d.name === 'string' && d.name.toLowerCase().includes(spec.toLowerCase());
  });
  if (!found) {
    throw new ApiError(400, 'unknown_device', `no ${what} device matches ${describe(spec)}; GET /v1/devices lists them`);
  }
}

/** The control API's route table, matched in order. Keep `openapi.json` in step with it. */
export const ROUTES: readonly Route[] = [
  { method: 'GET', path: '/v1/status', pattern: /^\/v1\/status$/, handle: ({ ctx }) => Promise.resolve({ status: 200, body: status(ctx) }) },
  {
    method: 'GET',
    path: '/v1/participants',
    pattern: /^\/v1\/participants$/,
    handle: ({ ctx }) => Promise.resolve({ status: 200, body: { participants: ctx.supervisor.participants() } }),
  },
  {
    method: 'POST',
    path: '/v1/join',
    pattern: /^\/v1\/join$/,
    handle: async ({ req, ctx }) => {
      const raw = await readJsonBody(req);
      const body = raw === undefined ? {} : expectObject(raw, ['room', 'identity'], '{"room": "lobby", "identity": "kiosk-1"}');
      const target: { room?: string; identity?: string } = {};
      for (const key of ['room', 'identity'] as const) {
        const value = body[key];
        if (value === undefined) continue;
        if (typeof value !== 'string' || value.length === 0 || value.length > 128) {
          throw new ApiError(400, `invalid_${key}`, `"${key}" must be a string of 1 to 128 characters, got ${describe(value)}`);
        }
        target[key] = value;
      }
      const current = ctx.supervisor.status();
      const changes = (target.room !== undefined && target.room !== current.room) || (target.identity !== undefined && target.identity !== current.identity);
      if (changes && !ctx.supervisor.canMint) {
        throw new ApiError(409, 'cannot_change_room', 'this daemon runs with a fixed LIVEKIT_TOKEN; configure LIVEKIT_API_KEY and LIVEKIT_API_SECRET to join other rooms or identities');
      }
      if (current.room === null && target.room === undefined) {
        throw new ApiError(400, 'missing_room', 'no room configured; send {"room": "<name>"}');
      }
      await ctx.supervisor.join(target);
      const after = status(ctx);
      return { status: after.state === 'connected' ? 200 : 202, body: after };
    },
  },
  {
    method: 'POST',
    path: '/v1/leave',
    pattern: /^\/v1\/leave$/,
    handle: async ({ ctx }) => {
      await ctx.supervisor.leave();
      return { status: 200, body: status(ctx) };
    },
  },
  ...(['mute', 'unmute'] as const).map(
    (verb): Route => ({
      method: 'POST',
      path: `/v1/${verb}`,
      pattern: new RegExp(`^/v1/${verb}$`),
      handle: async ({ ctx }) => {
        await ctx.supervisor.setMicrophoneMuted(verb === 'mute');
        return { status: 200, body: { microphoneMuted: verb === 'mute' } };
      },
    }),
  ),
  {
    method: 'PUT',
    path: '/v1/volume',
    pattern: /^\/v1\/volume$/,
    handle: async ({ req, ctx }) => {
      const body = expectObject(await readJsonBody(req), ['volume'], '{"volume": 0.5}');
      const volume = expectVolume(body.volume);
      ctx.supervisor.setMasterVolume(volume);
      return { status: 200, body: { masterVolume: volume } };
    },
  },
  {
    method: 'PUT',
    path: '/v1/participants/{identity}/volume',
    pattern: new RegExp(`^/v1/participants/${IDENTITY}/volume$`),
    handle: async ({ req, params, ctx }) => {
      const identity = identityParam(params);
      const body = expectObject(await readJsonBody(req), ['volume'], '{"volume": 0.5}');
      const volume = expectVolume(body.volume);
      ctx.supervisor.setParticipantVolume(identity, volume);
      const present = ctx.supervisor.participants().some((p) => p.identity === identity);
      return { status: 200, body: { identity, volume, present } };
    },
  },
  {
    method: 'PUT',
    path: '/v1/participants/{identity}/mute',
    pattern: new RegExp(`^/v1/participants/${IDENTITY}/mute$`),
    handle: async ({ req, params, ctx }) => {
      const identity = identityParam(params);
      const body = expectObject(await readJsonBody(req), ['muted'], '{"muted": true}');
      if (typeof body.muted !== 'boolean') {
        throw new ApiError(400, 'invalid_muted', `"muted" must be true or false, got ${describe(body.muted)}`);
      }
      ctx.supervisor.setParticipantMuted(identity, body.muted);
      const present = ctx.supervisor.participants().some((p) => p.identity === identity);
      return { status: 200, body: { identity, muted: body.muted, present } };
    },
  },
  {
    method: 'GET',
    path: '/v1/voice',
    pattern: /^\/v1\/voice$/,
    handle: ({ ctx }) => Promise.resolve({ status: 200, body: ctx.supervisor.voiceSettings() }),
  },
  {
    method: 'PUT',
    path: '/v1/voice',
    pattern: /^\/v1\/voice$/,
    handle: async ({ req, ctx }) => {
      const body = expectObject(await readJsonBody(req), [...VOICE_FIELDS, 'outputFilter'], '{"echoCancellation": true, "outputFilter": "radio"}');
      const voice: Record<string, boolean> = {};
      for (const field of VOICE_FIELDS) {
        const value = body[field];
        if (value === undefined) continue;
        if (typeof value !== 'boolean') throw new ApiError(400, 'invalid_voice', `"${field}" must be true or false, got ${describe(value)}`);
        voice[field] = value;
      }
      const filter = body.outputFilter;
      if (filter !== undefined && filter !== null && filter !== 'radio') {
        throw new ApiError(400, 'invalid_output_filter', `"outputFilter" must be "radio" or null, got ${describe(filter)}`);
      }
      if (Object.keys(voice).length === 0 && filter === undefined) {
        throw new ApiError(400, 'missing_voice', `send at least one of ${VOICE_FIELDS.join(', ')}, outputFilter`);
      }
      await ctx.supervisor.setVoice(voice, filter);
      return { status: 200, body: ctx.supervisor.voiceSettings() };
    },
  },
  {
    method: 'GET',
    path: '/v1/devices',
    pattern: /^\/v1\/devices$/,
    handle: async ({ ctx }) => {
      try {
        return { status: 200, body: { devices: await ctx.listDevices() } };
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        throw new ApiError(503, 'devices_unavailable', `cannot list audio devices (${detail}); check the audio system`);
      }
    },
  },
  {
    method: 'PUT',
    path: '/v1/devices',
    pattern: /^\/v1\/devices$/,
    handle: async ({ req, ctx }) => {
      const body = expectObject(await readJsonBody(req), ['input', 'output', 'overwrite'], '{"input": "default", "output": "wav:out.wav"}');
      let input = deviceField(body.input, 'input');
      let output = deviceField(body.output, 'output');
      const overwrite = overwriteField(body.overwrite);
      if (input === undefined && output === undefined) {
        throw new ApiError(400, 'missing_device', 'send "input", "output" or both, e.g. {"input": "USB"}');
      }
      try {
        if (input !== undefined && input !== false) input = confineInputSpec(input, ctx.filePolicy());
        if (output !== undefined && output !== false) output = confineOutputSpec(output, ctx.filePolicy(), { overwrite });
      } catch (error) {
        policyError(error);
      }
      await checkDevice(input, 'input', ctx);
      await checkDevice(output, 'output', ctx);
      await ctx.supervisor.switchDevices({
        ...(input !== undefined ? { input } : {}),
        ...(output !== undefined ? { output } : {}),
      });
      return { status: 200, body: status(ctx) };
    },
  },
  {
    method: 'POST',
    path: '/v1/recording',
    pattern: /^\/v1\/recording$/,
    handle: async ({ req, ctx }) => {
      const body = expectObject(await readJsonBody(req), ['path', 'overwrite'], '{"path": "meeting.wav"}');
      const overwrite = overwriteField(body.overwrite);
      if (typeof body.path !== 'string') {
        throw new ApiError(400, 'invalid_path', `"path" must be a .wav file name inside the recordings directory, got ${describe(body.path)}`);
      }
      const policy = ctx.filePolicy();
      let path: string;
      try {
        path = checkWritePath(body.path, policy, { overwrite });
      } catch (error) {
        policyError(error);
      }
      let started: boolean;
      try {
        started = await ctx.supervisor.startRecording(path, { exclusive: !overwrite, ...(policy.fileMode !== undefined ? { mode: policy.fileMode } : {}) });
      } catch (error) {
        if (error instanceof OrchestratorError && error.code === 'NOT_RECEIVING') {
          throw new ApiError(409, 'not_receiving', 'this daemon plays nothing (output none), so it receives no remote audio; set an output (e.g. null) and rejoin to record');
        }
        const detail = sanitizeText(error instanceof Error ? error.message : String(error));
        throw new ApiError(400, 'recording_failed', `cannot record to ${path} (${detail}); check the recordings directory is writable`);
      }
      if (!started) throw new ApiError(409, 'not_connected', 'not in a room; POST /v1/join first, then start the recording');
      return { status: 200, body: { recording: path } };
    },
  },
  {
    method: 'DELETE',
    path: '/v1/recording',
    pattern: /^\/v1\/recording$/,
    handle: async ({ ctx }) => {
      await ctx.supervisor.stopRecording();
      return { status: 200, body: { recording: null } };
    },
  },
  {
    method: 'GET',
    path: '/metrics',
    pattern: /^\/metrics$/,
    handle: async ({ res, ctx }) => {
      const text = await ctx.metrics.registry.metrics();
      res.writeHead(200, { 'content-type': ctx.metrics.registry.contentType, 'cache-control': 'no-store' });
      res.end(text);
      return 'handled';
    },
  },
  {
    method: 'GET',
    path: '/v1/events',
    pattern: /^\/v1\/events$/,
    handle: ({ res, ctx }) => {
      if (!ctx.events.attach(res)) {
        throw new ApiError(429, 'too_many_streams', 'too many event streams are open; close one and retry');
      }
      return Promise.resolve('handled');
    },
  },
  ...AGENT_ROUTES,
];

/** Sends a handler's result. */
export function sendResult(res: ServerResponse, result: RouteResult): void {
  if (result !== 'handled') sendJson(res, result.status, result.body);
}
