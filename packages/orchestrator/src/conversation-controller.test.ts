import { noopLogger } from '@alto/mixer-core';
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AltoEvent } from './client-types.js';
import type { NetworkComponent } from './components.js';
import { ConversationController, END_TURN_TRANSCRIPT_WAIT_MS } from './conversation-controller.js';

function fakeNetwork(log: string[], rpc: 'ok' | 'unsupported' = 'ok'): NetworkComponent {
  return Object.assign(new EventEmitter(), {
    connect: () => Promise.resolve(),
    publishMicrophone: () => Promise.resolve(),
    captureFrame: () => {},
    setMicrophoneMuted: () => Promise.resolve(),
    disconnect: () => Promise.resolve(),
    participants: () => [],
    metrics: () => ({ framesSent: 0, framesReceived: 0, bytesReceived: 0, reconnects: 0 }),
    local: () => ({ identity: 'ana', microphoneTrackSid: 'TR_mic' }),
    sendChat: (text: string) => {
      log.push(`chat:${text}`);
      return Promise.resolve('ST_1');
    },
    callTurnRpc: (agent: string, method: string) => {
      log.push(`${method}@${agent}`);
      return Promise.resolve(rpc);
    },
  });
}

function controller(rpc: 'ok' | 'unsupported' = 'ok') {
  const log: string[] = [];
  const events: AltoEvent[] = [];
  const ctl = new ConversationController({
    emit: (e) => events.push(e),
    setMicrophoneMuted: (muted) => {
      log.push(muted ? 'mute' : 'unmute');
      return Promise.resolve();
    },
    logger: noopLogger,
    sampleRate: 48_000,
    mixerDelayMs: () => 0,
  });
  ctl.attach(fakeNetwork(log, rpc), ['helper'], 1000);
  return { ctl, log, events };
}

const speech = new Int16Array(480).fill(8000);
const silence = new Int16Array(480);

describe('ConversationController', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('says once, after the wait, that a dispatched agent never joined', () => {
    const { events } = controller();
    vi.advanceTimersByTime(999);
    expect(events).toEqual([]);
    vi.advanceTimersByTime(2);
    expect(events).toEqual([expect.objectContaining({ type: 'error', code: 'AGENT_NOT_JOINED' })]);
  });

  it('does not call an agent that joined and left "never joined"', () => {
    const { ctl, events } = controller();
    ctl.handleNetworkEvent({ type: 'agentJoined', identity: 'agent-1', agentName: 'helper', state: undefined });
    ctl.handleNetworkEvent({ type: 'agentLeft', identity: 'agent-1' });
    vi.advanceTimersByTime(2000);
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
  });

  it('calls start_turn before opening the microphone, and end_turn only once the turn is transcribed', async () => {
    const { ctl, log, events } = controller();
    ctl.handleNetworkEvent({ type: 'agentJoined', identity: 'agent-1', agentName: 'helper', state: 'listening' });
    await ctl.startTurn();
    expect(log).toEqual(['start_turn@agent-1', 'unmute']);
    for (let i = 0; i < 20; i++) ctl.microphoneFrame(speech, 1, false);
    const ending = ctl.endTurn();
    await vi.advanceTimersByTimeAsync(500);
    expect(log).toEqual(['start_turn@agent-1', 'unmute', 'mute']);
    ctl.handleNetworkEvent({ type: 'transcriptionUpdate', identity: 'ana', segmentId: 'S1', trackSid: 'TR_mic', text: 'hello', final: true, complete: true });
    await ending;
    expect(log).toEqual(['start_turn@agent-1', 'unmute', 'mute', 'end_turn@agent-1']);
    expect(events.filter((e) => e.type === 'turn')).toEqual([
      { type: 'turn', talking: true, action: 'start', rpc: 'ok' },
      { type: 'turn', talking: false, action: 'end', rpc: 'ok' },
    ]);
  });

  it('commits anyway after the bounded wait when no transcript comes', async () => {
    const { ctl, log } = controller();
    ctl.handleNetworkEvent({ type: 'agentJoined', identity: 'agent-1', agentName: 'helper', state: 'listening' });
    await ctl.startTurn();
    for (let i = 0; i < 20; i++) ctl.microphoneFrame(speech, 1, false);
    const ending = ctl.endTurn();
    await vi.advanceTimersByTimeAsync(END_TURN_TRANSCRIPT_WAIT_MS + 10);
    await ending;
    expect(log.at(-1)).toBe('end_turn@agent-1');
  });

  it('cancels a turn in which the microphone never spoke, instead of committing it empty', async () => {
    const { ctl, log } = controller();
    ctl.handleNetworkEvent({ type: 'agentJoined', identity: 'agent-1', agentName: 'helper', state: 'listening' });
    await ctl.startTurn();
    for (let i = 0; i < 20; i++) ctl.microphoneFrame(silence, 1, false);
    await ctl.endTurn();
    expect(log).toEqual(['start_turn@agent-1', 'unmute', 'mute', 'cancel_turn@agent-1']);
  });

  it('only mutes and unmutes without an agent, and says the RPCs were not used', async () => {
    const { ctl, log, events } = controller();
    await ctl.startTurn();
    await ctl.cancelTurn();
    expect(log).toEqual(['unmute', 'mute']);
    expect(events.filter((e) => e.type === 'turn').map((e) => (e.type === 'turn' ? e.rpc : ''))).toEqual(['none', 'none']);
  });

  it('sends chat and shows it as the user line', async () => {
    const { ctl, log } = controller();
    await ctl.sendChat('hi there');
    expect(log).toEqual(['chat:hi there']);
    expect(ctl.segments()).toEqual([expect.objectContaining({ identity: 'ana', speaker: 'user', source: 'chat', text: 'hi there' })]);
    await expect(ctl.sendChat('  ')).rejects.toThrow(/cannot be empty/);
  });
});
