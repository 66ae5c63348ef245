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

describe('withConversation', () => {
  it("puts each agent's state next to its name, calls the user 'you', and shows keys and latency", async () => {
    const { emptyTuiState } = await import('./state.js');
    const { withConversation } = await import('./conversation.js');
    const base = {
      ...emptyTuiState('r', 'ana'),
      participants: [
        { id: 'agent-AJ_1', identity: 'agent-AJ_1', name: 'agent-AJ_1', levelDbfs: -20, peakDbfs: -10, speaking: true, muted: false, volume: 1 },
        { id: 'bob', identity: 'bob', name: 'Bob', levelDbfs: -90, peakDbfs: -90, speaking: false, muted: false, volume: 1 },
      ],
      transcript: [
        { segmentId: 'S1', participant: 'ana', text: 'user spoke for 1.2 seconds', final: true },
        { segmentId: 'A1', participant: 'agent-AJ_1', text: 'You spoke', final: false },
      ],
      status: 'device fell back',
    };
    const out = withConversation(
      base,
      {
        agents: [{ identity: 'agent-AJ_1', name: 'helper', state: 'speaking' }],
        latency: { turns: 2, p50Ms: 800, p95Ms: 950 },
        turns: [
          { turn: 1, agentIdentity: 'agent-AJ_1', latencyMs: 800, userSpeechEndMs: 1000 },
          { turn: 2, agentIdentity: 'agent-AJ_1', latencyMs: 950, userSpeechEndMs: 9000 },
        ],
        talking: false,
      },
      't type to the agent',
    );
    expect(out.participants.map((p) => p.name)).toEqual(['helper · speaking', 'Bob']);
    expect(out.transcript.map((t) => t.participant)).toEqual(['you', 'helper']);
    expect(out.status).toBe('t type to the agent   reply 950 ms (p50 800 · p95 950)   device fell back');
  });
});
