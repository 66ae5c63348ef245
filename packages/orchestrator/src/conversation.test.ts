import { describe, expect, it } from 'vitest';
import type { AltoEvent } from './client-types.js';
import { Conversation, percentile } from './conversation.js';

const FRAME = 480;

function tone(amplitude: number): Int16Array {
  const f = new Int16Array(FRAME);
  for (let i = 0; i < FRAME; i++) f[i] = Math.round(Math.sin((2 * Math.PI * 440 * i) / 48000) * amplitude);
  return f;
}

function harness(mixerDelayMs = 40) {
  let now = 1000;
  const events: AltoEvent[] = [];
  const c = new Conversation({ emit: (e) => events.push(e), sampleRate: 48000, now: () => now, mixerDelayMs: () => mixerDelayMs });
  c.setLocal('ana', 'TR_mic');
  const mic = (frames: number, amplitude: number): void => {
    // A frame arrives when its 10 ms of audio have been captured.
    for (let i = 0; i < frames; i++) {
      now += 10;
      c.microphoneFrame(tone(amplitude), 1);
    }
  };
  return { c, events, mic, advance: (ms: number) => (now += ms), at: () => now };
}

describe('Conversation', () => {
  it('measures a turn from the end of the user speech to the first audible agent block plus the mixer hold', () => {
    const h = harness(40);
    h.c.agentJoined('agent-1', 'test-agent', 'listening');
    h.mic(100, 8000); // 1 s of speech
    const speechEnd = h.at();
    h.mic(50, 0); // the flag falls 300 ms later
    h.c.remoteBlock('agent-1', tone(2)); // inaudible comfort noise does not count
    h.advance(700);
    h.c.remoteBlock('agent-1', tone(8000));
    const latency = h.events.find((e) => e.type === 'turnLatency');
    expect(latency).toMatchObject({ type: 'turnLatency', turn: 1, agentIdentity: 'agent-1' });
    // speech end -> now: 500 ms of silence frames + 700 ms, plus the 40 ms the mixer holds it.
    expect(latency && 'latencyMs' in latency ? latency.latencyMs : 0).toBe(h.at() - speechEnd + 40);
    // A second audible block of the same reply is not another turn.
    h.c.remoteBlock('agent-1', tone(8000));
    expect(h.c.latency().turns).toBe(1);
  });

  it('ignores replies from participants that are not agents, and agent audio with no user turn before it', () => {
    const h = harness();
    h.c.agentJoined('agent-1', 'a', undefined);
    h.c.remoteBlock('agent-1', tone(8000)); // a greeting: nobody spoke yet
    h.mic(50, 8000);
    h.mic(50, 0);
    h.c.remoteBlock('bob', tone(8000));
    expect(h.events.filter((e) => e.type === 'turnLatency')).toEqual([]);
  });

  it('summarises p50 and p95 over the call with nearest-rank percentiles', () => {
    expect(percentile([], 50)).toBeUndefined();
    const sorted = Array.from({ length: 20 }, (_, i) => (i + 1) * 100);
    expect(percentile(sorted, 50)).toBe(1000);
    expect(percentile(sorted, 95)).toBe(1900);
    expect(percentile([700], 95)).toBe(700);
  });

  it('reports agent states and attributes our own transcribed speech to the user, interim replaced by final', () => {
    const h = harness();
    h.c.agentJoined('agent-1', 'test-agent', 'listening');
    h.c.agentState('agent-1', 'thinking', 'listening');
    expect(h.events.at(-1)).toEqual({ type: 'agentState', identity: 'agent-1', name: 'test-agent', state: 'thinking', previous: 'listening' });
    h.mic(100, 8000);
    h.mic(40, 0);
    h.c.transcription({ identity: 'ana', segmentId: 'S1', trackSid: 'TR_mic', text: 'user spoke', final: false, complete: true });
    h.c.transcription({ identity: 'ana', segmentId: 'S1', trackSid: 'TR_mic', text: 'user spoke for 1.0 seconds', final: true, complete: false });
    h.c.transcription({ identity: 'ana', segmentId: 'S1', trackSid: 'TR_mic', text: 'user spoke for 1.0 seconds', final: true, complete: true });
    const transcripts = h.events.filter((e) => e.type === 'transcription');
    expect(transcripts.map((e) => (e.type === 'transcription' ? [e.speaker, e.final, e.text] : []))).toEqual([
      ['user', false, 'user spoke'],
      ['user', false, 'user spoke for 1.0 seconds'],
      ['user', true, 'user spoke for 1.0 seconds'],
    ]);
    const [segment] = h.c.finalSegments();
    // The segment spans the user's speech as our own microphone heard it (first loud frame, last loud frame).
    expect(segment?.startMs).toBe(0);
    expect(segment?.endMs).toBe(1000);
  });

  it("treats the end of an agent's word-by-word stream as its final", () => {
    const h = harness();
    h.c.agentJoined('agent-1', 'a', 'speaking');
    h.c.transcription({ identity: 'agent-1', segmentId: 'A1', trackSid: undefined, text: 'You ', final: false, complete: false });
    h.c.transcription({ identity: 'agent-1', segmentId: 'A1', trackSid: undefined, text: 'You spoke ', final: false, complete: false });
    h.c.transcription({ identity: 'agent-1', segmentId: 'A1', trackSid: undefined, text: 'You spoke for 1.0 seconds.', final: false, complete: true });
    expect(h.c.finalSegments()).toEqual([expect.objectContaining({ speaker: 'agent', text: 'You spoke for 1.0 seconds.', final: true })]);
  });

  it('adds chat lines, ours as the user', () => {
    const h = harness();
    h.c.chat('ana', 'C1', 'hello');
    expect(h.c.finalSegments()).toEqual([expect.objectContaining({ speaker: 'user', source: 'chat', text: 'hello' })]);
  });
});
