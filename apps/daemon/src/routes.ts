import { FilePolicyError, OrchestratorError, checkWritePath, confineInputSpec, confineOutputSpec, sanitizeText } from '@alto/orchestrator';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { z } from '@hono/zod-openapi';
import { AGENT_ROUTES } from './agent-routes.js';
import { defineRoute, type ApiRoute, type RouteContext } from './api-route.js';
import { AudioDevice, Bodies, Participant, Status, VOICE_FIELDS, VoiceSettings, Volume } from './api-schemas.js';
import { ApiError } from './errors.js';
import { describe } from './http-io.js';

export type { ListDevices, RouteContext } from './api-route.js';

function status(ctx: RouteContext): ReturnType<RouteContext['supervisor']['status']> & { version: string; uptimeS: number } {
  return {
    ...ctx.supervisor.status(),
    version: ctx.version,
    uptimeS: Math.round((Date.now() - ctx.startedAt) / 1000),
  };
}

/** Maps a file policy refusal to its HTTP answer; the message never says what exists outside the directory. */
function policyError(error: unknown): never {
  if (error instanceof FilePolicyError) {
    const status = error.reason === 'exists' ? 409 : error.reason === 'not_allowed' ? 403 : 400;
    throw new ApiError(status, error.reason === 'exists' ? 'file_exists' : error.reason === 'not_allowed' ? 'not_allowed' : 'invalid_path', error.message);
  }
  if (error instanceof Error && 'code' in error && error.code === 'INVALID_DEVICE_SPEC') throw new ApiError(400, 'invalid_device', error.message);
  throw error;
}

