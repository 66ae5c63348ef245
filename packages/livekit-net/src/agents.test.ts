import { ParticipantKind } from '@livekit/rtc-node';
import { describe, expect, it } from 'vitest';
import { AgentTracker, type AgentInfo, type AgentStateEvent } from './agents.js';

function tracker() {
  const joined: AgentInfo[] = [];
  const states: AgentStateEvent[] = [];
  const left: string[] = [];
  const t = new AgentTracker({ onAgentJoined: (a) => joined.push(a), onAgentState: (e) => states.push(e), onAgentLeft: (a) => left.push(a.identity) });
  return { t, joined, states, left };
}

const agent = (attributes: Record<string, string>) => ({ identity: 'agent-AJ_1', kind: ParticipantKind.AGENT, attributes });

describe('AgentTracker', () => {
  it('recognises agents by participant kind and reports their lk.agent.state changes', () => {
    const { t, joined, states, left } = tracker();
    t.joined({ identity: 'bob', kind: ParticipantKind.STANDARD, attributes: {} });
    t.joined(agent({ 'lk.agent.name': 'helper', 'lk.agent.state': 'listening' }));
    expect(joined).toEqual([{ identity: 'agent-AJ_1', agentName: 'helper', state: 'listening' }]);
    t.attributesChanged({ 'lk.agent.state': 'thinking' }, agent({ 'lk.agent.name': 'helper', 'lk.agent.state': 'thinking' }));
    t.attributesChanged({ other: 'x' }, agent({ 'lk.agent.state': 'thinking' }));
    t.attributesChanged({ 'lk.agent.state': 'speaking' }, agent({ 'lk.agent.state': 'speaking' }));
    expect(states).toEqual([
      { identity: 'agent-AJ_1', state: 'listening', previous: undefined },
      { identity: 'agent-AJ_1', state: 'thinking', previous: 'listening' },
      { identity: 'agent-AJ_1', state: 'speaking', previous: 'thinking' },
    ]);
    expect(t.list()).toEqual([{ identity: 'agent-AJ_1', agentName: 'helper', state: 'speaking' }]);
    t.left('bob');
    t.left('agent-AJ_1');
    expect(left).toEqual(['agent-AJ_1']);
    expect(t.list()).toEqual([]);
  });

  it('picks up an agent whose first sign is an attribute change, and ignores standard participants', () => {
    const { t, joined } = tracker();
    t.attributesChanged({ 'lk.agent.state': 'initializing' }, { identity: 'bob', kind: ParticipantKind.STANDARD, attributes: { 'lk.agent.state': 'initializing' } });
    t.attributesChanged({ 'lk.agent.state': 'initializing' }, agent({ 'lk.agent.state': 'initializing' }));
    expect(joined.map((a) => a.identity)).toEqual(['agent-AJ_1']);
  });
});
