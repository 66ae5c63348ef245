import { describe, expect, it } from 'vitest';
import { ClientSupervisor, type SupervisorEvent } from '../src/supervisor.js';
import { fakeFactory, participant } from './fake-client.js';
import { memoryLogger, until } from './helpers.js';

const SETTINGS = { url: 'ws://x', apiKey: 'k', apiSecret: 's', room: 'lobby', identity: 'me', input: 'silence', output: 'null', masterVolume: 1 } as const;

function supervisor(failConnects = 0) {
  const factory = fakeFactory({ failConnects });
  const events: SupervisorEvent[] = [];
  const sup = new ClientSupervisor({ createClient: factory.create, settings: SETTINGS, logger: memoryLogger(), backoff: { initialDelayMs: 5, maxDelayMs: 20 } });
  sup.on('event', (e) => events.push(e));
  return { sup, factory, events };
}

describe('client supervisor', () => {
  it('keeps retrying connect with backoff until it succeeds', async () => {
    const { sup, factory, events } = supervisor(3);
    await sup.join();
    expect(sup.state).toBe('reconnecting');
    expect(sup.status().lastError).toMatch(/could not reach/);
    await until(() => sup.state === 'connected', 3000, 'connected after retries');
    expect(factory.clients).toHaveLength(4);
    expect(factory.clients.slice(0, 3).every((c) => c.disconnected)).toBe(true);
    expect(events.filter((e) => e.type === 'reconnectScheduled')).toHaveLength(3);
    expect(sup.reconnects).toBe(3);
    expect(sup.status().lastError).toBeNull();
    await sup.leave();
  });

  it('rejoins with a new client when the client ends up disconnected, re-applying mute and volumes', async () => {
    const { sup, factory } = supervisor();
    factory.behaviour.people = [participant('alice'), participant('bob')];
    await sup.join();
    await sup.setMicrophoneMuted(true);
    sup.setMasterVolume(0.3);
    sup.setParticipantVolume('alice', 0.5);
    sup.setParticipantMuted('bob', true);
    const first = factory.latest();
    first.setState('disconnected', 'server went away');
    await until(() => factory.clients.length === 2 && factory.latest().state === 'connected', 3000, 'rejoin');
    const second = factory.latest();
    expect(second.microphoneMuted).toBe(true);
    expect(second.options.masterVolume).toBe(0.3);
    expect(second.volumes.get('alice')).toBe(0.5);
    expect(second.mutes.get('bob')).toBe(true);
    await sup.leave();
  });

  it('hands every client the one preferences object instead of remembering volumes itself', async () => {
    const { sup, factory } = supervisor();
    sup.setParticipantVolume('dave', 0.7);
    await sup.join();
    const first = factory.latest();
    first.setState('disconnected', 'server went away');
    await until(() => factory.clients.length === 2 && factory.latest().state === 'connected', 3000, 'rejoin');
    const preferences = factory.latest().options.preferences;
    expect(preferences).toBe(first.options.preferences);
    expect(preferences?.get('dave')).toEqual({ volume: 0.7 });
    await sup.leave();
  });

  it('applies remembered participant settings when that participant joins', async () => {
    const { sup, factory } = supervisor();
    sup.setParticipantVolume('carol', 0);
    await sup.join();
    const client = factory.latest();
    client.volumes.clear();
    client.people = [participant('carol')];
    client.emit({ type: 'participantJoined', identity: 'carol', name: 'Carol' });
    expect(client.volumes.get('carol')).toBe(0);
    await sup.leave();
  });

  it('stops retrying after leave', async () => {
    const { sup, factory } = supervisor(1000);
    await sup.join();
    await sup.leave();
    const count = factory.clients.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(factory.clients).toHaveLength(count);
    expect(sup.state).toBe('idle');
  });

  it('reconnects on a reloaded room but only adjusts the volume in place', async () => {
    const { sup, factory } = supervisor();
    await sup.join();
    const first = factory.latest();
    expect(await sup.applySettings({ ...SETTINGS, masterVolume: 0.4 })).toEqual(['masterVolume']);
    expect(factory.clients).toHaveLength(1);
    expect(first.masterVolume).toBe(0.4);
    expect(await sup.applySettings({ ...SETTINGS, masterVolume: 0.4, room: 'kitchen' })).toEqual(['room']);
    expect(first.disconnected).toBe(true);
    expect(factory.latest().options).toMatchObject({ room: 'kitchen', masterVolume: 0.4 });
    await sup.leave();
  });

  it('hands the cluster fallback URLs to every client it creates', async () => {
    const factory = fakeFactory();
    const sup = new ClientSupervisor({ createClient: factory.create, settings: { ...SETTINGS, fallbackUrls: ['ws://y', 'ws://z'] }, logger: memoryLogger(), backoff: { initialDelayMs: 5 } });
    await sup.join();
    expect(factory.latest().options).toMatchObject({ url: 'ws://x', fallbackUrls: ['ws://y', 'ws://z'] });
    await sup.leave();
  });

  it('builds every client with the configured playback buffer and fallback, and rejoins when they are reloaded', async () => {
    const factory = fakeFactory();
    const sup = new ClientSupervisor({ createClient: factory.create, settings: { ...SETTINGS, jitterBufferMs: 80 }, logger: memoryLogger(), backoff: { initialDelayMs: 5 } });
    await sup.join();
    expect(factory.playbacks).toEqual([{ jitterBufferMs: 80 }]);
    expect(await sup.applySettings({ ...SETTINGS, jitterBufferMs: 20, deviceFallback: false })).toEqual(['jitterBufferMs', 'deviceFallback']);
    expect(factory.clients[0]!.disconnected).toBe(true);
    expect(factory.playbacks.at(-1)).toEqual({ jitterBufferMs: 20, deviceFallback: false });
    await sup.leave();
  });

  it('records from the configured path on the first connection only', async () => {
    const factory = fakeFactory();
    const sup = new ClientSupervisor({ createClient: factory.create, settings: { ...SETTINGS, recordPath: '/tmp/a.wav' }, logger: memoryLogger(), backoff: { initialDelayMs: 5 } });
    await sup.join();
    expect(sup.status().recording).toBe('/tmp/a.wav');
    factory.latest().setState('disconnected');
    await until(() => factory.clients.length === 2 && factory.latest().state === 'connected');
    // A new client must not truncate the file the first one wrote.
    expect(factory.latest().options.recordPath).toBeUndefined();
    await sup.leave();
  });

  it('treats a client factory that throws as a failed attempt and keeps retrying', async () => {
    const factory = fakeFactory();
    let throws = 2;
    const sup = new ClientSupervisor({
      createClient: (options) => {
        if (throws-- > 0) throw new Error('native module missing');
        return factory.create(options);
      },
      settings: SETTINGS,
      logger: memoryLogger(),
      backoff: { initialDelayMs: 5, maxDelayMs: 10 },
    });
    await sup.join();
    expect(sup.status().lastError).toBe('native module missing');
    await until(() => sup.state === 'connected', 3000, 'connected after factory failures');
    await sup.leave();
  });

  it('retries at once when asked to join while waiting out a backoff delay', async () => {
    const factory = fakeFactory({ failConnects: 1 });
    const sup = new ClientSupervisor({ createClient: factory.create, settings: SETTINGS, logger: memoryLogger(), backoff: { initialDelayMs: 60_000, maxDelayMs: 60_000 } });
    await sup.join();
    expect(sup.state).toBe('reconnecting');
    await sup.join();
    expect(sup.state).toBe('connected');
    expect(factory.clients).toHaveLength(2);
    await sup.leave();
  });
});