/** Refuses hardware device specs that match no listed device, so a typo doesn't loop reconnects. */
async function checkDevice(spec: string | number | false | undefined, hardware: boolean, what: string, ctx: RouteContext): Promise<void> {
  if (spec === undefined || spec === false || !hardware) return;
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

const ok = (schema: z.ZodType, description = 'OK') => ({ 200: { description, schema } });
const MicrophoneState = z.object({ microphoneMuted: z.boolean() }).openapi('MicrophoneState');

function microphoneRoute(verb: 'mute' | 'unmute'): ApiRoute {
  return defineRoute({
    method: 'POST',
    path: `/v1/${verb}`,
    operationId: verb === 'mute' ? 'muteMicrophone' : 'unmuteMicrophone',
    summary: verb === 'mute' ? 'Mute the microphone.' : 'Unmute the microphone.',
    answers: ok(MicrophoneState),
    handle: async ({ ctx }) => {
      await ctx.supervisor.setMicrophoneMuted(verb === 'mute');
      return { status: 200, body: { microphoneMuted: verb === 'mute' } };
    },
  });
}

/** `GET /healthz`, the one route answered without the token. */
export const HEALTH_ROUTE: ApiRoute = defineRoute({
  method: 'GET',
  path: '/healthz',
  operationId: 'health',
  summary: 'Liveness (no auth).',
  public: true,
  answers: ok(z.object({ ok: z.literal(true) })),
  handle: () => Promise.resolve({ status: 200, body: { ok: true } }),
});

/** The control API's routes that need the token, each described once (OpenAPI operation, validation and handler). */
export const ROUTES: readonly ApiRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/v1/status',
    operationId: 'getStatus',
    summary: 'Connection state, room, devices, volumes, recording. Never contains credentials.',
    answers: ok(Status),
    handle: ({ ctx }) => Promise.resolve({ status: 200, body: status(ctx) }),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/participants',
    operationId: 'listParticipants',
    summary: 'Remote participants with levels and volumes.',
    answers: ok(z.object({ participants: z.array(Participant) })),
    handle: ({ ctx }) => Promise.resolve({ status: 200, body: { participants: ctx.supervisor.participants() } }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/join',
    operationId: 'join',
    summary: 'Join the configured room, or another room/identity (needs an API key and secret). Retries forever in the background.',
    body: { schema: Bodies.join, required: false, example: '{"room": "lobby", "identity": "kiosk-1"}' },
    answers: { 200: { description: 'Connected.', schema: Status }, 202: { description: 'First attempt failed; retrying with backoff.', schema: Status } },
    errors: { 409: 'Room change impossible with a fixed LIVEKIT_TOKEN.' },
    handle: async ({ ctx, body }) => {
      const current = ctx.supervisor.status();
      const changes = (body.room !== undefined && body.room !== current.room) || (body.identity !== undefined && body.identity !== current.identity);
      if (changes && !ctx.supervisor.canMint) {
        throw new ApiError(409, 'cannot_change_room', 'this daemon runs with a fixed LIVEKIT_TOKEN; configure LIVEKIT_API_KEY and LIVEKIT_API_SECRET to join other rooms or identities');
      }
      if (current.room === null && body.room === undefined) {
        throw new ApiError(400, 'missing_room', 'no room configured; send {"room": "<name>"}');
      }
      await ctx.supervisor.join({ ...(body.room !== undefined ? { room: body.room } : {}), ...(body.identity !== undefined ? { identity: body.identity } : {}) });
      const after = status(ctx);
      return { status: after.state === 'connected' ? 200 : 202, body: after };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/leave',
    operationId: 'leave',
    summary: 'Leave the room (finalises a running recording) and stop retrying.',
    answers: ok(Status),
    handle: async ({ ctx }) => {
      await ctx.supervisor.leave();
      return { status: 200, body: status(ctx) };
    },
  }),
  microphoneRoute('mute'),
  microphoneRoute('unmute'),
  defineRoute({
    method: 'PUT',
    path: '/v1/volume',
    operationId: 'setMasterVolume',
    summary: 'Set the master playback volume.',
    body: { schema: Bodies.volume, required: true, example: '{"volume": 0.5}' },
    answers: ok(z.object({ masterVolume: Volume })),
    handle: ({ ctx, body }) => {
      ctx.supervisor.setMasterVolume(body.volume);
      return Promise.resolve({ status: 200, body: { masterVolume: body.volume } });
    },
  }),
  defineRoute({
    method: 'PUT',
    path: '/v1/participants/{identity}/volume',
    operationId: 'setParticipantVolume',
    summary: "Set a participant's playback volume (remembered if they are not present yet).",
    body: { schema: Bodies.volume, required: true, example: '{"volume": 0.5}' },
    answers: ok(z.object({ identity: z.string(), volume: Volume, present: z.boolean() })),
    handle: ({ ctx, body, identity }) => {
      ctx.supervisor.setParticipantVolume(identity, body.volume);
      const present = ctx.supervisor.participants().some((p) => p.identity === identity);
      return Promise.resolve({ status: 200, body: { identity, volume: body.volume, present } });
    },
  }),
  defineRoute({
    method: 'PUT',
    path: '/v1/participants/{identity}/mute',
    operationId: 'setParticipantMuted',
    summary: 'Mute or unmute a participant locally.',
    body: { schema: Bodies.mute, required: true, example: '{"muted": true}' },
    answers: ok(z.object({ identity: z.string(), muted: z.boolean(), present: z.boolean() })),
    handle: ({ ctx, body, identity }) => {
      ctx.supervisor.setParticipantMuted(identity, body.muted);
      const present = ctx.supervisor.participants().some((p) => p.identity === identity);
      return Promise.resolve({ status: 200, body: { identity, muted: body.muted, present } });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/voice',
    operationId: 'getVoice',
    summary: 'Voice processing and output filter in use.',
    answers: ok(VoiceSettings, 'Current settings.'),
    handle: ({ ctx }) => Promise.resolve({ status: 200, body: ctx.supervisor.voiceSettings() }),
  }),
  defineRoute({
    method: 'PUT',
    path: '/v1/voice',
    operationId: 'setVoice',
    summary: 'Change echo cancellation, noise suppression, high-pass filter, gain control or the radio output filter; a joined daemon reconnects with them.',
    body: { schema: Bodies.voice, required: true, example: '{"echoCancellation": true, "outputFilter": "radio"}', errorCodes: Object.fromEntries(VOICE_FIELDS.map((f) => [f, 'invalid_voice'])) },
    answers: ok(VoiceSettings, 'The settings now in use.'),
    handle: async ({ ctx, body }) => {
      const { outputFilter } = body;
      const voice: Record<string, boolean> = {};
      for (const field of VOICE_FIELDS) if (body[field] !== undefined) voice[field] = body[field];
      if (Object.keys(voice).length === 0 && outputFilter === undefined) {
        throw new ApiError(400, 'missing_voice', `send at least one of ${VOICE_FIELDS.join(', ')}, outputFilter`);
      }
      await ctx.supervisor.setVoice(voice, outputFilter);
      return { status: 200, body: ctx.supervisor.voiceSettings() };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/devices',
    operationId: 'listDevices',
    summary: 'Audio devices of this machine.',
    answers: ok(z.object({ devices: z.array(AudioDevice) })),
    errors: { 503: 'The audio system cannot be queried.' },
    handle: async ({ ctx }) => {
      try {
        return { status: 200, body: { devices: await ctx.listDevices() } };
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        throw new ApiError(503, 'devices_unavailable', `cannot list audio devices (${detail}); check the audio system`);
      }
    },
  }),
  defineRoute({
    method: 'PUT',
    path: '/v1/devices',
    operationId: 'switchDevices',
    summary:
      'Switch input and/or output; the client reconnects with the new devices. wav: outputs are confined to the recordings directory; wav: inputs and raw:- need the operator\'s permission.',
    body: { schema: Bodies.devices, required: true, example: '{"input": "default", "output": "wav:out.wav"}', errorCodes: { input: 'invalid_device', output: 'invalid_device' } },
    answers: ok(Status),
    errors: { 403: 'A wav: input or raw:- that the configuration does not allow.', 409: 'The wav: output file exists and overwrite is not true.' },
    handle: async ({ ctx, body }) => {
      let input = body.input?.spec;
      let output = body.output?.spec;
      if (input === undefined && output === undefined) {
        throw new ApiError(400, 'missing_device', 'send "input", "output" or both, e.g. {"input": "USB"}');
      }
      try {
        if (input !== undefined && input !== false) input = confineInputSpec(input, ctx.filePolicy());
        if (output !== undefined && output !== false) output = confineOutputSpec(output, ctx.filePolicy(), { overwrite: body.overwrite ?? false });
      } catch (error) {
        policyError(error);
      }
      await checkDevice(input, body.input?.hardware ?? false, 'input', ctx);
      await checkDevice(output, body.output?.hardware ?? false, 'output', ctx);
      await ctx.supervisor.switchDevices({ ...(input !== undefined ? { input } : {}), ...(output !== undefined ? { output } : {}) });
      return { status: 200, body: status(ctx) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/recording',
    operationId: 'startRecording',
    summary: 'Record what the daemon hears to a WAV file (replaces a running recording).',
    body: { schema: Bodies.recording, required: true, example: '{"path": "meeting.wav"}' },
    answers: ok(z.object({ recording: z.string() })),
    errors: {
      403: 'The recordings directory does not allow this file.',
      409: 'Not in a room (`not_connected`), the daemon plays nothing (output none) and so receives no remote audio (`not_receiving`), or the file exists and overwrite is not true (`file_exists`).',
    },
    handle: async ({ ctx, body }) => {
      const overwrite = body.overwrite ?? false;
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
  }),
  defineRoute({
    method: 'DELETE',
    path: '/v1/recording',
    operationId: 'stopRecording',
    summary: 'Finalise and stop the recording (no-op when none).',
    answers: ok(z.object({ recording: z.null() })),
    handle: async ({ ctx }) => {
      await ctx.supervisor.stopRecording();
      return { status: 200, body: { recording: null } };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/metrics',
    operationId: 'metrics',
    summary:
      'Prometheus text exposition (prom-client): connection state, reconnects, per-participant level and buffered ms, per-stream underruns and frames, device and network frames, event-loop lag.',
    answers: { 200: { description: 'Prometheus text format 0.0.4.', schema: z.string(), contentType: 'text/plain' } },
    handle: async ({ ctx }) => {
      const text = await ctx.metrics.registry.metrics();
      return new Response(text, { status: 200, headers: { 'content-type': ctx.metrics.registry.contentType, 'cache-control': 'no-store' } });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/events',
    operationId: 'events',
    summary:
      'Server-sent events: status (first), state, participantJoined, participantLeft, trackMuted, activeSpeakers, connectionQuality, e2ee (identity, local, state: whether a participant’s audio decrypts), transcription (every update), transcript (final conversation lines with speaker, startMs, endMs), agent-state, turn-latency, turn, data, error, reconnectScheduled, recording, and levels at 10 Hz. Each event has `id`, `event` and one JSON `data` line.',
    answers: { 200: { description: 'An event stream.', schema: z.string(), contentType: 'text/event-stream' } },
    errors: { 429: 'Too many event streams are open.' },
    handle: ({ c, ctx }) => {
      if (!ctx.events.attach(c.env.outgoing)) {
        throw new ApiError(429, 'too_many_streams', 'too many event streams are open; close one and retry');
      }
      return Promise.resolve(RESPONSE_ALREADY_SENT);
    },
  }),
  ...AGENT_ROUTES,
];

/** Every route the server mounts and the OpenAPI document lists. */
export const ALL_ROUTES: readonly ApiRoute[] = [HEALTH_ROUTE, ...ROUTES];
