/** How agent events are named on the event stream. */
import type { SupervisorEvent } from './supervisor.js';

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
