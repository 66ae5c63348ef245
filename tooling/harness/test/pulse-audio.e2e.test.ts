import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { VIRTUAL_DEVICES } from '../src/pulse-audio.js';

const run = promisify(execFile);
const naudiodonPath = createRequire(import.meta.url).resolve('naudiodon2');

interface PortAudioDevice {
  id: number;
  name: string;
  maxInputChannels: number;
  maxOutputChannels: number;
}

describe('PulseAudio virtual devices', () => {
  it('are listed by PortAudio (naudiodon2 in a child process)', async () => {
    const { env } = inject('pulse');
    // PortAudio prints chatter on stdout, so the list travels behind a marker.
    const script = `const p = require(${JSON.stringify(naudiodonPath)}); process.stdout.write('\\n@@' + JSON.stringify(p.getDevices()) + '\\n');`;
    const { stdout } = await run(process.execPath, ['-e', script], {
      env: { ...process.env, ...env },
      timeout: 15_000,
    });
    const line = stdout.split('\n').find((l) => l.startsWith('@@'));
    expect(line, 'device list marker').toBeDefined();
    const devices = JSON.parse(line!.slice(2)) as PortAudioDevice[];
    const byName = new Map(devices.map((d) => [d.name, d]));
    expect(byName.get(VIRTUAL_DEVICES.microphone)?.maxInputChannels).toBeGreaterThan(0);
    expect(byName.get(VIRTUAL_DEVICES.speaker)?.maxOutputChannels).toBeGreaterThan(0);
    expect(byName.has(VIRTUAL_DEVICES.nullSpeaker)).toBe(true);
  });
});
