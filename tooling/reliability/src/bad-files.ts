import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A canonical 44-byte PCM WAV header (`format` 1 = PCM, 3 = IEEE float). */
export function wavHeader(o: { format: number; channels: number; sampleRate: number; bits: number; dataBytes: number }): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + o.dataBytes, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(o.format, 20);
  h.writeUInt16LE(o.channels, 22);
  h.writeUInt32LE(o.sampleRate, 24);
  h.writeUInt32LE((o.sampleRate * o.channels * o.bits) / 8, 28);
  h.writeUInt16LE((o.channels * o.bits) / 8, 32);
  h.writeUInt16LE(o.bits, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(o.dataBytes, 40);
  return h;
}

/** Writes every broken or unsupported audio file the bad-input tests feed to `-i wav:`; returns name → path. */
export function writeBadAudioFiles(dir: string): Record<string, string> {
  const files: Record<string, Buffer> = {
    'garbage.wav': Buffer.from('this is not audio at all, just text pretending\n'.repeat(20)),
    'empty.wav': Buffer.alloc(0),
    'truncated-header.wav': wavHeader({ format: 1, channels: 1, sampleRate: 48_000, bits: 16, dataBytes: 96_000 }).subarray(0, 30),
    'riff-only.wav': Buffer.from('RIFF\x24\x00\x00\x00WAVE', 'latin1'),
    '8bit.wav': Buffer.concat([wavHeader({ format: 1, channels: 1, sampleRate: 48_000, bits: 8, dataBytes: 48_000 }), Buffer.alloc(48_000, 128)]),
    'float32.wav': Buffer.concat([wavHeader({ format: 3, channels: 1, sampleRate: 48_000, bits: 32, dataBytes: 192_000 }), Buffer.alloc(192_000)]),
    '6ch.wav': Buffer.concat([wavHeader({ format: 1, channels: 6, sampleRate: 48_000, bits: 16, dataBytes: 57_600 }), Buffer.alloc(57_600)]),
    'zero-rate.wav': Buffer.concat([wavHeader({ format: 1, channels: 1, sampleRate: 0, bits: 16, dataBytes: 960 }), Buffer.alloc(960)]),
    // An MP3 (ID3 tag + MPEG frame sync) with a .wav name.
    'song.mp3.wav': Buffer.concat([Buffer.from('ID3\x03\x00\x00\x00\x00\x00\x0a', 'latin1'), Buffer.alloc(10), Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(2000, 0x55)]),
  };
  const paths: Record<string, string> = {};
  for (const [name, bytes] of Object.entries(files)) {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    paths[name] = path;
  }
  return paths;
}
