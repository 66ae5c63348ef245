import type { MixerMetrics, MixerSink } from '@alto/mixer-core';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { AltoClient } from './alto-client.js';
import { MAX_REMEMBERED_PARTICIPANTS, ParticipantPreferences } from './participant-preferences.js';
import type { AltoEvent } from './client-types.js';
import type { ComponentFactory, InputComponent, NetworkComponent, NetworkEvent, OutputComponent } from './components.js';

type Step = 'openOutput' | 'createNetwork' | 'connect' | 'publish' | 'openInput' | 'startOutput' | 'startInput';

function fakeMixer(log: string[]): MixerSink & { volumes: Map<string, number>; mutes: Map<string, boolean> } {
  const volumes = new Map<string, number>();
  const mutes = new Map<string, boolean>();
  const metrics: MixerMetrics = {
    sampleRate: 48000, channels: 1, masterVolume: 1, framesOut: 0, underruns: 0, limitedSamples: 0, streamCount: 0,
    level: { peakDbfs: -120, rmsDbfs: -120, speaking: false }, streams: [],
  };
  return {
    volumes, mutes,
    addStream: () => {}, removeStream: () => {}, hasStream: () => false, addAudioData: () => {},
    setStreamVolume: (id, v) => volumes.set(id, v),
    setStreamMuted: (id, m) => mutes.set(id, m),
    setMasterVolume: (v) => log.push(`master:${v}`),
    getMetrics: () => metrics,
  };
}

function fakeFactory(failAt?: Step) {
  const log: string[] = [];
  const mixer = fakeMixer(log);
  let network: NetworkComponent | undefined;
  const maybeFail = (step: Step) => {
    log.push(step);
    if (step === failAt) throw new Error(`injected failure at ${step}`);
  };
  const participants = [{ identity: 'bob', name: 'Bob', streamIds: ['TR_1'], remoteMuted: false }];
  const factory: ComponentFactory = {
    openOutput: async (spec) => {
      maybeFail('openOutput');
      log.push(`output:${String(spec)}`);
      const output: OutputComponent = Object.assign(new EventEmitter(), {
        mixer,
        start: async () => maybeFail('startOutput'),
        stop: async () => void log.push('stopOutput'),
        metrics: () => ({ framesPlayed: 0, underruns: 0 }),
      });
      return output;
    },
    createNetwork: (settings) => {
      maybeFail('createNetwork');
      log.push(`network:publish=${settings.publish},subscribe=${settings.subscribe}`);
      network = Object.assign(new EventEmitter(), {
        connect: async () => maybeFail('connect'),
        publishMicrophone: async () => maybeFail('publish'),
        captureFrame: () => {},
        setMicrophoneMuted: async (m: boolean) => void log.push(`mute:${m}`),
        disconnect: async () => void log.push('disconnect'),
        participants: () => participants,
        metrics: () => ({ framesSent: 0, framesReceived: 0, bytesReceived: 0, reconnects: 0 }),
      });
      return network;
    },
    openInput: async (spec) => {
      maybeFail('openInput');
      log.push(`input:${String(spec)}`);
      const input: InputComponent = Object.assign(new EventEmitter(), {
        start: async () => maybeFail('startInput'),
        stop: async () => void log.push('stopInput'),
        metrics: () => ({ framesCaptured: 0, overflows: 0, errors: 0, levelDbfs: -120 }),
      });
      return input;
    },
  };
  return { factory, log, mixer, emitNetwork: (e: NetworkEvent) => (network as EventEmitter | undefined)?.emit('event', e) };
}

const options = { url: 'ws://127.0.0.1:7880', token: 't', input: 'tone:440', output: 'null' } as const;

