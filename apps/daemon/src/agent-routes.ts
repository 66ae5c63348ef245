import type { AltoClientApi } from '@alto/orchestrator';
import { z } from '@hono/zod-openapi';
import { defineRoute, type ApiRoute, type RouteContext } from './api-route.js';
import { Bodies, TurnState } from './api-schemas.js';
import { ApiError } from './errors.js';

function connectedClient(ctx: RouteContext, what: string): AltoClientApi {
  const client = ctx.supervisor.currentClient;
  if (!client || client.state !== 'connected') {
    throw new ApiError(409, 'not_connected', `not in a room; POST /v1/join first, then ${what}`);
  }
  return client;
}

const TURN_SUMMARIES = {
  start: "Push-to-talk: take the turn. Calls the agent's start_turn RPC first (when it registers one), then opens the microphone.",
  end: "Push-to-talk: give the turn back. Closes the microphone, waits for the agent's transcript of the turn (at most 3 s), then calls end_turn; a turn with no speech is cancelled instead.",
  cancel: 'Push-to-talk: drop the turn. Closes the microphone and calls cancel_turn.',
} as const;

function turnRoute(action: 'start' | 'end' | 'cancel'): ApiRoute {
  return defineRoute({
    method: 'POST',
    path: `/v1/turn/${action}`,
    operationId: `${action}Turn`,
    summary: TURN_SUMMARIES[action],
    answers: { 200: { description: 'OK', schema: TurnState } },
    errors: { 409: 'Not in a room.' },
    handle: async ({ ctx }) => {
      const client = connectedClient(ctx, `${action} a turn`);
      if (action === 'start') await client.startTurn();
      else if (action === 'end') await client.endTurn();
      else await client.cancelTurn();
      return { status: 200, body: { talking: client.getMetrics().conversation?.talking ?? false, microphoneMuted: client.microphoneMuted } };
    },
  });
}

/** The voice-agent routes: text chat and the push-to-talk turn. */
export const AGENT_ROUTES: readonly ApiRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/v1/chat',
    operationId: 'sendChat',
    summary: "Send a text message on the lk.chat text-stream topic: a LiveKit agent's text input. Agents do not echo it; it appears in the conversation as the daemon's own line.",
    body: { schema: Bodies.chat, required: true, example: '{"text": "what time is it?"}' },
    answers: { 200: { description: 'Sent.', schema: z.object({ sent: z.string() }) } },
    errors: { 409: 'Not in a room.' },
    handle: async ({ ctx, body }) => {
      await connectedClient(ctx, 'send a chat message').sendChat(body.text);
      return { status: 200, body: { sent: body.text } };
    },
  }),
  turnRoute('start'),
  turnRoute('end'),
  turnRoute('cancel'),
];
