import { describe, expect, it } from 'vitest';
import { chooseDemoDevices } from './choose-devices.js';

const device = (name: string, inputs: number, outputs: number) => ({
  index: 0, name, hostApi: 'ALSA', maxInputChannels: inputs, maxOutputChannels: outputs,
  defaultSampleRate: 48000, isDefaultInput: inputs > 0, isDefaultOutput: outputs > 0,
});

describe('demo device choice', () => {
  it('uses the default devices when the machine has them, and says nothing', () => {
    const choice = chooseDemoDevices([device('default', 2, 2)], '/tmp');
    expect(choice).toEqual({ input: 'default', output: 'default', notices: [] });
  });

  it('falls back to a WAV file and silence without a sound card, and says so', () => {
    const choice = chooseDemoDevices([], '/home/me');
    expect(choice.output).toBe('wav:/home/me/alto-demo-heard.wav');
    expect(choice.input).toBe('silence');
    expect(choice.notices.join('\n')).toMatch(/no sound output device.*alto-demo-heard\.wav/);
    expect(choice.notices.join('\n')).toMatch(/no microphone/);
  });
});
