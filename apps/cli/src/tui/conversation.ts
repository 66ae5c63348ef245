import type { AltoEvent, LatencySummary } from '@alto/orchestrator';
import { sanitize } from './ansi.js';

/**
 * The plain line of an agent event: `agent <name> <state>`, `latency <ms> ms`, `talking`,
 * `turn-ended`, `turn-cancelled`; undefined for other events (they have their own lines).
 */
export function conversationLine(event: AltoEvent): string | undefined {
  switch (event.type) {
    case 'agentState':
      return `agent ${sanitize(event.name)} ${sanitize(event.state)}`;
    case 'turnLatency':
      return `latency ${event.latencyMs} ms`;
    case 'turn':
      if (event.talking) return 'talking';
      return event.action === 'cancel' ? 'turn-cancelled' : 'turn-ended';
    default:
      return undefined;
  }
}

/** The call's response latency in one line, for the end of the call. */
export function latencySummaryLine(summary: LatencySummary): string {
  if (summary.turns === 0 || summary.p50Ms === undefined || summary.p95Ms === undefined) return 'latency no turns measured';
  return `latency p50 ${summary.p50Ms} ms p95 ${summary.p95Ms} ms over ${summary.turns} turn${summary.turns === 1 ? '' : 's'}`;
}
