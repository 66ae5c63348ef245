import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strongestTone } from '@alto/harness';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { AltoClient, createDefaultComponents, shutdownNetworkRuntime, type ComponentFactory } from '../src/index.js';
import { waitFor } from './wait-for.js';

const livekit = inject('livekit');
const rooms = new RoomServiceClient(livekit.url.replace('ws://', 'http://'), livekit.apiKey, livekit.apiSecret);
const workDir = mkdtempSync(join(tmpdir(), 'alto-orch-'));
let roomCounter = 0;

function uniqueRoom(): string {
  roomCounter += 1;
  return `orch-${process.pid}-${Date.now()}-${roomCounter}`;
}

function baseOptions(room: string, identity: string) {
  return { url: livekit.url, apiKey: livekit.apiKey, apiSecret: livekit.apiSecret, room, identity };
}

function childPids(): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(process.pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function wavSamples(path: string): Int16Array {
  const bytes = readFileSync(path);
  const dataAt = bytes.indexOf('data', 12) + 8;
  const copy = Buffer.from(bytes.subarray(dataAt));
  return new Int16Array(copy.buffer, copy.byteOffset, Math.floor(copy.length / 2));
}

afterAll(async () => {
  rmSync(workDir, { recursive: true, force: true });
  await shutdownNetworkRuntime();
});

describe('AltoClient against the real server with file backends', () => {
  it('connects every component: a tone sent by one client is heard in the other one\'s mix', async () => {
    const room = uniqueRoom();
    const recording = join(workDir, 'heard.wav');
    await using talker = new AltoClient({ ...baseOptions(room, 'talker'), input: 'tone:660', output: false });
    await using listener = new AltoClient({ ...baseOptions(room, 'listener'), input: false, output: `wav:${recording}` });
    await talker.connect();
    await listener.connect();
    expect(talker.state).toBe('connected');
    await waitFor(() => listener.participants().find((p) => p.identity === 'talker' && p.levelDbfs > -40), 15_000, 'the talker to be heard');
    await new Promise((r) => setTimeout(r, 1500));
    await listener.disconnect();
    const samples = wavSamples(recording);
    const lastSecond = samples.subarray(samples.length - 48_000);
    expect(strongestTone(lastSecond, [440, 660, 1000]).frequencyHz).toBe(660);
  });

  it('records what it plays while playing, and a recording can be stopped and restarted', async () => {
    const room = uniqueRoom();
    const first = join(workDir, 'first.wav');
    const second = join(workDir, 'second.wav');
    await using talker = new AltoClient({ ...baseOptions(room, 'talker'), input: 'tone:880', output: false });
    await using listener = new AltoClient({ ...baseOptions(room, 'listener'), input: false, output: 'null', recordPath: first });
    await talker.connect();
    await listener.connect();
    expect(listener.recordingPath).toBe(first);
    await waitFor(() => listener.participants().find((p) => p.identity === 'talker' && p.levelDbfs > -40), 15_000, 'the talker');
    await new Promise((r) => setTimeout(r, 1000));
    await listener.startRecording(second);
    await new Promise((r) => setTimeout(r, 1000));
    await listener.stopRecording();
    expect(listener.recordingPath).toBeUndefined();
    for (const file of [first, second]) {
      const samples = wavSamples(file);
      expect(samples.length).toBeGreaterThan(48_000 * 0.8);
      expect(strongestTone(samples.subarray(samples.length - 24_000), [440, 660, 880]).frequencyHz).toBe(880);
    }
  });

  it('works as an async disposable: leaving the block leaves the room', async () => {
    const room = uniqueRoom();
    {
      await using client = new AltoClient({ ...baseOptions(room, 'disposable'), input: 'silence', output: 'null' });
      await client.connect();
      const inRoom = await rooms.listParticipants(room);
      expect(inRoom.map((p) => p.identity)).toContain('disposable');
    }
    const deadline = Date.now() + 10_000;
    let left = false;
    while (!left && Date.now() < deadline) {
      const now = await rooms.listParticipants(room).catch(() => []);
      left = !now.some((p) => p.identity === 'disposable');
      if (!left) await new Promise((r) => setTimeout(r, 200));
    }
    expect(left).toBe(true);
  });

  it('no-playback publishes the microphone and receives nothing: it is heard, it hears no one', async () => {
    const room = uniqueRoom();
    await using sender = new AltoClient({ ...baseOptions(room, 'sender'), input: 'tone:440', output: false });
    await using receiver = new AltoClient({ ...baseOptions(room, 'receiver'), input: 'tone:1000', output: 'null' });
    await sender.connect();
    await receiver.connect();
    const heard = await waitFor(() => receiver.participants().find((p) => p.identity === 'sender' && p.levelDbfs > -40), 15_000, 'sender audio');
    expect(heard.identity).toBe('sender');
    // The receiver's tone has been in the room as long: the sender knows the receiver is there
    // but subscribed to no track, so nothing reached its network layer or mixer.
    await waitFor(() => sender.participants().find((p) => p.identity === 'receiver'), 15_000, 'the receiver in the sender\'s list');
    await new Promise((r) => setTimeout(r, 1500));
    const metrics = sender.getMetrics();
    expect(metrics.network.framesReceived).toBe(0);
    expect(metrics.network.bytesReceived).toBe(0);
    expect(metrics.mixer?.streamCount).toBe(0);
    expect(receiver.getMetrics().network.framesReceived).toBeGreaterThan(0);
  });

  it('aggregates metrics from input, network, output and mixer', async () => {
    const room = uniqueRoom();
    await using a = new AltoClient({ ...baseOptions(room, 'a'), input: 'tone:440', output: 'null' });
    await using b = new AltoClient({ ...baseOptions(room, 'b'), input: 'tone:880', output: 'null' });
    await a.connect();
    await b.connect();
    await waitFor(() => (a.getMetrics().network.framesReceived > 100 ? true : undefined), 15_000, 'frames to arrive');
    const metrics = a.getMetrics();
    expect(metrics.state).toBe('connected');
    expect(metrics.input?.framesCaptured).toBeGreaterThan(0);
    expect(metrics.network.framesSent).toBeGreaterThan(0);
    expect(metrics.output?.framesPlayed).toBeGreaterThan(0);
    expect(metrics.mixer?.streamCount).toBe(1);
  });

  const steps = ['openOutput', 'createNetwork', 'connect', 'publish', 'openInput', 'startOutput', 'startInput'] as const;
  for (const step of steps) {
    it(`a failure injected at ${step} leaves nothing running: no host process, not in the room`, async () => {
      const room = uniqueRoom();
      const real = createDefaultComponents();
      const boom = (): never => {
        throw new Error(`injected at ${step}`);
      };
      const factory: ComponentFactory = {
        openOutput: async (spec, format, logger) => {
          const output = await real.openOutput(spec, format, logger);
          if (step === 'openOutput') {
            await output.stop();
            boom();
          }
          if (step === 'startOutput') return { ...bind(output), mixer: output.mixer, start: async () => boom() };
          return output;
        },
        createNetwork: (settings, mixer, format, logger) => {
          if (step === 'createNetwork') boom();
          const network = real.createNetwork(settings, mixer, format, logger);
          if (step === 'connect') return { ...bind(network), connect: async () => { await network.connect(); boom(); } };
          if (step === 'publish') return { ...bind(network), publishMicrophone: async () => boom() };
          return network;
        },
        openInput: async (spec, format, logger) => {
          if (step === 'openInput') boom();
          const input = await real.openInput(spec, format, logger);
          if (step === 'startInput') return { ...bind(input), start: async () => { await input.start(); boom(); } };
          return input;
        },
      };
      const before = childPids();
      const client = new AltoClient({ ...baseOptions(room, 'fragile'), input: 'tone:440', output: 'null' }, factory);
      await expect(client.connect()).rejects.toThrow(`injected at ${step}`);
      expect(client.state).toBe('disconnected');
      await waitFor(() => childPids().every((pid) => before.includes(pid)) || undefined, 5000, 'host processes to exit');
      const participants = await rooms.listParticipants(room).catch(() => []);
      expect(participants.map((p) => p.identity)).not.toContain('fragile');
    });
  }
});

/** Copies an object's methods bound to it, so a spread keeps working methods. */
function bind<T extends object>(target: T): T {
  const out: Record<string, unknown> = {};
  let proto: object | null = target;
  while (proto && proto !== Object.prototype) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      const value = (target as Record<string, unknown>)[key];
      if (key !== 'constructor' && !(key in out)) out[key] = typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    }
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return out as T;
}