describe('AltoClient (unit, fake components)', () => {
  it('initialises in the Python Alto Terminal order and tears down in reverse', async () => {
    const { factory, log } = fakeFactory();
    const client = new AltoClient(options, factory);
    await client.connect();
    expect(client.state).toBe('connected');
    expect(log.filter((l) => !l.includes(':'))).toEqual([
      'openOutput', 'createNetwork', 'connect', 'publish', 'openInput', 'startOutput', 'startInput',
    ]);
    log.length = 0;
    await client.disconnect();
    expect(log).toEqual(['stopInput', 'stopOutput', 'disconnect']);
    expect(client.state).toBe('disconnected');
  });

  const cleanups: Record<Step, string[]> = {
    openOutput: [],
    createNetwork: ['stopOutput'],
    connect: ['stopOutput', 'disconnect'],
    publish: ['stopOutput', 'disconnect'],
    openInput: ['stopOutput', 'disconnect'],
    startOutput: ['stopInput', 'stopOutput', 'disconnect'],
    startInput: ['stopInput', 'stopOutput', 'disconnect'],
  };
  for (const [step, expected] of Object.entries(cleanups) as Array<[Step, string[]]>) {
    it(`a failure at ${step} rejects and releases exactly what was built, in reverse`, async () => {
      const { factory, log } = fakeFactory(step);
      const client = new AltoClient(options, factory);
      await expect(client.connect()).rejects.toThrow(`injected failure at ${step}`);
      const after = log.slice(log.indexOf(step) + 1);
      expect(after).toEqual(expected);
      expect(client.state).toBe('disconnected');
    });
  }

  it('listen-only publishes nothing and opens no input; no-playback plays into a null sink', async () => {
    const { factory, log } = fakeFactory();
    const client = new AltoClient({ ...options, input: false, output: false }, factory);
    await client.connect();
    expect(log).not.toContain('publish');
    expect(log).not.toContain('openInput');
    expect(log).toContain('output:null');
    await client.disconnect();
  });

  it('subscribes to remote audio only when it plays or records it', async () => {
    const subscribeSetting = async (extra: { output?: false | string; recordPath?: string }): Promise<string | undefined> => {
      const { factory, log } = fakeFactory();
      const client = new AltoClient({ ...options, ...extra }, factory);
      await client.connect();
      await client.disconnect();
      return log.find((l) => l.startsWith('network:'));
    };
    expect(await subscribeSetting({ output: false })).toBe('network:publish=true,subscribe=false');
    expect(await subscribeSetting({ output: 'null' })).toBe('network:publish=true,subscribe=true');
    expect(await subscribeSetting({ output: false, recordPath: '/tmp/x.wav' })).toBe('network:publish=true,subscribe=true');
  });

  it('refuses to record when it receives no remote audio, in one clear error', async () => {
    const { factory } = fakeFactory();
    const client = new AltoClient({ ...options, output: false }, factory);
    await client.connect();
    await expect(client.startRecording('/tmp/never.wav')).rejects.toThrow(/receives no remote audio/);
    await client.disconnect();
  });

  it('disconnect twice and await using are safe', async () => {
    const { factory, log } = fakeFactory();
    {
      await using client = new AltoClient(options, factory);
      await client.connect();
      await client.disconnect();
    }
    expect(log.filter((l) => l === 'disconnect')).toHaveLength(1);
  });

  it('applies participant volume and mute to every stream of that identity, including later ones', async () => {
    const { factory, mixer, emitNetwork } = fakeFactory();
    const client = new AltoClient(options, factory);
    await client.connect();
    client.setParticipantVolume('bob', 0.25);
    client.setParticipantMuted('bob', true);
    expect(mixer.volumes.get('TR_1')).toBe(0.25);
    expect(mixer.mutes.get('TR_1')).toBe(true);
    emitNetwork({ type: 'streamAdded', streamId: 'TR_2', identity: 'bob' });
    expect(mixer.volumes.get('TR_2')).toBe(0.25);
    expect(mixer.mutes.get('TR_2')).toBe(true);
    expect(() => client.setParticipantVolume('nobody', 1)).toThrow(/no participant 'nobody'/);
    expect(() => client.setParticipantVolume('bob', 3)).toThrow(/between 0 and 2/);
    await client.disconnect();
  });

  it('carries participant preferences to a new client given the same preferences object', async () => {
    const preferences = new ParticipantPreferences();
    const first = fakeFactory();
    const before = new AltoClient({ ...options, preferences }, first.factory);
    await before.connect();
    before.setParticipantVolume('bob', 0.25);
    before.setParticipantMuted('bob', true);
    // Not in the room yet: refused, but remembered for when they join.
    expect(() => before.setParticipantVolume('carol', 0.5)).toThrow(/no participant 'carol'/);
    await before.disconnect();
    const second = fakeFactory();
    const after = new AltoClient({ ...options, preferences }, second.factory);
    await after.connect();
    second.emitNetwork({ type: 'streamAdded', streamId: 'TR_1', identity: 'bob' });
    second.emitNetwork({ type: 'streamAdded', streamId: 'TR_9', identity: 'carol' });
    expect(second.mixer.volumes.get('TR_1')).toBe(0.25);
    expect(second.mixer.mutes.get('TR_1')).toBe(true);
    expect(second.mixer.volumes.get('TR_9')).toBe(0.5);
    expect(after.participants()).toMatchObject([{ identity: 'bob', volume: 0.25, locallyMuted: true }]);
    await after.disconnect();
  });

  it('forwards network events and reports reconnecting then connected', async () => {
    const { factory, emitNetwork } = fakeFactory();
    const client = new AltoClient(options, factory);
    const events: AltoEvent[] = [];
    client.on('event', (e) => events.push(e));
    await client.connect();
    emitNetwork({ type: 'participantJoined', identity: 'carol', name: 'Carol' });
    emitNetwork({ type: 'state', state: 'reconnecting' });
    emitNetwork({ type: 'state', state: 'connected' });
    expect(events.filter((e) => e.type !== 'connectionStatus').map((e) => (e.type === 'state' ? `state:${e.state}` : e.type))).toEqual([
      'state:connecting', 'state:connected', 'participantJoined', 'state:reconnecting', 'state:connected',
    ]);
    await client.disconnect();
  });

  it('keeps delivering events to the other listeners when one throws, and honours once and off', async () => {
    const { factory, emitNetwork } = fakeFactory();
    const warnings: string[] = [];
    const logger = { debug: () => {}, info: () => {}, warn: (message: string) => void warnings.push(message), error: () => {} };
    const client = new AltoClient({ ...options, logger }, factory);
    const seen: string[] = [];
    const onceSeen: string[] = [];
    const removed: string[] = [];
    const removedListener = (e: AltoEvent): void => void removed.push(e.type);
    client.on('event', () => {
      throw new Error('a broken view');
    });
    client.on('event', (e) => seen.push(e.type));
    client.once('event', (e) => onceSeen.push(e.type));
    client.on('event', removedListener).off('event', removedListener);
    await client.connect();
    emitNetwork({ type: 'participantJoined', identity: 'carol', name: 'Carol' });
    expect(seen.filter((t) => t !== 'connectionStatus')).toEqual(['state', 'state', 'participantJoined']);
    expect(onceSeen).toHaveLength(1);
    expect(removed).toEqual([]);
    expect(warnings).toContain('event listener threw');
    await client.disconnect();
  });

  it('passes the E2EE key to the network and reports who cannot be decrypted, in events, participants and metrics', async () => {
    const { factory, emitNetwork } = fakeFactory();
    let key: string | undefined;
    const withEncryption: ComponentFactory = {
      ...factory,
      createNetwork: (settings, mixer, format, logger) => {
        key = settings.e2eeKey;
        const network = factory.createNetwork(settings, mixer, format, logger);
        // The fake network is an event emitter: its state is overridden in place, not copied.
        const plain = network.participants.bind(network);
        network.participants = () => plain().map((p) => ({ ...p, e2ee: 'decryption-failed' as const }));
        network.e2ee = () => ({ enabled: true, local: 'ok' as const, participants: { bob: 'decryption-failed' as const } });
        return network;
      },
    };
    const client = new AltoClient({ ...options, e2eeKey: 'correct horse battery staple' }, withEncryption);
    const events: AltoEvent[] = [];
    client.on('event', (e) => events.push(e));
    expect(client.getMetrics().e2ee).toEqual({ enabled: true, local: undefined, participants: {} });
    await client.connect();
    expect(key).toBe('correct horse battery staple');
    emitNetwork({ type: 'e2ee', identity: 'bob', local: false, state: 'decryption-failed' });
    expect(events).toContainEqual({ type: 'e2ee', identity: 'bob', local: false, state: 'decryption-failed' });
    expect(client.participants()[0]?.e2ee).toBe('decryption-failed');
    expect(client.getMetrics().e2ee).toEqual({ enabled: true, local: 'ok', participants: { bob: 'decryption-failed' } });
    await client.disconnect();
  });

  it('refuses an empty E2EE key instead of joining unencrypted while saying encrypted', () => {
    const { factory } = fakeFactory();
    expect(() => new AltoClient({ ...options, e2eeKey: '  ' }, factory)).toThrow(/end-to-end encryption key is empty/);
  });

  it('reports E2EE off, and no per-participant state, without a key', async () => {
    const { factory } = fakeFactory();
    const client = new AltoClient(options, factory);
    await client.connect();
    expect(client.getMetrics().e2ee).toEqual({ enabled: false, local: undefined, participants: {} });
    expect(client.participants()[0]).not.toHaveProperty('e2ee');
    await client.disconnect();
  });

  it('reports people already in the room after connected, never before', async () => {
    const { factory, emitNetwork } = fakeFactory();
    const createNetwork = factory.createNetwork.bind(factory);
    const withEarlyArrivals: ComponentFactory = {
      ...factory,
      createNetwork: (...args) => {
        return Object.assign(createNetwork(...args), {
          connect: async () => {
            // What livekit-net does on joining: everyone present is announced during connect.
            emitNetwork({ type: 'participantJoined', identity: 'bob', name: 'Bob' });
            emitNetwork({ type: 'activeSpeakers', identities: ['bob'] });
          },
        });
      },
    };
    const client = new AltoClient(options, withEarlyArrivals);
    const events: string[] = [];
    client.on('event', (e) => {
      if (e.type !== 'connectionStatus') events.push(e.type === 'state' ? `state:${e.state}` : e.type);
    });
    await client.connect();
    expect(events).toEqual(['state:connecting', 'state:connected', 'participantJoined', 'activeSpeakers']);
    await client.disconnect();
  });

  it('reports device recoveries as device events', async () => {
    const { factory } = fakeFactory();
    let output: EventEmitter | undefined;
    const recover = (change: 'reopened' | 'fallback' | 'restored'): boolean | undefined => output?.emit('recovery', change);
    const openOutput = factory.openOutput.bind(factory);
    const client = new AltoClient(options, {
      ...factory,
      openOutput: async (...args) => {
        const opened = await openOutput(...args);
        output = opened as unknown as EventEmitter;
        return opened;
      },
    });
    const events: AltoEvent[] = [];
    client.on('event', (e) => events.push(e));
    await client.connect();
    recover('fallback');
    recover('restored');
    expect(events.filter((e) => e.type === 'device')).toEqual([
      { type: 'device', device: 'output', change: 'fallback' },
      { type: 'device', device: 'output', change: 'restored' },
    ]);
    await client.disconnect();
    expect(output?.listenerCount('recovery')).toBe(0);
  });

  it('tells the status of a lost room: attempts, the reason in words, then failed', async () => {
    const { factory, emitNetwork } = fakeFactory();
    const client = new AltoClient(options, factory);
    const phases: string[] = [];
    client.on('event', (e) => {
      if (e.type === 'connectionStatus') phases.push(`${e.status.phase}/${e.status.attempt}/${e.status.failure?.reason ?? '-'}`);
    });
    await client.connect();
    expect(client.status).toMatchObject({ phase: 'connected', url: options.url });
    emitNetwork({ type: 'state', state: 'reconnecting' });
    emitNetwork({ type: 'reconnectAttempt' });
    emitNetwork({ type: 'attemptFailed', failure: { reason: 'unreachable', message: 'refused' } });
    emitNetwork({ type: 'reconnectAttempt' });
    expect(client.status).toMatchObject({ phase: 'reconnecting', attempt: 2, failure: { reason: 'unreachable' } });
    emitNetwork({ type: 'attemptFailed', failure: { reason: 'wrong key', message: 'bad secret' } });
    emitNetwork({ type: 'state', state: 'disconnected', reason: 'wrong key' });
    expect(client.state).toBe('disconnected');
    expect(client.status).toMatchObject({ phase: 'failed', failure: { reason: 'wrong key' } });
    expect(phases).toEqual([
      'connecting/0/-', 'connected/0/-', 'reconnecting/1/-', 'reconnecting/1/unreachable', 'reconnecting/2/unreachable',
      'reconnecting/2/wrong key', 'failed/2/wrong key',
    ]);
    // Leaving afterwards tidies up but does not hide why the session ended.
    await client.disconnect();
    expect(client.status).toMatchObject({ phase: 'failed', failure: { reason: 'wrong key' } });
  });

  it('rejects bad options before opening anything', () => {
    const { factory } = fakeFactory();
    expect(() => new AltoClient({ ...options, url: 'ftp://x' }, factory)).toThrow(/invalid server URL/);
    expect(() => new AltoClient({ url: 'ws://x' }, factory)).toThrow(/no credentials/);
    expect(() => new AltoClient({ ...options, masterVolume: 9 }, factory)).toThrow(/volume/);
    expect(() => new AltoClient({ ...options, sampleRate: 12 }, factory)).toThrow(/sample rate/);
  });
});

describe('ParticipantPreferences', () => {
  it('keeps volume and mute per identity, refuses out-of-range volumes and forgets the oldest beyond its bound', () => {
    const preferences = new ParticipantPreferences();
    preferences.setVolume('alice', 0.5);
    preferences.setMuted('alice', true);
    expect(preferences.get('alice')).toEqual({ volume: 0.5, muted: true });
    expect(() => preferences.setVolume('alice', 2.5)).toThrow(/between 0 and 2/);
    expect(() => preferences.setVolume('alice', Number.NaN)).toThrow(/between 0 and 2/);
    for (let i = 0; i < MAX_REMEMBERED_PARTICIPANTS; i++) preferences.setMuted(`made-up-${i}`, true);
    expect(preferences.get('alice')).toBeUndefined();
    expect([...preferences.entries()]).toHaveLength(MAX_REMEMBERED_PARTICIPANTS);
  });
});
