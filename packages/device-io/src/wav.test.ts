import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WavFormatError } from './errors.js';
import { WavFileWriter, encodeWav, parseWav, recoverPartialWav, wavHeader } from './wav.js';

const dir = mkdtempSync(join(tmpdir(), 'device-io-wav-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('WAV reader and writer', () => {
  it('round-trips stereo PCM16', () => {
    const samples = Int16Array.from([1, -1, 32767, -32768, 5, 6]);
    const parsed = parseWav(encodeWav({ sampleRate: 44_100, channels: 2, samples }));
    expect(parsed.sampleRate).toBe(44_100);
    expect(parsed.channels).toBe(2);
    expect(Array.from(parsed.samples)).toEqual(Array.from(samples));
  });

  it('skips unknown chunks before the data', () => {
    const pcm = Buffer.from(Int16Array.from([7, 8]).buffer);
    const header = wavHeader(48_000, 1, 4);
    const list = Buffer.concat([Buffer.from('LIST'), Buffer.from([3, 0, 0, 0]), Buffer.from('abc'), Buffer.from([0])]);
    const file = Buffer.concat([header.subarray(0, 36), list, header.subarray(36), pcm]);
    expect(Array.from(parseWav(file).samples)).toEqual([7, 8]);
  });

  it('says clearly what is wrong with a non-WAV, truncated or float file', () => {
    expect(() => parseWav(Buffer.from('hello world, not audio'), 'notes.txt')).toThrow(/notes.txt is not a WAV file/);
    const good = encodeWav({ sampleRate: 48_000, channels: 1, samples: new Int16Array(100) });
    expect(() => parseWav(good.subarray(0, 100), 'cut.wav')).toThrow(/cut.wav is truncated/);
    expect(() => parseWav(good.subarray(0, 30), 'short.wav')).toThrow(WavFormatError);
    const float = Buffer.from(good);
    float.writeUInt16LE(3, 20);
    float.writeUInt16LE(32, 34);
    expect(() => parseWav(float, 'f.wav')).toThrow(/float 32-bit; only 16-bit PCM/);
    const surround = Buffer.from(good);
    surround.writeUInt16LE(6, 22);
    expect(() => parseWav(surround, 's.wav')).toThrow(/6 channels/);
  });

  it('streams to a .partial file and finalises the header on close', () => {
    const path = join(dir, 'out.wav');
    const w = new WavFileWriter(path, 48_000, 1);
    w.write(Int16Array.from([1, 2, 3]));
    w.write(Int16Array.from([4]));
    expect(existsSync(path)).toBe(false);
    // A crash now would leave a readable .partial file.
    expect(Array.from(parseWav(readFileSync(`${path}.partial`)).samples)).toEqual([1, 2, 3, 4]);
    w.close();
    w.close();
    const bytes = readFileSync(path);
    expect(bytes.readUInt32LE(40)).toBe(8);
    expect(bytes.readUInt32LE(4)).toBe(44);
    expect(Array.from(parseWav(bytes).samples)).toEqual([1, 2, 3, 4]);
    expect(existsSync(`${path}.partial`)).toBe(false);
  });

  it('recovers a recording whose writer was never closed, keeping every whole sample', () => {
    const dir = mkdtempSync(join(tmpdir(), 'alto-wav-recover-'));
    const path = join(dir, 'killed.wav');
    const writer = new WavFileWriter(path, 48_000, 2);
    writer.write(Int16Array.from([1, -1, 2, -2, 3, -3]));
    // The process dies here: no close(). A torn half-sample reaches the disk too.
    appendFileSync(`${path}.partial`, Buffer.from([7]));
    expect(recoverPartialWav(path)).toBe(true);
    expect(existsSync(`${path}.partial`)).toBe(false);
    const wav = parseWav(readFileSync(path));
    expect(wav.channels).toBe(2);
    expect(Array.from(wav.samples)).toEqual([1, -1, 2, -2, 3, -3]);
    expect(recoverPartialWav(path)).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });
});
