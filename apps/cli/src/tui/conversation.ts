import type { AltoEvent, ConversationMetrics, LatencySummary } from '@alto/orchestrator';
import { sanitize } from './ansi.js';
import type { TuiState } from './state.js';

/**
 * The plain line of an agent event: `agent <name> <state>`, `latency <ms> ms`, `talking`,
 * `turn-ended`, `turn-cancelled`; undefined for other events (they have their own lines).
 */
export function conversationLine(event: AltoEvent): string | undefined {
  if (event.type === 'agentState') return `agent ${sanitize(event.name)} ${sanitize(event.state)}`;
  if (event.type === 'turnLatency') return `latency ${event.latencyMs} ms`;
  if (event.type !== 'turn') return undefined;
  if (event.talking) return 'talking';
  return event.action === 'cancel' ? 'turn-cancelled' : 'turn-ended';
}

/** The call's response latency in one line, for the end of the call. */
export function latencySummaryLine(summary: LatencySummary): string {
  if (summary.turns === 0 || summary.p50Ms === undefined || summary.p95Ms === undefined) return 'latency no turns measured';
  return `latency p50 ${summary.p50Ms} ms p95 ${summary.p95Ms} ms over ${summary.turns} turn${summary.turns === 1 ? '' : 's'}`;
}

/**
 * Adds the conversation to a TUI frame: each agent's state next to its name, "you" for the
 * user's own transcribed speech and chat, agents by their name in the transcript, and a status
 * line with the agent keys and the response latency.
 */
export function withConversation(state: TuiState, conversation: ConversationMetrics | undefined, keysHint: string): TuiState {
  const agents = new Map((conversation?.agents ?? []).map((a) => [a.identity, a]));
  const last = conversation?.turns.at(-1);
  const latency = conversation && conversation.latency.turns > 0 && last
    ? `reply ${last.latencyMs} ms (p50 ${conversation.latency.p50Ms ?? '-'} · p95 ${conversation.latency.p95Ms ?? '-'})`
    : '';
  const participants = state.participants.map((p) => {
    const agent = agents.get(p.identity);
    return agent ? { ...p, name: `${agent.name} · ${agent.state ?? '…'}` } : p;
  });
  const transcript = state.transcript.map((t) => {
    if (t.participant === state.identity) return { ...t, participant: 'you' };
    const agent = agents.get(t.participant);
    return agent ? { ...t, participant: agent.name } : t;
  });
  const status = [keysHint, latency, state.status].filter(Boolean).join('   ');
  return { ...state, participants, transcript, status };
}
