import { describe, expect, it } from 'vitest';
import type { AltoEvent, ConnectionStatus, ParticipantView } from '@alto/orchestrator';
import { noopLogger } from '@alto/mixer-core';
import type { CliConfig } from './args.js';
import { NOTICE_MS, SessionView, toClientOptions } from './session-view.js';

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
  json: false,
  eventsTo: 'stdout',
  record: '/tmp/rec.wav',
  durationSec: 5,
  voice: { echoCancellation: false, noiseSuppression: true, highPassFilter: false, autoGainControl: false },
  outputFilter: 'radio',
  plugins: ['/p/fx.mjs'],
  agents: { agent: 'helper', say: undefined, transcript: undefined, pushToTalk: true, agentWaitSec: 20 },
  e2eeKeyFile: undefined,
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

const status = (phase: ConnectionStatus['phase'], extra: Partial<ConnectionStatus> = {}): AltoEvent => ({
  type: 'connectionStatus',
  status: { phase, url: 'ws://srv', sinceMs: 1000, attempt: 0, ...extra },
});

describe('SessionView', () => {
  it('turns events into plain lines with names, diffing active speakers', () => {
    const view = new SessionView('demo', 'alice');
    expect(view.apply(status('connecting'))).toEqual([]);
    expect(view.apply(status('connected'))).toEqual([{ type: 'connection', state: 'connected' }]);
    expect(view.apply({ type: 'participantJoined', identity: 'bob', name: 'Bob' })).toEqual([{ type: 'joined', identity: 'bob', name: 'Bob' }]);
    expect(view.apply({ type: 'activeSpeakers', identities: ['bob'] })).toEqual([{ type: 'speaking', identity: 'bob', name: 'Bob', speaking: true }]);
    expect(view.apply({ type: 'activeSpeakers', identities: ['bob'] })).toEqual([]);
    expect(view.apply({ type: 'activeSpeakers', identities: [] })).toEqual([{ type: 'speaking', identity: 'bob', name: 'Bob', speaking: false }]);
    expect(view.apply({ type: 'participantLeft', identity: 'bob' })).toEqual([{ type: 'left', identity: 'bob', name: 'Bob' }]);
    expect(view.apply(status('reconnecting', { attempt: 2, failure: { reason: 'unreachable', message: 'x' } }))).toEqual([
      { type: 'connection', state: 'reconnecting', attempt: 2, reason: 'unreachable' },
    ]);
    expect(view.apply(status('failed', { failure: { reason: 'wrong key', message: 'x' } }))).toEqual([{ type: 'connection', state: 'failed', reason: 'wrong key' }]);
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

  const bob: ParticipantView = { identity: 'bob', name: 'Bob', volume: 0.5, locallyMuted: false, remoteMuted: true, speaking: false, levelDbfs: -20, peakDbfs: -10, bufferedMs: 40 };
  const amy: ParticipantView = { ...bob, identity: 'amy', name: 'amy', remoteMuted: false, volume: 1 };
  const metrics = { microphoneMuted: true, input: { framesCaptured: 1, overflows: 0, errors: 0, levelDbfs: -33 } };

  it('builds TUI frames: sorted rows, levels after volume, the connection and the master volume the user set', () => {
    const now = 5000;
    const view = new SessionView('demo', 'alice', { masterVolume: 1.5, now: () => now });
    view.apply(status('connected'));
    view.apply({ type: 'connectionQuality', quality: 'EXCELLENT' });
    view.apply({ type: 'transcription', identity: 'bob', segmentId: 's1', text: 'hel', final: false });
    view.apply({ type: 'transcription', identity: 'bob', segmentId: 's1', text: 'hello', final: true });
    const state = view.snapshot([bob, amy], metrics);
    expect(state).toMatchObject({
      room: 'demo',
      identity: 'alice',
      connection: { state: 'connected', quality: 'excellent', url: 'ws://srv', elapsedMs: 4000 },
      transcript: [{ segmentId: 's1', text: 'hello', final: true }],
      participants: [{ id: 'amy', name: '' }, { id: 'bob', name: 'Bob', muted: true, volume: 0.5 }],
      mic: { levelDbfs: -33, muted: true },
      masterVolume: 1.5,
    });
    // Half the volume is 6 dB less on the meter.
    expect(state.participants[1]?.levelDbfs).toBeCloseTo(-26.02, 1);
  });

  it('keeps the list, greyed, while the room is lost, and says why', () => {
    const view = new SessionView('demo', 'alice');
    view.apply(status('connected'));
    view.snapshot([bob, amy], metrics);
    view.apply(status('reconnecting', { attempt: 3, failure: { reason: 'unreachable', message: 'x' } }));
    const lost = view.snapshot([], metrics);
    expect(lost.participants.map((p) => p.id)).toEqual(['amy', 'bob']);
    expect(lost.participantsStale).toBe(true);
    expect(lost.connection).toMatchObject({ state: 'reconnecting', attempt: 3, reason: 'unreachable' });
    view.apply(status('connected'));
    const back = view.snapshot([amy], metrics);
    expect(back.participantsStale).toBe(false);
    expect(back.participants.map((p) => p.id)).toEqual(['amy']);
  });

  it('marks someone the server reports lost as not heard from, once, until they are heard again or leave', () => {
    const view = new SessionView('demo', 'alice');
    view.apply(status('connected'));
    view.apply({ type: 'participantJoined', identity: 'bob', name: 'Bob' });
    expect(view.apply({ type: 'participantQuality', identity: 'bob', quality: 'lost' })).toEqual([
      { type: 'notHeard', identity: 'bob', name: 'Bob', notHeard: true },
    ]);
    expect(view.apply({ type: 'participantQuality', identity: 'bob', quality: 'lost' })).toEqual([]);
    const gone = view.snapshot([bob, amy], metrics);
    expect(gone.participants.map((p) => [p.id, p.notHeard])).toEqual([['amy', false], ['bob', true]]);
    expect(gone.status).toContain('Bob is not heard from');
    expect(view.apply({ type: 'participantQuality', identity: 'bob', quality: 'good' })).toEqual([
      { type: 'notHeard', identity: 'bob', name: 'Bob', notHeard: false },
    ]);
    expect(view.snapshot([bob], metrics).participants[0]?.notHeard).toBe(false);
    view.apply({ type: 'participantQuality', identity: 'bob', quality: 'lost' });
    view.apply({ type: 'participantLeft', identity: 'bob' });
    expect(view.apply({ type: 'participantQuality', identity: 'bob', quality: 'excellent' })).toEqual([]);
  });

  it('says whose audio cannot be decrypted (a different E2EE key), marks their row, counts them in the header', () => {
    const view = new SessionView('demo', 'alice');
    view.apply(status('connected'));
    view.apply({ type: 'participantJoined', identity: 'bob', name: 'Bob' });
    const e2ee = { enabled: true, local: 'ok' as const, participants: {} };
    expect(view.apply({ type: 'e2ee', identity: 'alice', local: true, state: 'ok' })).toEqual([]);
    expect(view.snapshot([bob, amy], { ...metrics, e2ee }).e2ee).toEqual({ enabled: true, undecryptable: 0 });
    expect(view.apply({ type: 'e2ee', identity: 'bob', local: false, state: 'decryption-failed' })).toEqual([
      { type: 'decrypt', identity: 'bob', name: 'Bob', decrypts: false },
    ]);
    const failing = view.snapshot([bob, amy], { ...metrics, e2ee });
    expect(failing.participants.map((p) => [p.id, p.cannotDecrypt === true])).toEqual([['amy', false], ['bob', true]]);
    expect(failing.e2ee).toEqual({ enabled: true, undecryptable: 1 });
    expect(failing.statusWarn).toBe(true);
    expect(failing.status).toMatch(/can't decrypt Bob's audio: a different end-to-end key\? You hear nothing from them; they most likely hear nothing from you/);
    expect(view.apply({ type: 'e2ee', identity: 'bob', local: false, state: 'ok' })).toEqual([
      { type: 'decrypt', identity: 'bob', name: 'Bob', decrypts: true },
    ]);
    expect(view.snapshot([bob], { ...metrics, e2ee }).participants[0]?.cannotDecrypt).toBeUndefined();
    expect(view.snapshot([bob], metrics).e2ee).toBeUndefined();
  });

  it('without a key, says who encrypts and that their key is needed; with one, warns of someone in the clear', () => {
    const view = new SessionView('demo', 'alice');
    view.apply({ type: 'participantJoined', identity: 'bob', name: 'Bob' });
    expect(view.apply({ type: 'e2ee', identity: 'bob', local: false, state: 'needs-key' })).toEqual([
      { type: 'decrypt', identity: 'bob', name: 'Bob', decrypts: false },
    ]);
    const noKey = view.snapshot([bob], { ...metrics, e2ee: { enabled: false, local: undefined, participants: { bob: 'needs-key' } } });
    expect(noKey.e2ee).toEqual({ enabled: false, undecryptable: 1 });
    expect(noKey.participants[0]?.cannotDecrypt).toBe(true);
    expect(noKey.status).toMatch(/Bob encrypts their audio end to end; to hear them, join with their key \(--e2ee-key-file\)/);
    expect(view.apply({ type: 'e2ee', identity: 'amy', local: false, state: 'not-encrypted' })).toEqual([
      { type: 'warning', text: "amy's audio is not end-to-end encrypted (they have no key); they cannot hear you" },
    ]);
  });

  it('warns when our own audio cannot be encrypted', () => {
    const view = new SessionView('demo', 'alice');
    expect(view.apply({ type: 'e2ee', identity: 'alice', local: true, state: 'encryption-failed' })).toEqual([
      { type: 'warning', text: 'end-to-end encryption of your audio failed (encryption-failed); others may hear nothing from you' },
    ]);
  });

  it('shows each join, leave and warning on the event line with its time, then clears it', () => {
    let now = new Date(2026, 0, 2, 10, 42, 7).getTime();
    const view = new SessionView('demo', 'alice', { now: () => now });
    view.apply({ type: 'participantJoined', identity: 'bob', name: 'Bob' });
    expect(view.snapshot([], metrics).status).toBe('10:42:07 Bob joined');
    now += NOTICE_MS + 1;
    expect(view.snapshot([], metrics).status).toBe('');
    view.apply({ type: 'error', code: 'INPUT_DEVICE', message: 'no audio from the input for 2185 ms; reopening' });
    expect(view.snapshot([], metrics)).toMatchObject({ statusWarn: true, status: expect.stringContaining('reopening') as unknown });
    now += 60_000;
    expect(view.snapshot([], metrics).status).toBe('');
    expect(view.apply({ type: 'device', device: 'input', change: 'reopened' })).toEqual([{ type: 'device', device: 'input', change: 'reopened' }]);
    expect(view.snapshot([], metrics)).toMatchObject({ status: '10:43:15 the input device works again', statusWarn: false });
  });
});
