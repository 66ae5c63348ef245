import type { AltoClientApi } from '@alto/orchestrator';
import { ApiError } from './errors.js';
import { describe, expectObject, readJsonBody } from './http-io.js';
import type { Route, RouteContext } from './routes.js';
import type { SupervisorEvent } from './supervisor.js';

/** Longest chat message the API sends. */
const MAX_CHAT_CHARS = 4000;

function connectedClient(ctx: RouteContext, what: string): AltoClientApi {
  const client = ctx.supervisor.currentClient;
  if (!client || client.state !== 'connected') {
    throw new ApiError(409, 'not_connected', `not in a room; POST /v1/join first, then ${what}`);
  }
  return client;
}

function turnRoute(action: 'start' | 'end' | 'cancel'): Route {
  return {
    method: 'POST',
    path: `/v1/turn/${action}`,
    pattern: new RegExp(`^/v1/turn/${action}$`),
    handle: async ({ ctx }) => {
      const client = connectedClient(ctx, `${action} a turn`);
      if (action === 'start') await client.startTurn();
      else if (action === 'end') await client.endTurn();
      else await client.cancelTurn();
      return { status: 200, body: { talking: client.getMetrics().conversation?.talking ?? false, microphoneMuted: client.microphoneMuted } };
    },
  };
}

/** The voice-agent routes: text chat and the push-to-talk turn. */
export const AGENT_ROUTES: readonly Route[] = [
  {
    method: 'POST',
    path: '/v1/chat',
    pattern: /^\/v1\/chat$/,
    handle: async ({ req, ctx }) => {
      const body = expectObject(await readJsonBody(req), ['text'], '{"text": "what time is it?"}');
      const text = body.text;
      if (typeof text !== 'string' || text.trim() === '' || [...text].length > MAX_CHAT_CHARS) {
        throw new ApiError(400, 'invalid_text', `"text" must be a non-empty string of at most ${MAX_CHAT_CHARS} characters, got ${describe(text)}`);
      }
      await connectedClient(ctx, 'send a chat message').sendChat(text);
      return { status: 200, body: { sent: text } };
    },
  },
  turnRoute('start'),
  turnRoute('end'),
  turnRoute('cancel'),
];

/** SSE names of the agent events (kebab-case, as the API documents them). */
const AGENT_EVENT_NAMES: Readonly<Record<string, string>> = { agentState: 'agent-state', turnLatency: 'turn-latency' };

/** The SSE name of an event when it is an agent event, else undefined. */
export function agentEventName(event: SupervisorEvent): string | undefined {
  return AGENT_EVENT_NAMES[event.type];
}

/**
 * The extra `transcript` event of a final conversation segment (who, what, when), sent besides
 * the raw `transcription` update; undefined for any other event.
 */
export function transcriptEvent(event: SupervisorEvent): { name: 'transcript'; data: unknown } | undefined {
  if (event.type !== 'transcription' || !event.final) return undefined;
  const { type: _type, ...rest } = event;
  return { name: 'transcript', data: rest };
}
