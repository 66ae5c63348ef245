import type { TestProject } from 'vitest/node';
import { startPulseAudio } from './pulse-audio.js';
import type {} from './provided-context.js';

/** vitest globalSetup: one private PulseAudio daemon with virtual devices for a project's run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const pulse = await startPulseAudio();
  project.provide('pulse', {
    env: pulse.env,
    micFifo: pulse.micFifo,
    speakerFifo: pulse.speakerFifo,
    sampleRate: pulse.sampleRate,
    channels: pulse.channels,
  });
  return () => pulse.stop();
}
