import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../src/cli-args.js';
import { loadConfig, type ConfigSources } from '../src/config.js';
import { connectionSettings } from '../src/daemon.js';

const ENV = { LIVEKIT_URL: 'ws://env-host:7880', LIVEKIT_API_KEY: 'key', LIVEKIT_API_SECRET: 'secret' };

function load(argv: string[], env: Record<string, string> = ENV, file?: Record<string, unknown>): ReturnType<typeof loadConfig> {
  const cl = parseCommandLine(['--room-name', 'r', ...argv]);
  const sources: ConfigSources = {
    flags: cl.flags,
    configPath: file === undefined ? undefined : '/etc/altod.json',
    env,
    homedir: '/home/op',
    hostname: 'box',
    readFile: () => JSON.stringify(file),
  };
  return loadConfig(sources);
}

describe('voice settings', () => {
  it('turns echo cancellation on by default only with a real microphone and real speakers', () => {
    expect(load([]).voice?.echoCancellation).toBe(true);
    expect(load(['--input-device', 'tone:440']).voice?.echoCancellation).toBe(false);
    expect(load(['--output-device', 'none']).voice?.echoCancellation).toBe(false);
    expect(load(['--no-aec']).voice?.echoCancellation).toBe(false);
    expect(load(['--enable-aec', '--input-device', 'silence']).voice?.echoCancellation).toBe(true);
  });

  it('reads flags > env > file and hands them to the client', () => {
    const c = load(
      ['--noise-suppression', '--use-audio-out-filter'],
      { ...ENV, ALTOD_HIGH_PASS_FILTER: '1', ALTOD_AEC: '0' },
      { autoGainControl: true, echoCancellation: true },
    );
    expect(c.voice).toEqual({ echoCancellation: false, noiseSuppression: true, highPassFilter: true, autoGainControl: true });
    expect(c.outputFilter).toBe('radio');
    expect(connectionSettings(c)).toMatchObject({ voice: c.voice, outputFilter: 'radio' });
  });

  it('rejects contradictions and unknown filters in one line', () => {
    expect(() => load(['--enable-aec', '--no-aec'])).toThrow(/--enable-aec and --no-aec contradict/);
    expect(() => load([], { ...ENV, ALTOD_OUTPUT_FILTER: 'telephone' })).toThrow(/output filter "telephone" is unknown; the only one is "radio"/);
    expect(() => load([], { ...ENV, ALTOD_AEC: 'maybe' })).toThrow(/ALTOD_AEC must be 1\/true or 0\/false/);
  });
});
