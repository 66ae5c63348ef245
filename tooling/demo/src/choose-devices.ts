import { join } from 'node:path';
import type { AudioDevice } from '@alto/orchestrator';

/** The devices the demo uses, and what to tell the user about them. */
export interface DemoDevices {
  readonly input: string;
  readonly output: string;
  readonly notices: readonly string[];
}

/**
 * Uses the default microphone and speakers when PortAudio has them; otherwise plays into a WAV
 * file (so the demo still shows the bot talking) and sends silence.
 */
export function chooseDemoDevices(devices: readonly AudioDevice[], cwd: string): DemoDevices {
  const notices: string[] = [];
  const hasOutput = devices.some((d) => d.maxOutputChannels > 0);
  const hasInput = devices.some((d) => d.maxInputChannels > 0);
  let output = 'default';
  let input = 'default';
  if (!hasOutput) {
    output = `wav:${join(cwd, 'alto-demo-heard.wav')}`;
    notices.push(`no sound output device found: what you would hear is recorded to ${join(cwd, 'alto-demo-heard.wav')}`);
  }
  if (!hasInput) {
    input = 'silence';
    notices.push('no microphone found: alto sends silence');
  }
  return { input, output, notices };
}
