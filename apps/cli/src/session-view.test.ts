import { describe, expect, it } from 'vitest';
import type { ParticipantView } from '@alto/orchestrator';
import { noopLogger } from '@alto/mixer-core';
import type { CliConfig } from './args.js';
import { SessionView, toClientOptions } from './session-view.js';

const config: CliConfig = {
  url: 'ws://localhost:7880',
  fallbackUrls: [],
  credentials: { kind: 'keys', apiKey: 'k', apiSecret: 's' },
  roomName: 'demo',
  identity: 'alice',
  name: undefined,
  input: { kind: 'wav', path: '/a/b.wav', loop: true },
  output: { kind: 'null' },
  sampleRate: 48000,
  channels: 1,
  playback: true,
  listenOnly: false,
  volume: 0.8,
  jitterBufferMs: 40,
  deviceFallback: true,
  tui: false,
  eventsTo: 'stdout',
  record: '/tmp/rec.wav',
  durationSec: 5,
  voice: { echoCancellation: false, noiseSuppression: true, highPassFilter: false, autoGainControl: false },
  outputFilter: 'radio',
  plugins: ['/p/fx.mjs'],
  agents: { agent: 'helper', say: undefined, transcript: undefined, pushToTalk: true, agentWaitSec: 20 },
  verbose: false,
};

describe('toClientOptions', () => {
  it('maps the config onto the orchestrator options', () => {
    expect(toClientOptions(config, noopLogger)).toEqual({
      url: 'ws://localhost:7880',
      apiKey: 'k',
      apiSecret: 's',
      room: 'demo',
      identity: 'alice',
      sampleRate: 48000,
      channels: 1,
      input: 'wav:/a/b.wav?loop',
      output: 'null',
      masterVolume: 0.8,
      recordPath: '/tmp/rec.wav',
      voice: { echoCancellation: false, noiseSuppression: true, highPassFilter: false, autoGainControl: false },
      outputFilter: 'radio',
      plugins: ['/p/fx.mjs'],
      agents: ['helper'],
      agentJoinTimeoutMs: 20_000,
      pushToTalk: true,
      logger: noopLogger,
    });
  });

  it('turns --listen-only and --no-playback into a missing input or output', () => {
    const listen = toClientOptions({ ...config, listenOnly: true, credentials: { kind: 'token', token: 't' } }, noopLogger);
    expect(listen).toMatchObject({ input: false, output: 'null', token: 't' });
    expect(listen).not.toHaveProperty('apiKey');
    expect(toClientOptions({ ...config, playback: false }, noopLogger).output).toBe(false);
  });
});

describe('SessionView', () => {
  it('turns events into plain lines, diffing active speakers', () => {
    const view = new SessionView('demo', 'alice');
    expect(view.apply({ type: 'state', state: 'connected' })).toEqual([{ type: 'connection', state: 'connected' }]);
    expect(view.apply({ type: 'participantJoined', identity: 'bob', name: 'Bob' })).toEqual([{ type: 'joined', identity: 'bob' }]);
    expect(view.apply({ type: 'activeSpeakers', identities: ['bob'] })).toEqual([{ type: 'speaking', identity: 'bob', speaking: true }]);
    expect(view.apply({ type: 'activeSpeakers', identities: ['bob'] })).toEqual([]);
    expect(view.apply({ type: 'activeSpeakers', identities: [] })).toEqual([{ type: 'speaking', identity: 'bob', speaking: false }]);
  });

  it('reports someone already talking when we joined, from our own mixer, without doubling the server\'s lines', () => {
    const view = new SessionView('demo', 'alice');
    const speaking = { identity: 'bob', speaking: true };
    const quiet = { identity: 'bob', speaking: false };
    // The server never updates its active speakers for a late joiner while Bob keeps talking.
    expect(view.pollSpeaking([speaking])).toEqual([{ type: 'speaking', identity: 'bob', speaking: true }]);
    expect(view.pollSpeaking([speaking])).toEqual([]);
    // The server agreeing later adds no line; Bob stops only once neither hears him.
    expect(view.apply({ type: 'activeSpeakers', identities: ['bob'] })).toEqual([]);
    expect(view.pollSpeaking([quiet])).toEqual([]);
    expect(view.apply({ type: 'activeSpeakers', identities: [] })).toEqual([{ type: 'speaking', identity: 'bob', speaking: false }]);
    // Leaving while talking ends with 'left', not a dangling speaker.
    view.pollSpeaking([speaking]);
    view.apply({ type: 'participantLeft', identity: 'bob' });
    expect(view.pollSpeaking([])).toEqual([]);
  });

  it('builds TUI frames with the transcript, connection and participants', () => {
    const view = new SessionView('demo', 'alice');
    view.apply({ type: 'state', state: 'connected' });
    view.apply({ type: 'connectionQuality', quality: 'EXCELLENT' });
    view.apply({ type: 'transcription', identity: 'bob', segmentId: 's1', text: 'hel', final: false });
    view.apply({ type: 'transcription', identity: 'bob', segmentId: 's1', text: 'hello', final: true });
    const bob: ParticipantView = { identity: 'bob', name: 'Bob', volume: 1.2, locallyMuted: false, remoteMuted: true, speaking: false, levelDbfs: -20, peakDbfs: -10, bufferedMs: 40 };
    const state = view.snapshot([bob], { microphoneMuted: true, input: { framesCaptured: 1, overflows: 0, errors: 0, levelDbfs: -33 }, mixer: { masterVolume: 1.5 } });
    expect(state).toMatchObject({
      room: 'demo',
      identity: 'alice',
      connection: { state: 'connected', quality: 'excellent' },
      transcript: [{ segmentId: 's1', text: 'hello', final: true }],
      participants: [{ id: 'bob', name: 'Bob', muted: true, volume: 1.2, levelDbfs: -20 }],
      mic: { levelDbfs: -33, muted: true },
      masterVolume: 1.5,
    });
  });
});
