import { describe, expect, it } from 'vitest';
import { FRAME_HEADER_BYTES, FrameDecoder, FramingError, encodeAudioFrame, encodeCommandFrame } from './framing.js';

function collect(): { decoder: FrameDecoder; audio: Array<[number, number[]]>; commands: unknown[] } {
  const audio: Array<[number, number[]]> = [];
  const commands: unknown[] = [];
  const decoder = new FrameDecoder(
    { audio: (i, s) => audio.push([i, Array.from(s)]), command: (c) => commands.push(c) },
    16,
  );
  return { decoder, audio, commands };
}

describe('IPC framing', () => {
  it('round-trips several frames delivered in one chunk', () => {
    const { decoder, audio, commands } = collect();
    const chunk = Buffer.concat([
      encodeAudioFrame(3, Int16Array.from([1, -2, 3])),
      encodeCommandFrame({ op: 'add', id: 'odd' }),
      encodeAudioFrame(65535, Int16Array.from([-32768, 32767])),
    ]);
    decoder.push(chunk);
    expect(audio).toEqual([
      [3, [1, -2, 3]],
      [65535, [-32768, 32767]],
    ]);
    expect(commands).toEqual([{ op: 'add', id: 'odd' }]);
    expect(decoder.pendingBytes).toBe(0);
  });

  it('reassembles frames split at every possible byte boundary', () => {
    const frames = Buffer.concat([
      encodeAudioFrame(1, Int16Array.from({ length: 480 }, (_, i) => i - 240)),
      encodeCommandFrame({ op: 'mute', id: 'é', muted: true }),
      encodeAudioFrame(2, Int16Array.from([7])),
    ]);
    for (let split = 1; split < frames.length; split += 7) {
      const { decoder, audio, commands } = collect();
      decoder.push(frames.subarray(0, split));
      decoder.push(frames.subarray(split));
      expect(audio.map(([i, s]) => [i, s.length])).toEqual([
        [1, 480],
        [2, 1],
      ]);
      expect(audio[0]![1][0]).toBe(-240);
      expect(commands).toEqual([{ op: 'mute', id: 'é', muted: true }]);
    }
  });

  it('decodes byte-by-byte delivery and unaligned source buffers', () => {
    const { decoder, audio } = collect();
    const frame = encodeAudioFrame(9, Int16Array.from([100, 200, 300]));
    const unaligned = Buffer.alloc(frame.length + 1);
    frame.copy(unaligned, 1);
    for (let i = 1; i < unaligned.length; i++) decoder.push(unaligned.subarray(i, i + 1));
    expect(audio).toEqual([[9, [100, 200, 300]]]);
  });

  it('uses an 8-byte header carrying the stream index and payload size', () => {
    const frame = encodeAudioFrame(258, new Int16Array(480));
    expect(frame.length).toBe(FRAME_HEADER_BYTES + 960);
    expect(frame.readUInt16LE(2)).toBe(258);
    expect(frame.readUInt32LE(4)).toBe(960);
  });

  it('rejects a corrupt stream instead of misreading it', () => {
    const { decoder } = collect();
    expect(() => decoder.push(Buffer.from([7, 0, 0, 0, 4, 0, 0, 0, 1, 2, 3, 4]))).toThrow(FramingError);
  });
});
