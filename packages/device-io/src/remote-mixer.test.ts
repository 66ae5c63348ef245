import { AudioMixer, InvalidVolumeError } from '@alto/mixer-core';
import { sineInt16, strongestTone } from '@alto/harness';
import { describe, expect, it } from 'vitest';
import { FrameDecoder } from './framing.js';
import type { MixerCommand } from './protocol.js';
import { RemoteMixer } from './remote-mixer.js';

/** The host's side of the pipe, in-process: decode frames into a real AudioMixer. */
function hostSide(): { mixer: AudioMixer; write: (b: Buffer) => void } {
  const mixer = new AudioMixer({ sampleRate: 48_000, channels: 1, targetLatencyMs: 20 });
  const ids = new Map<number, string>();
  const decoder = new FrameDecoder({
    audio: (index, samples) => {
      const id = ids.get(index);
      if (id) mixer.addAudioData(id, samples);
    },
    command: (value) => {
      const c = value as MixerCommand;
      if (c.op === 'add') {
        ids.set(c.index, c.id);
        mixer.addStream(c.id, c.options ?? {});
      } else if (c.op === 'remove') mixer.removeStream(c.id);
      else if (c.op === 'volume') mixer.setStreamVolume(c.id, c.volume);
      else if (c.op === 'mute') mixer.setStreamMuted(c.id, c.muted);
      else mixer.setMasterVolume(c.volume);
    },
  });
  return { mixer, write: (b) => decoder.push(b) };
}

describe('RemoteMixer (the MixerSink proxy of the host mixer)', () => {
  it('delivers streams, options and audio in order so the host mixes them', () => {
    const remote = new RemoteMixer(48_000, 1);
    const host = hostSide();
    remote.connect(host.write);
    remote.addStream('alice', { label: 'Alice', volume: 0.8 });
    for (let i = 0; i < 10; i++) remote.addAudioData('alice', sineInt16(1000, 480, 48_000, 0.5, i * 480));
    remote.setStreamMuted('alice', false);
    remote.setMasterVolume(1.5);
    const out = new Int16Array(480 * 5);
    host.mixer.readInto(out);
    expect(strongestTone(out, [440, 1000]).frequencyHz).toBe(1000);
    const m = host.mixer.getMetrics();
    expect(m.masterVolume).toBe(1.5);
    expect(m.streams[0]).toMatchObject({ id: 'alice', label: 'Alice', volume: 0.8 });
    expect(remote.hasStream('alice')).toBe(true);
    remote.removeStream('alice');
    expect(remote.hasStream('alice')).toBe(false);
    expect(host.mixer.hasStream('alice')).toBe(false);
  });

  it('replays streams and volumes to a new host after a reopen', () => {
    const remote = new RemoteMixer(48_000, 1);
    remote.addStream('a');
    remote.addStream('b', { muted: true });
    remote.setStreamVolume('a', 0.25);
    remote.setMasterVolume(0.5);
    const host = hostSide();
    remote.connect(host.write);
    const m = host.mixer.getMetrics();
    expect(m.masterVolume).toBe(0.5);
    expect(m.streams.map((s) => [s.id, s.volume, s.muted])).toEqual([
      ['a', 0.25, false],
      ['b', 1, true],
    ]);
  });

  it('rejects bad volumes and partial frames in the caller, like AudioMixer', () => {
    const remote = new RemoteMixer(48_000, 2);
    remote.addStream('x');
    expect(() => remote.setStreamVolume('x', 3)).toThrow(InvalidVolumeError);
    expect(() => remote.setMasterVolume(-1)).toThrow(InvalidVolumeError);
    expect(() => remote.addAudioData('x', new Int16Array(3))).toThrow(/multiple of 2 channels/);
  });

  it('returns the latest snapshot pushed by the host', () => {
    const remote = new RemoteMixer(48_000, 1);
    expect(remote.getMetrics().streamCount).toBe(0);
    const host = hostSide();
    host.mixer.addStream('z');
    remote.update(host.mixer.getMetrics());
    expect(remote.getMetrics().streams.map((s) => s.id)).toEqual(['z']);
  });
});
