import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('demo assets', () => {
  it('ships demo-speech.wav as a small 48 kHz mono 16-bit PCM WAV with a few seconds of speech', () => {
    const wav = readFileSync(new URL('../assets/demo-speech.wav', import.meta.url));
    expect(wav.length).toBeLessThan(400 * 1024);
    expect(wav.toString('latin1', 0, 4)).toBe('RIFF');
    expect(wav.toString('latin1', 8, 16)).toBe('WAVEfmt ');
    expect(wav.readUInt16LE(20)).toBe(1); // PCM
    expect(wav.readUInt16LE(22)).toBe(1); // mono
    expect(wav.readUInt32LE(24)).toBe(48000);
    expect(wav.readUInt16LE(34)).toBe(16);
    expect(wav.toString('latin1', 36, 40)).toBe('data');
    const samples = new Int16Array(wav.buffer, wav.byteOffset + 44, (wav.length - 44) / 2);
    expect(samples.length / 48000).toBeGreaterThan(3);
    let sum = 0;
    for (const s of samples) sum += s * s;
    // Speech, not silence: RMS well above the noise floor (about -20 dBFS for normalised speech).
    expect(Math.sqrt(sum / samples.length) / 32768).toBeGreaterThan(0.03);
  });
});
