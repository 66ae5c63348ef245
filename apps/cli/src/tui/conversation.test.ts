import { describe, expect, it } from 'vitest';
import { conversationLine, latencySummaryLine } from './conversation.js';

describe('conversation lines', () => {
  it('prints agent state, latency and push-to-talk turns as plain lines', () => {
    expect(conversationLine({ type: 'agentState', identity: 'agent-AJ_1', name: 'helper', state: 'thinking', previous: 'listening' })).toBe('agent helper thinking');
    expect(conversationLine({ type: 'turnLatency', turn: 2, agentIdentity: 'agent-AJ_1', latencyMs: 812, userSpeechEndMs: 4000 })).toBe('latency 812 ms');
    expect(conversationLine({ type: 'turn', talking: true, action: 'start', rpc: 'ok' })).toBe('talking');
    expect(conversationLine({ type: 'turn', talking: false, action: 'end', rpc: 'ok' })).toBe('turn-ended');
    expect(conversationLine({ type: 'turn', talking: false, action: 'cancel', rpc: 'none' })).toBe('turn-cancelled');
    expect(conversationLine({ type: 'participantLeft', identity: 'bob' })).toBeUndefined();
  });

  it('strips control characters an agent could put in its name or state', () => {
    expect(conversationLine({ type: 'agentState', identity: 'a', name: 'evil\u001b[2J', state: 'x\u0007', previous: null })).toBe('agent evil [2J x ');
  });

  it('summarises the call with p50 and p95, or says no turn was measured', () => {
    expect(latencySummaryLine({ turns: 3, p50Ms: 900, p95Ms: 1400 })).toBe('latency p50 900 ms p95 1400 ms over 3 turns');
    expect(latencySummaryLine({ turns: 1, p50Ms: 700, p95Ms: 700 })).toBe('latency p50 700 ms p95 700 ms over 1 turn');
    expect(latencySummaryLine({ turns: 0, p50Ms: undefined, p95Ms: undefined })).toBe('latency no turns measured');
  });
});
